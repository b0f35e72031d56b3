import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { testEngines } from '../../src/db/test-database.ts'
import {
  fillPath,
  isErrorShape,
  multipartBody,
  type Operation,
  openSecurityWorld,
  operationsOf,
  PNG,
  type SecurityWorld,
  sampleOf,
} from './security-world.ts'

/** Runs per operation; with ~85 operations and two parties this is about 2,000 requests per engine. */
const RUNS = Number(process.env.AFTERCARE_FUZZ_RUNS ?? 12)

const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '%00',
    '\uFFFF',
    '\uD800',
    '😀'.repeat(20),
    '../../etc/passwd',
    "' or 1=1 --",
  ),
  fc.constantFrom('x'.repeat(5000), '9'.repeat(400), '-1', '1e400', 'NaN', 'null', 'true', '[]', '{}'),
)

const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nasty,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(nasty, fc.constantFrom('__proto__', 'constructor')), tie('value'), { maxKeys: 4 }),
  ),
})).value

/** Nesting far deeper than any schema. */
const deep = fc.integer({ min: 50, max: 3000 }).map((depth) => {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
})

/** The operation's own sample with one field replaced by something it does not expect. */
const mutatedSample = (op: Operation) => {
  const sample = sampleOf(op.body)
  if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) return jsonish
  const keys = Object.keys(sample)
  if (keys.length === 0) return jsonish.map((v) => ({ extra: v }))
  return fc.tuple(fc.constantFrom(...keys), jsonish).map(([key, value]) => ({ ...sample, [key]: value }))
}

type Shot = {
  pathValue: string | null
  query: [string, string][]
  body:
    | { kind: 'json'; value: unknown }
    | { kind: 'text'; text: string; type: string }
    | { kind: 'multipart'; payload: Buffer; type: string }
    | { kind: 'none' }
}

const badJsonText = fc.constantFrom('{', '{"a":', '[1,2', 'null', '"just a string"', '{"a":1}}', '\u0000', '')

const brokenMultipart = fc.oneof(
  fc.constant({ payload: Buffer.from('garbage without boundary'), type: 'multipart/form-data' }),
  fc.constant({
    payload: Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG',
    ),
    type: 'multipart/form-data; boundary=b',
  }),
  fc.constant({
    payload: Buffer.from('--b\r\nnonsense\r\n\r\n--b--'),
    type: 'multipart/form-data; boundary=b',
  }),
  nasty.map((name) => {
    const form = multipartBody([
      { name: 'kind', value: name },
      { name, filename: name, data: PNG },
    ])
    return { payload: form.payload, type: form.contentType }
  }),
)

function shotsFor(op: Operation): fc.Arbitrary<Shot> {
  const pathValue = op.params.length ? fc.option(nasty, { nil: null }) : fc.constant(null)
  const query = fc.array(
    fc.tuple(fc.oneof(fc.constantFrom('limit', 'state', 'serial', 'from', 'to', 'version'), nasty), nasty),
    {
      maxLength: 3,
    },
  )
  const bodies: fc.Arbitrary<Shot['body']>[] = [fc.constant({ kind: 'none' as const })]
  if (op.method !== 'GET' && op.method !== 'DELETE') {
    bodies.push(
      mutatedSample(op).map((value) => ({ kind: 'json' as const, value })),
      jsonish.map((value) => ({ kind: 'json' as const, value })),
      deep.map((value) => ({ kind: 'json' as const, value })),
      badJsonText.map((text) => ({ kind: 'text' as const, text, type: 'application/json' })),
      fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded').map((type) => ({
        kind: 'text' as const,
        text: 'a=1&b=2',
        type,
      })),
    )
    if (op.multipart) bodies.push(brokenMultipart.map((m) => ({ kind: 'multipart' as const, ...m })))
  }
  return fc.record({ pathValue, query, body: fc.oneof(...bodies) })
}

function urlFor(op: Operation, world: SecurityWorld, shot: Shot): string {
  let url = fillPath(op.path, world)
  if (shot.pathValue !== null) {
    const name = op.params[0] ?? ''
    url = op.path.replace(`{${name}}`, encodeURIComponent(shot.pathValue))
    url = fillPath(url, world)
  }
  if (shot.query.length) url += `?${new URLSearchParams(shot.query).toString()}`
  return url
}

for (const engine of testEngines()) {
  describe(`${engine}: fuzzing every operation of the OpenAPI document`, () => {
    let world: SecurityWorld
    before(async () => {
      world = await openSecurityWorld(engine)
      await world.app.ready()
    })
    after(() => world.close())

    test('malformed paths, queries and bodies never give a 5xx nor leave the error shape', async () => {
      // Changes that would take the target away run last, as in the access matrix.
      const ops = operationsOf(world.app.swagger()).sort(
        (a, b) =>
          Number(/transfers|cancel|close|DELETE/.test(a.key)) -
          Number(/transfers|cancel|close|DELETE/.test(b.key)),
      )
      let requests = 0
      const serverErrors: string[] = []
      const shapeViolations: string[] = []
      const propertyErrors: string[] = []
      for (const op of ops) {
        for (const party of ['anonymous', 'admin'] as const) {
          await fc
            .assert(
              fc.asyncProperty(shotsFor(op), async (shot) => {
                const headers: Record<string, string> = { ...world.parties[party] }
                let payload: string | Buffer | undefined
                if (shot.body.kind === 'json') {
                  headers['content-type'] = 'application/json'
                  payload = JSON.stringify(shot.body.value) ?? 'null'
                } else if (shot.body.kind === 'text') {
                  headers['content-type'] = shot.body.type
                  payload = shot.body.text
                } else if (shot.body.kind === 'multipart') {
                  headers['content-type'] = shot.body.type
                  payload = shot.body.payload
                }
                if (op.path.includes('/transitions/')) headers['if-match'] = '"0"'
                const url = urlFor(op, world, shot)
                const response = await world.app.inject({
                  method: op.method as 'GET',
                  url,
                  headers,
                  ...(payload === undefined ? {} : { payload }),
                })
                requests++
                const where = `${op.key} as ${party}: ${url.slice(0, 120)} → ${response.statusCode} ${response.body.slice(0, 200)}`
                if (response.statusCode >= 500) serverErrors.push(where)
                if (!isErrorShape(response.statusCode, response.body)) shapeViolations.push(where)
                return response.statusCode < 500 && isErrorShape(response.statusCode, response.body)
              }),
              { numRuns: RUNS, endOnFailure: true },
            )
            .catch(() => undefined)
        }
      }
      console.log(
        `[security] ${engine} fuzz: ${ops.length} operations, ${requests} requests; 5xx: ${serverErrors.length}; shape violations: ${shapeViolations.length}`,
      )
      assert.deepEqual(serverErrors.slice(0, 10), [])
      assert.deepEqual(shapeViolations.slice(0, 10), [])
      assert.deepEqual(propertyErrors.slice(0, 5), [])
    })
  })
}
