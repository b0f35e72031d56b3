import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { sql } from 'kysely'
import { testEngines } from '../../src/db/test-database.ts'
import { recoveriesOfClaim, seedRetailerDoaRefund } from '../recoveries/recovery-factories.ts'
import {
  fillPath,
  type Operation,
  openSecurityWorld,
  operationsOf,
  type SecurityWorld,
  sampleOf,
} from './security-world.ts'

/**
 * Every body and query the API document lists refuses a field it does not name with 400
 * naming it (`body.preferance`), in the reader's language, and writes nothing; only the
 * case of `POST /api/v1/decide`, whose contract allows fields it does not name, drops them.
 */
const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 4)

const LENIENT = new Set(['POST /api/v1/decisions'])

/** Tables every request may touch (a session seen, a rate counted), whatever its answer. */
const BOOKKEEPING = /session|rate_limit/
/** Columns signing in touches before a body is read (when an API key was last used). */
const SIGN_IN_COLUMNS = /^last_(used|seen)/

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: {
          content: Record<string, { example?: unknown; examples?: Record<string, { value?: unknown }> }>
        }
      }
    >
  >
}

/** The body the API document gives as its example: a valid body by the document's own word. */
function exampleOf(doc: Doc, op: Operation): Record<string, unknown> {
  const media = doc.paths[op.path]?.[op.method.toLowerCase()]?.requestBody?.content['application/json']
  const named = Object.values(media?.examples ?? {})[0]?.value
  const example = media?.example ?? named
  assert.ok(
    typeof example === 'object' && example !== null && !Array.isArray(example),
    `${op.key}: the API document gives no example object`,
  )
  return example as Record<string, unknown>
}

const KNOWN_MISSPELLINGS = ['preferance', 'claimedOnReson', 'descripton', 'ammountMinor', 'note ']

/** A field name a client could send by mistake: a misspelling or a made-up word. */
const unknownName = (known: Set<string>) =>
  fc
    .oneof(fc.constantFrom(...KNOWN_MISSPELLINGS), fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,20}$/))
    .filter((name) => !known.has(name))

const someValue = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null))

/** A digest of each table's rows, to tell which one a request changed. */
async function snapshot(world: SecurityWorld): Promise<Record<string, string>> {
  const db = world.database.db
  const tables = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !BOOKKEEPING.test(n))
  const digests: Record<string, string> = {}
  for (const table of tables.sort()) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)
    const lines = rows.rows.map((row) =>
      JSON.stringify(row, (key, v) =>
        SIGN_IN_COLUMNS.test(key) ? undefined : typeof v === 'bigint' ? String(v) : v,
      ),
    )
    digests[table] = createHash('sha256').update(lines.sort().join('\n')).digest('hex')
  }
  return digests
}

/** The tables whose rows differ between two snapshots. */
const changedTables = (before: Record<string, string>, after: Record<string, string>): string[] =>
  Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table])

for (const engine of testEngines()) {
  describe(`${engine}: fields a body or query does not name are refused`, () => {
    let world: SecurityWorld
    let doc: Doc
    let ops: Operation[]
    let recoveryId: string
    before(async () => {
      world = await openSecurityWorld(engine)
      await world.app.ready()
      doc = world.app.swagger() as unknown as Doc
      ops = operationsOf(doc)
      const refunded = await seedRetailerDoaRefund(world)
      const recovery = (await recoveriesOfClaim(world, refunded))[0]
      assert.ok(recovery, 'the refund derives a recovery claim')
      recoveryId = recovery.id
    })
    after(() => world.close())

    /** The target's URL and the headers that get a request past sign-in and If-Match to its body. */
    async function addressOf(
      op: Operation,
      party: Record<string, string> = world.parties.admin,
    ): Promise<{ url: string; headers: Record<string, string> }> {
      const headers: Record<string, string> = { ...party, 'accept-language': 'en' }
      const recoveryStep = op.method === 'POST' && /^\/api\/v1\/recoveries\/\{id\}\/[a-z-]+$/.test(op.path)
      const claimStep = op.path.startsWith('/api/v1/claims/{id}/transitions/')
      const url = recoveryStep ? op.path.replace('{id}', recoveryId) : fillPath(op.path, world)
      if (recoveryStep || claimStep) {
        // The version is judged before the body: send the current one, so the body is what answers.
        const record = url.replace(/(\/transitions)?\/[a-z-]+$/, '')
        const read = await world.app.inject({ method: 'GET', url: record, headers })
        assert.equal(read.statusCode, 200, `${record}: ${read.body}`)
        headers['if-match'] = String(read.headers.etag)
      }
      return { url, headers }
    }

    test('every JSON body refuses an unknown field, naming it, and writes nothing', async () => {
      const bodies = ops.filter((op) => op.body !== undefined && !op.multipart && !LENIENT.has(op.key))
      assert.ok(bodies.length > 40, `only ${bodies.length} operations with a JSON body`)
      // Every operation is tried and every failure reported, not only the first.
      const failures: string[] = []
      for (const op of bodies) {
        const example = exampleOf(doc, op)
        const known = new Set(Object.keys((op.body?.properties as object | undefined) ?? {}))
        await fc
          .assert(
            fc.asyncProperty(
              unknownName(known),
              someValue,
              fc.constantFrom('en', 'zh'),
              async (name, value, lang) => {
                const { url, headers } = await addressOf(op)
                const before = await snapshot(world)
                const response = await world.app.inject({
                  method: op.method as 'POST',
                  url,
                  headers: { ...headers, 'accept-language': lang },
                  payload: { ...example, [name]: value },
                })
                const where = `${op.key} + ${JSON.stringify(name)} → ${response.statusCode} ${response.body.slice(0, 300)}`
                assert.equal(response.statusCode, 400, where)
                const error = (
                  response.json() as { error: { field: string; message: string; messageKey: string } }
                ).error
                assert.equal(error.field, `body.${name}`, where)
                assert.equal(error.messageKey, 'validation.unknown-field', where)
                assert.ok(error.message.startsWith(`body.${name}`), where)
                if (lang === 'zh') assert.match(error.message, /不是可接受的字段/, where)
                assert.deepEqual(
                  changedTables(before, await snapshot(world)),
                  [],
                  `${where}: something was written`,
                )
              },
            ),
            { numRuns: RUNS },
          )
          .catch((error: Error) => failures.push(String(error.cause ?? error).split('\n')[0] ?? ''))
      }
      assert.deepEqual(failures, [])
    })

    test('an unknown field nested in a body (an address, a quote line) is named where it was sent', async () => {
      const nested: [
        string,
        Record<string, string>,
        (example: Record<string, unknown>) => unknown,
        string,
      ][] = [
        [
          'POST /api/v1/me/addresses',
          world.parties.customerA,
          (example) => ({ ...example, zip: '518057' }),
          'body.zip',
        ],
        [
          'POST /api/v1/claims/{id}/transitions/send-quote',
          world.parties.admin,
          (example) => ({
            ...example,
            lines: [
              { kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 20000, taxRate: 8 },
            ],
          }),
          'body.lines.0.taxRate',
        ],
      ]
      for (const [key, party, withUnknown, field] of nested) {
        const op = ops.find((candidate) => candidate.key === key)
        assert.ok(op, key)
        const { url, headers } = await addressOf(op, party)
        const before = await snapshot(world)
        const response = await world.app.inject({
          method: 'POST',
          url,
          headers,
          payload: withUnknown(exampleOf(doc, op)) as Record<string, unknown>,
        })
        assert.equal(response.statusCode, 400, `${key}: ${response.body}`)
        assert.equal(response.json().error.field, field)
        assert.deepEqual(changedTables(before, await snapshot(world)), [], `${key}: something was written`)
      }
    })

    test('every query with parameters refuses one it does not name, naming it', async () => {
      const queried = ops.filter((op) => op.method === 'GET' && op.query.length > 0)
      assert.ok(queried.length > 15, `only ${queried.length} operations with a query`)
      for (const op of queried) {
        const known = new Set(op.query.map((p) => String(p.name)))
        // The parameters it requires, each with a value its schema takes, so the unknown one is what answers.
        const required = Object.fromEntries(
          op.query
            .filter((p) => p.required === true)
            .map((p) => [String(p.name), String(sampleOf(p.schema as Record<string, unknown>))]),
        )
        await fc.assert(
          fc.asyncProperty(unknownName(known), async (name) => {
            const { url, headers } = await addressOf(op)
            const response = await world.app.inject({
              method: 'GET',
              url: `${url}?${new URLSearchParams({ ...required, [name]: '1' })}`,
              headers,
            })
            const where = `${op.key}?${name} → ${response.statusCode} ${response.body.slice(0, 300)}`
            assert.equal(response.statusCode, 400, where)
            assert.equal(response.json().error.field, `querystring.${name}`, where)
          }),
          { numRuns: RUNS },
        )
      }
    })

    test('the case decide reads keeps the contract: a field it does not name is dropped, not refused', async () => {
      const decide = ops.find((op) => LENIENT.has(op.key))
      assert.ok(decide, 'decide is in the API document')
      const response = await world.app.inject({
        method: 'POST',
        url: decide.path,
        headers: world.parties.admin,
        payload: { ...exampleOf(doc, decide), channelNote: 'from the shop system' },
      })
      assert.equal(response.statusCode, 200, response.body)
    })
  })
}
