import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { sql } from 'kysely'
import { testEngines } from '../../src/db/test-database.ts'
import { fillPath, openSecurityWorld, operationsOf, type SecurityWorld, sampleOf } from './security-world.ts'

/** Runs per operation: its query broken one way at a time. */
const RUNS = Number(process.env.AFTERCARE_REFUSAL_RUNS ?? 10)

/** Where a refused field can have been sent: the body, the query, the path, or a header by its name. */
const NAMED_WHERE_SENT = /^(body|querystring|params)(\.|$)|^(if-match|x-[a-z-]+)$/

/** Text a query parameter of almost any kind refuses. */
const wrongText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'x',
    '-1',
    '1.5',
    '1e400',
    '99999999999999999999',
    '2025-13-45',
    'a'.repeat(600),
    '%',
    '[]',
    // Refused at the edge, before the schema: a NUL, a bell, a direction control.
    'a\u0000b',
    'a\u0007b',
    'a\u202eb',
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
)

/** Rows in every table, one query: a refusal must leave each count as it was. */
async function rowCounts(world: SecurityWorld, tables: readonly string[]): Promise<Record<string, number>> {
  const db = world.database.db
  const counted = tables.map((table) => sql`(select count(*) from ${sql.table(table)})`.as(table))
  const row = (await db.selectNoFrom(counted as never).executeTakeFirstOrThrow()) as Record<
    string,
    number | string
  >
  return Object.fromEntries(Object.entries(row).map(([table, n]) => [table, Number(n)]))
}

/**
 * Tables a refused request may still write to, and why. A refusal that writes anywhere else
 * fails the test.
 */
const WRITTEN_ON_REFUSAL: readonly string[] = [
  // A wrong password is counted against the address, so guessing one is slowed down.
  'rate_limit_counters',
]

for (const engine of testEngines()) {
  describe(`${engine}: a malformed query or path to any operation`, () => {
    let world: SecurityWorld
    let tables: string[]
    before(async () => {
      world = await openSecurityWorld(engine)
      await world.app.ready()
      tables = (await world.database.db.introspection.getTables())
        .map((table) => table.name)
        .filter((name) => !WRITTEN_ON_REFUSAL.includes(name))
    })
    after(() => world.close())

    test('a path naming nothing, to any operation, is refused naming the field where it was sent, and writes nothing', async () => {
      const ops = operationsOf(world.app.swagger()).filter((op) => op.params.length > 0 && !op.multipart)
      assert.ok(ops.length > 20, `the API document lists the operations with a path part (${ops.length})`)
      const failures: string[] = []
      for (const op of ops) {
        const url = op.path.replace(/\{(\w+)\}/g, 'NO-SUCH-0000')
        const headers: Record<string, string> = { ...world.parties.admin }
        let payload: string | undefined
        if (op.body !== undefined) {
          headers['content-type'] = 'application/json'
          payload = JSON.stringify(sampleOf(op.body) ?? {})
        }
        if (op.path.includes('/transitions/')) headers['if-match'] = '"0"'
        const rowsBefore = await rowCounts(world, tables)
        const response = await world.app.inject({
          method: op.method as 'GET',
          url,
          headers,
          ...(payload === undefined ? {} : { payload }),
        })
        const where = `${op.key} → ${response.statusCode} ${response.body.slice(0, 240)}`
        if (response.statusCode >= 500) failures.push(`${where}: a server error`)
        if (response.statusCode >= 400) {
          const field = (response.json() as { error?: { field?: unknown } }).error?.field
          if (field !== undefined && !NAMED_WHERE_SENT.test(String(field)))
            failures.push(`${where}: names ${JSON.stringify(field)}`)
          const rowsAfter = await rowCounts(world, tables)
          const changed = tables.filter((table) => rowsBefore[table] !== rowsAfter[table])
          if (changed.length > 0) failures.push(`${where}: wrote to ${changed.join(', ')}`)
        }
      }
      assert.deepEqual(failures, [])
    })

    test('a malformed query to any operation is refused naming querystring and its parameter, and writes nothing (generated)', async () => {
      const ops = operationsOf(world.app.swagger()).filter((op) => op.query.length > 0 && op.method === 'GET')
      assert.ok(ops.length > 10, `the API document lists the operations that take a query (${ops.length})`)
      const failures: string[] = []
      let refused = 0
      for (const op of ops) {
        const names = op.query.map((parameter) => String(parameter.name))
        // The parameters the operation requires, as its own samples: only the one broken is wrong.
        const required = op.query
          .filter((parameter) => parameter.required === true)
          .map((parameter): [string, string] => [
            String(parameter.name),
            String(sampleOf(parameter.schema as Record<string, unknown> | undefined) ?? 'x'),
          ])
        const query = fc.oneof(
          fc.tuple(fc.constantFrom(...names), wrongText).map(([name, value]) => [name, value] as const),
          fc
            .string({ minLength: 1, maxLength: 12 })
            .filter((name) => !names.includes(name))
            .map((name) => [name, '1'] as const),
        )
        // A control character is refused at the edge, before the schema, naming the parameter too.
        const bell = await world.app.inject({
          method: 'GET',
          url: `${fillPath(op.path, world)}?${new URLSearchParams([[names[0] ?? 'x', 'a\u0007b']]).toString()}`,
          headers: world.parties.admin,
        })
        if (bell.statusCode !== 400 || bell.json().error.field !== `querystring.${names[0]}`)
          failures.push(
            `${op.key} with a bell in ${names[0]} → ${bell.statusCode} ${bell.body.slice(0, 200)}`,
          )
        await fc
          .assert(
            fc.asyncProperty(query, async ([name, value]) => {
              const sent: [string, string][] = [
                ...required.filter(([given]) => given !== name),
                [name, value],
              ]
              const url = `${fillPath(op.path, world)}?${new URLSearchParams(sent).toString()}`
              const rowsBefore = await rowCounts(world, tables)
              const response = await world.app.inject({ method: 'GET', url, headers: world.parties.admin })
              const where = `${op.key} with ${JSON.stringify(name)}=${JSON.stringify(value.slice(0, 40))} → ${response.statusCode} ${response.body.slice(0, 240)}`
              if (response.statusCode < 400) return true
              refused++
              const problems: string[] = []
              if (response.statusCode >= 500) problems.push('a server error')
              const field = (response.json() as { error?: { field?: unknown } }).error?.field
              // Another parameter may be the one at fault: the reliability report wants a model or a batch.
              const named = [name, ...names].map((taken) => `querystring.${taken}`)
              if (response.statusCode === 400 && !named.includes(String(field)))
                problems.push(`names ${JSON.stringify(field)}, not querystring.${name}`)
              const rowsAfter = await rowCounts(world, tables)
              const changed = tables.filter((table) => rowsBefore[table] !== rowsAfter[table])
              if (changed.length > 0) problems.push(`wrote to ${changed.join(', ')}`)
              if (problems.length > 0) failures.push(`${where}: ${problems.join('; ')}`)
              return problems.length === 0
            }),
            { numRuns: RUNS, endOnFailure: true },
          )
          .catch(() => undefined)
      }
      assert.ok(refused > ops.length, `most malformed queries are refused (${refused})`)
      assert.deepEqual(failures, [])
    })
  })
}
