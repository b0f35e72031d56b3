import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import SqliteDatabase from 'better-sqlite3'
import fc from 'fast-check'
import { sql } from 'kysely'
import { type DatabaseHandle, openDatabase } from './database.ts'

async function withSqlite(run: (handle: DatabaseHandle, file: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-dialect-'))
  const file = path.join(dir, 'rows.db')
  const handle = openDatabase({ engine: 'sqlite', file })
  try {
    await run(handle, file)
  } finally {
    await handle.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

test('rows of a statement that names its columns are what better-sqlite3 makes, keys in order', async () => {
  await withSqlite(async ({ db }, file) => {
    await sql`create table t (a integer, b text, c real, d blob, e text)`.execute(db)
    const row = fc.tuple(
      fc.option(fc.integer(), { nil: null }),
      fc.option(fc.string(), { nil: null }),
      fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
      fc.option(fc.uint8Array({ maxLength: 8 }), { nil: null }),
      fc.option(fc.string(), { nil: null }),
    )
    const plain = new SqliteDatabase(file, { readonly: true })
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(row, { maxLength: 6 }), async (rows) => {
          await sql`delete from t`.execute(db)
          for (const [a, b, c, d, e] of rows)
            await sql`insert into t values (${a}, ${b}, ${c}, ${d === null ? null : Buffer.from(d)}, ${e})`.execute(
              db,
            )
          // Named columns, one twice and one renamed: read as arrays and made into objects here.
          const query = 'select e, a, b as bee, c, d, a from t order by rowid'
          const ours = (await sql.raw(query).execute(db)).rows
          const theirs = plain.prepare(query).all() as Record<string, unknown>[]
          assert.deepEqual(ours, theirs)
          assert.deepEqual(
            ours.map((r) => Object.keys(r as object)),
            theirs.map((r) => Object.keys(r)),
          )
          // The same statement streamed.
          const streamed: unknown[] = []
          for await (const r of db
            .selectFrom('t' as never)
            .select(['e', 'a'] as never)
            .stream())
            streamed.push(r)
          assert.deepEqual(
            streamed,
            theirs.map(({ e, a }) => ({ e, a })),
          )
        }),
        { numRuns: 40 },
      )
    } finally {
      plain.close()
    }
  })
})

test('a statement with `*` follows its table when a rebuild moves the columns', async () => {
  await withSqlite(async ({ db }) => {
    await sql`create table t (a text, b text)`.execute(db)
    await sql`insert into t values ('first', 'second')`.execute(db)
    const everything = () =>
      db
        .selectFrom('t' as never)
        .selectAll()
        .execute()
    const named = () =>
      db
        .selectFrom('t' as never)
        .select(['a', 'b'] as never)
        .execute()
    assert.deepEqual(await everything(), [{ a: 'first', b: 'second' }])
    assert.deepEqual(await named(), [{ a: 'first', b: 'second' }])
    // The rebuild a migration does to reorder columns: the cached statements are prepared again.
    await sql`create table t2 (b text, a text)`.execute(db)
    await sql`insert into t2 (b, a) select b, a from t`.execute(db)
    await sql`drop table t`.execute(db)
    await sql`alter table t2 rename to t`.execute(db)
    assert.deepEqual(await everything(), [{ b: 'second', a: 'first' }])
    assert.deepEqual(await named(), [{ a: 'first', b: 'second' }])
  })
})
