import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { sql } from 'kysely'
import type { Db } from './database.ts'
import { preparedQueriesByShape, preparedQuery } from './prepared-query.ts'
import { openTestDatabase, testEngines } from './test-database.ts'

// A table of the schema with two columns: RMA counters (a text key, a number).
async function insertCounter(db: Db, key: string, last: number): Promise<void> {
  await db.insertInto('rma_counters').values({ year: key, last }).execute()
}

const counters = (db: Db, last: number, notKey: string, limit: number) =>
  db
    .selectFrom('rma_counters')
    .select(['year', 'last'])
    .where('last', '=', last)
    .where('year', '<>', notKey)
    .orderBy('year')
    .limit(limit)
const preparedCounters = preparedQuery(counters)

for (const engine of testEngines()) {
  describe(`prepared queries (${engine})`, () => {
    test('answer as the same query built afresh, for any values, in and out of a transaction', async () => {
      const database = await openTestDatabase(engine)
      const { db } = database
      try {
        const keys = ['a', 'b', "o'brien", '名前', '', '?', '$1']
        for (const [i, key] of keys.entries()) {
          await insertCounter(db, key, i % 3)
          await insertCounter(db, `${key}-again`, i % 3)
        }
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: -1, max: 3 }),
            fc.oneof(fc.constantFrom(...keys), fc.string()),
            fc.integer({ min: 0, max: 4 }),
            async (last, notKey, limit) => {
              const afresh = await counters(db, last, notKey, limit).execute()
              assert.deepEqual(await preparedCounters.execute(db, last, notKey, limit), afresh)
              assert.deepEqual(await preparedCounters.executeTakeFirst(db, last, notKey, limit), afresh[0])
            },
          ),
          { numRuns: 60 },
        )
        // Inside a transaction the prepared query sees the transaction's own writes.
        await db.transaction().execute(async (trx) => {
          await insertCounter(trx, 'only-in-trx', 7)
          assert.deepEqual(await preparedCounters.execute(trx, 7, '', 5), [{ year: 'only-in-trx', last: 7 }])
          await sql`delete from rma_counters where year = 'only-in-trx'`.execute(trx)
        })
        assert.deepEqual(await preparedCounters.execute(db, 7, '', 5), [])
      } finally {
        await database.dispose()
      }
    })

    test('an update prepared per set of columns changes what the same update built afresh would, and counts the rows', async () => {
      const database = await openTestDatabase(engine)
      const { db } = database
      try {
        const setting = preparedQueriesByShape((shape) => {
          const columns = shape.split(',') as ('year' | 'last')[]
          return (db: Db, ...values: unknown[]) =>
            db
              .updateTable('rma_counters')
              .set(Object.fromEntries(columns.map((column, i) => [column, values[i]])))
              .where('last', '=', values[columns.length] as number)
        })
        await insertCounter(db, 'k1', 1)
        await insertCounter(db, 'k2', 1)
        await insertCounter(db, 'k3', 2)
        assert.equal(await setting('last').executeCountingRows(db, 5, 1), 2)
        assert.equal(await setting('last').executeCountingRows(db, 6, 1), 0)
        assert.equal(await setting('year,last').executeCountingRows(db, 'k9', 9, 2), 1)
        // The same shape is the same prepared query; another shape is another.
        assert.equal(setting('last'), setting('last'))
        assert.notEqual(setting('last'), setting('year,last'))
        const rows = await db.selectFrom('rma_counters').select(['year', 'last']).orderBy('year').execute()
        assert.deepEqual(rows, [
          { year: 'k1', last: 5 },
          { year: 'k2', last: 5 },
          { year: 'k9', last: 9 },
        ])
      } finally {
        await database.dispose()
      }
    })

    test('keeps a bounded number of shapes, the oldest made dropped first', () => {
      const made: string[] = []
      const byShape = preparedQueriesByShape((shape) => {
        made.push(shape)
        return (db: Db) => db.selectFrom('rma_counters').select('year')
      }, 2)
      const a = byShape('a')
      byShape('b')
      assert.equal(byShape('a'), a)
      byShape('c')
      assert.notEqual(byShape('a'), a)
      assert.deepEqual(made, ['a', 'b', 'c', 'a'])
    })

    test('refuses an argument used other than as a value, the first time it runs', async () => {
      const database = await openTestDatabase(engine)
      try {
        // Used to choose the shape: the stand-in is never a parameter.
        const shapeByArgument = preparedQuery((db: Db, wanted: string) =>
          db.selectFrom('rma_counters').select(wanted === 'last' ? ['year', 'last'] : ['year']),
        )
        await assert.rejects(shapeByArgument.execute(database.db, 'last'), /did not become parameters/)
        // Made part of a longer value.
        const insideValue = preparedQuery((db: Db, prefix: string) =>
          db.selectFrom('rma_counters').select('year').where('year', 'like', `${prefix}%`),
        )
        await assert.rejects(insideValue.execute(database.db, 'a'), /inside a value/)
      } finally {
        await database.dispose()
      }
    })
  })
}
