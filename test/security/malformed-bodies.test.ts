import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { sql } from 'kysely'
import type { Db, Engine } from '../../src/db/database.ts'
import { testEngines } from '../../src/db/test-database.ts'
import {
  fillPath,
  isErrorShape,
  type Operation,
  openSecurityWorld,
  operationsOf,
  PARTY_NAMES,
  type SecurityWorld,
  sampleOf,
} from './security-world.ts'

/*
 * Every operation of the OpenAPI document that takes a body, as every party, with its own
 * example body broken one way or another. The fuzzer (fuzz.test.ts) checks that junk never
 * answers 5xx; this checks what a refusal promises the client: a 400 names the field at fault
 * in the reader's language (English and Chinese alike), and a refused request writes nothing.
 * The operations come from the document, so a new route is covered without being listed.
 * Each request is followed by a count of every table, on each engine: PostgreSQL refuses
 * text SQLite stores (a NUL character, a lone surrogate) and numbers past its column types.
 */

/** Shots per operation and party; each is sent in English and in Chinese. */
const RUNS = Number(process.env.AFTERCARE_MALFORMED_RUNS ?? 2)

/** Tables a refusal may still write: failed sign-ins and link requests count against their limit. */
const WRITTEN_BY_REFUSALS = new Set(['rate_limit_counters'])

/** Requests that end the party's own session, which every later shot of theirs needs. */
const SKIPPED = new Set(['POST /api/v1/auth/sign-out'])

const HAN = /\p{Script=Han}/u
/** Where a refused field can have been sent: the body, the query, the path, or a header by its name. */
const NAMED_WHERE_SENT = /^(body|querystring|params)(\.|$)|^(if-match|idempotency-key|x-[a-z-]+)$/i

/** Values no field of this API expects, each a different way to be wrong. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    -1,
    0,
    1.5,
    -1e308,
    Number.MAX_SAFE_INTEGER * 4,
    '',
    '   ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\u202eevil',
    'x'.repeat(70_000),
    '2026-02-30',
    '9999-99-99',
    [],
    [[]],
    {},
    { nested: { deeper: [1, 'two', null] } },
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
)

/** A nesting far deeper than any schema. */
const deep = fc.integer({ min: 40, max: 400 }).map((depth) => {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = depth % 2 ? { a: value } : [value]
  return value
})

/** The operation's own example broken: a field replaced, removed or added; the whole replaced. */
function brokenBodies(op: Operation): fc.Arbitrary<unknown> {
  const sample = sampleOf(op.body)
  const whole = fc.oneof(
    wrongValue,
    deep,
    fc.constant(sample === undefined ? [] : [sample]),
    fc.constant('"a string for an object"'),
  )
  if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) return whole
  const keys = Object.keys(sample)
  if (keys.length === 0)
    return fc.oneof(
      whole,
      wrongValue.map((value) => ({ [`extra${0}`]: value })),
    )
  const record = sample as Record<string, unknown>
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...keys), wrongValue)
        .map(([key, value]) => ({ ...record, [key]: value })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...keys).map((key) => {
        const { [key]: _left, ...rest } = record
        return rest
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...keys), deep)
        .map(([key, value]) => ({ ...record, [key]: value })),
    },
    { weight: 1, arbitrary: whole },
  )
}

/** Every table the app writes, on either engine, but those a refusal may still write. */
async function tablesOf(db: Db, engine: Engine): Promise<string[]> {
  const { rows } =
    engine === 'sqlite'
      ? await sql<{ name: string }>`
          select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name
        `.execute(db)
      : await sql<{ name: string }>`
          select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name
        `.execute(db)
  return rows.map((row) => row.name).filter((name) => !WRITTEN_BY_REFUSALS.has(name))
}

for (const engine of testEngines()) {
  describe(`a malformed body, to every operation, from every party (${engine})`, () => {
    let world: SecurityWorld
    let tables: string[]
    before(async () => {
      world = await openSecurityWorld(engine)
      await world.app.ready()
      tables = await tablesOf(world.database.db, engine)
      assert.ok(tables.includes('claims') && tables.includes('units'), `tables counted: ${tables.join(', ')}`)
    })
    after(() => world.close())

    // One query for every table: a round trip each made PostgreSQL's run six times SQLite's.
    const rowCounts = async (): Promise<Record<string, number>> => {
      const each = tables.map((name) => sql`(select count(*) from ${sql.table(name)}) as ${sql.ref(name)}`)
      const { rows } = await sql<Record<string, unknown>>`select ${sql.join(each)}`.execute(world.database.db)
      const counts: Record<string, number> = {}
      for (const name of tables) counts[name] = Number(rows[0]?.[name])
      return counts
    }

    test('never answers 5xx; a 400 names the field in English and Chinese; a refusal writes nothing', async () => {
      // Changes that would take the target away run last, as in the access matrix.
      const ops = operationsOf(world.app.swagger())
        .filter((op) => ['POST', 'PUT', 'PATCH'].includes(op.method) && !op.multipart && !SKIPPED.has(op.key))
        .sort(
          (a, b) =>
            Number(/transfers|cancel|close/.test(a.key)) - Number(/transfers|cancel|close/.test(b.key)),
        )
      assert.ok(ops.length > 40, `operations with a body: ${ops.length}`)
      let requests = 0
      let namedRefusals = 0
      for (const op of ops) {
        for (const party of PARTY_NAMES) {
          await fc.assert(
            fc.asyncProperty(brokenBodies(op), async (body) => {
              const url = fillPath(op.path, world)
              const send = (language: string) => {
                const headers: Record<string, string> = {
                  ...world.parties[party],
                  'content-type': 'application/json',
                  'accept-language': language,
                }
                if (op.path.includes('/transitions/') || op.path.startsWith('/api/v1/recoveries/{'))
                  headers['if-match'] = '"0"'
                return world.app.inject({
                  method: op.method as 'POST',
                  url,
                  headers,
                  payload: JSON.stringify(body) ?? 'null',
                })
              }
              const before = await rowCounts()
              const [english, chinese] = [await send('en'), await send('zh-CN')]
              requests += 2
              const shown = `${op.key} as ${party}: ${(JSON.stringify(body) ?? '').slice(0, 200)}\n→ ${english.statusCode} ${english.body.slice(0, 300)}\n→ ${chinese.statusCode} ${chinese.body.slice(0, 300)}`
              for (const answer of [english, chinese]) {
                assert.ok(answer.statusCode < 500, `no 5xx\n${shown}`)
                assert.ok(isErrorShape(answer.statusCode, answer.body), `the error shape\n${shown}`)
              }
              if (english.statusCode >= 400) {
                assert.deepEqual(await rowCounts(), before, `a refusal writes nothing\n${shown}`)
              }
              if (english.statusCode === 400 && chinese.statusCode === 400) {
                const [en, zh] = [english.json().error, chinese.json().error]
                assert.equal(typeof en.field, 'string', `a 400 names its field\n${shown}`)
                assert.match(en.field, NAMED_WHERE_SENT, `the field is named where it was sent\n${shown}`)
                assert.equal(zh.field, en.field, `the same field in either language\n${shown}`)
                assert.ok(en.message.includes(en.field), `the English message names the field\n${shown}`)
                assert.ok(zh.message.includes(zh.field), `the Chinese message names the field\n${shown}`)
                assert.match(zh.message, HAN, `the Chinese message is in Chinese\n${shown}`)
                assert.notEqual(zh.message, en.message, shown)
                namedRefusals++
              }
            }),
            { numRuns: RUNS },
          )
        }
      }
      console.log(
        `[security] ${engine} malformed bodies: ${ops.length} operations × ${PARTY_NAMES.length} parties, ${requests} requests, ${namedRefusals} refusals naming their field`,
      )
      assert.ok(namedRefusals > ops.length, 'most operations reached their body check')
    })
  })
}
