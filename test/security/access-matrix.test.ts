import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { expectedFor, meets, ruleFor } from './access-matrix.ts'
import {
  fillPath,
  isErrorShape,
  multipartBody,
  type Operation,
  openSecurityWorld,
  operationsOf,
  PARTY_NAMES,
  PNG,
  type SecurityWorld,
  sampleOf,
} from './security-world.ts'

// Changes that would take the target away from its owner run last, so every earlier
// request still meets the world it expects.
const LAST = [/\/transfers$/, /\/transitions\/(cancel|close)$/, /DELETE/]
const order = (op: Operation) => (LAST.some((p) => p.test(op.key)) ? 2 : op.method === 'GET' ? 0 : 1)

/** Required query parameters, filled with samples, so the access check is what answers. */
function sampleQuery(op: Operation): string {
  const pairs = op.query
    .filter((q) => q.required === true)
    .map((q): [string, string] => [
      String(q.name),
      String(sampleOf(q.schema as Record<string, unknown>) ?? 'x'),
    ])
  return pairs.length ? `?${new URLSearchParams(pairs).toString()}` : ''
}

for (const engine of testEngines()) {
  describe(`${engine}: access matrix from the OpenAPI document`, () => {
    let world: SecurityWorld
    let ops: Operation[]
    before(async () => {
      world = await openSecurityWorld(engine)
      await world.app.ready()
      ops = operationsOf(world.app.swagger()).sort((a, b) => order(a) - order(b))
    })
    after(() => world.close())

    test('every operation of the API has an entry in the access matrix', () => {
      const missing = ops.filter((op) => !ruleFor(op.key)).map((op) => op.key)
      assert.deepEqual(
        missing,
        [],
        `Add these operations to ACCESS_MATRIX in test/security/access-matrix.ts:\n  ${missing.join('\n  ')}`,
      )
    })

    test('every operation × every party gets the expected answer, never a 5xx, always the error shape', async () => {
      const failures: string[] = []
      let tried = 0
      let serverErrors = 0
      let shapeViolations = 0
      let inconclusive = 0
      for (const op of ops) {
        const rule = ruleFor(op.key)
        if (!rule) continue
        for (const party of PARTY_NAMES) {
          const expect = expectedFor(rule, party, op.method)
          const url = fillPath(op.path, world) + sampleQuery(op)
          const headers: Record<string, string> = { ...world.parties[party] }
          let payload: Buffer | string | undefined
          if (op.multipart) {
            const form = multipartBody([
              { name: 'kind', value: 'defect-media' },
              { name: 'file', filename: 'pixel.png', data: PNG },
            ])
            headers['content-type'] = form.contentType
            payload = form.payload
          } else if (op.method !== 'GET' && op.method !== 'DELETE') {
            headers['content-type'] = 'application/json'
            payload = JSON.stringify(sampleOf(op.body) ?? {})
          }
          if (op.path.includes('/transitions/')) headers['if-match'] = '"0"'
          const response = await world.app.inject({
            method: op.method as 'GET',
            url,
            headers,
            ...(payload === undefined ? {} : { payload }),
          })
          tried++
          const status = response.statusCode
          if (status >= 500) serverErrors++
          if (!isErrorShape(status, response.body)) shapeViolations++
          if (meets(expect, status)) continue
          // A sample body the schema refused never reached the access check: not a verdict.
          const field = status === 400 ? String(response.json()?.error?.field ?? '') : ''
          if (expect === 'deny' && /^(body|querystring|query|params|headers)\b/.test(field)) {
            inconclusive++
            continue
          }
          failures.push(
            `${op.key} as ${party}: expected ${expect}, got ${status} ${response.body.slice(0, 160)}`,
          )
        }
      }
      console.log(
        `[security] ${engine} access matrix: ${ops.length} operations × ${PARTY_NAMES.length} parties = ${tried} requests; ` +
          `5xx: ${serverErrors}; shape violations: ${shapeViolations}; mismatches: ${failures.length}; ` +
          `deny checks hidden by a refused sample body: ${inconclusive}`,
      )
      assert.equal(serverErrors, 0)
      assert.equal(shapeViolations, 0)
      assert.deepEqual(failures, [])
    })
  })
}
