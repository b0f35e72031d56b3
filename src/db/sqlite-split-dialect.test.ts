import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
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

test('a transaction that reads before it writes commits although another connection wrote in between', async () => {
  await withSqlite(async ({ db }, file) => {
    await sql`create table t (id integer primary key, n integer)`.execute(db)
    await sql`insert into t values (1, 0)`.execute(db)
    // Another process on the file; it does not wait, so whoever holds the lock decides.
    const other = new SqliteDatabase(file)
    other.pragma('busy_timeout = 0')
    const otherWrote: boolean[] = []
    try {
      await db.transaction().execute(async (trx) => {
        const { n } = await sql<{ n: number }>`select n from t where id = 1`
          .execute(trx)
          .then((r) => r.rows[0]!)
        try {
          other.prepare('insert into t (n) values (100)').run()
          otherWrote.push(true)
        } catch (error) {
          assert.equal((error as { code: string }).code, 'SQLITE_BUSY')
          otherWrote.push(false)
        }
        await sql`update t set n = ${n + 1} where id = 1`.execute(trx)
      })
      assert.deepEqual(otherWrote, [false], 'the transaction held the write lock from its start')
      assert.deepEqual(other.prepare('select n from t where id = 1').get(), { n: 1 })
    } finally {
      other.close()
    }
  })
})

test('a read-only transaction leaves the file free for another connection to write', async () => {
  await withSqlite(async ({ db }, file) => {
    await sql`create table t (id integer primary key, n integer)`.execute(db)
    const other = new SqliteDatabase(file)
    other.pragma('busy_timeout = 0')
    try {
      const seen = await db
        .transaction()
        .setAccessMode('read only')
        .execute(async (trx) => {
          await sql`select count(*) as c from t`.execute(trx)
          other.prepare('insert into t (n) values (1)').run()
          return (await sql<{ c: number }>`select count(*) as c from t`.execute(trx)).rows[0]!.c
        })
      assert.equal(seen, 0, 'the snapshot stayed as it began')
    } finally {
      other.close()
    }
  })
})

test('read-then-write transactions all commit while another process commits in a loop', async () => {
  await withSqlite(async ({ db }, file) => {
    await sql`create table t (id integer primary key, n integer)`.execute(db)
    await sql`insert into t values (1, 0)`.execute(db)
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.pragma('busy_timeout = 5000');
         const insert = db.prepare('insert into t (n) values (-1)');
         let written = 0;
         process.stdout.write('ready\\n');
         const tick = () => { insert.run(); written++; setTimeout(tick, 2) };
         tick();
         process.on('SIGTERM', () => { process.stdout.write(written + '\\n'); process.exit(0) });`,
        file,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const output: string[] = []
    writer.stdout.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk))
    try {
      await new Promise<void>((resolve) => writer.stdout.once('data', () => resolve()))
      const failures: unknown[] = []
      for (let step = 0; step < 60; step++) {
        // Steps come with gaps between them, as requests do, in which the other process commits.
        await new Promise((r) => setTimeout(r, 5))
        try {
          await db.transaction().execute(async (trx) => {
            const row = await sql<{ n: number }>`select n from t where id = 1`.execute(trx)
            // A claim step awaits between its read and its write; the other process runs meanwhile.
            await new Promise((r) => setTimeout(r, 3))
            await sql`update t set n = ${row.rows[0]!.n + 1} where id = 1`.execute(trx)
          })
        } catch (error) {
          failures.push(error)
        }
      }
      assert.deepEqual(failures, [])
      const { n } = (await sql<{ n: number }>`select n from t where id = 1`.execute(db)).rows[0]!
      assert.equal(n, 60)
    } finally {
      const exited = new Promise((r) => writer.once('exit', r))
      writer.kill('SIGTERM')
      await exited
    }
    const written = Number(output.join('').trim().split('\n').at(-1))
    assert.ok(written > 10, `the other process kept writing (${written} rows)`)
  })
})
