import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import SqliteDatabase from 'better-sqlite3'
import { type Kysely, sql } from 'kysely'
import { openDatabase, openSideSession, withStatementCache } from './database.ts'
import { openTestDatabase, testEngines } from './test-database.ts'

test('the statement cache reuses a prepared statement for the same SQL', () => {
  const sqlite = new SqliteDatabase(':memory:')
  const cached = withStatementCache(sqlite)
  assert.equal(cached.prepare('select 1 as one'), cached.prepare('select 1 as one'))
  assert.notEqual(cached.prepare('select 1 as one'), cached.prepare('select 2 as two'))
  cached.close()
})

test('a statement still being iterated is not handed out again', () => {
  const sqlite = new SqliteDatabase(':memory:')
  sqlite.exec('create table t (n integer); insert into t values (1), (2), (3)')
  const cached = withStatementCache(sqlite)
  const outer = cached.prepare('select n from t order by n')
  const seen: number[] = []
  for (const row of outer.iterate() as IterableIterator<{ n: number }>) {
    // The same SQL while the first is mid-iteration: it must be a different statement.
    const inner = cached.prepare('select n from t order by n')
    assert.notEqual(inner, outer)
    seen.push(row.n, (inner.all() as { n: number }[]).length)
  }
  assert.deepEqual(seen, [1, 3, 2, 3, 3, 3])
  cached.close()
})

test('the cache forgets the least recently used statement past its capacity', () => {
  const sqlite = new SqliteDatabase(':memory:')
  const cached = withStatementCache(sqlite, 2)
  const first = cached.prepare('select 1')
  const second = cached.prepare('select 2')
  cached.prepare('select 1')
  cached.prepare('select 3')
  assert.equal(cached.prepare('select 1'), first, 'recently used, kept')
  assert.notEqual(cached.prepare('select 2'), second, 'least recently used, forgotten')
  cached.close()
})

describe('group commit on the embedded engine', () => {
  function openGroup() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-group-flush-'))
    const handle = openDatabase({ engine: 'sqlite', file: path.join(dir, 'test.db'), durability: 'group' })
    handle.sqlite?.exec('create table t (n integer)')
    const insert = handle.sqlite!.prepare('insert into t values (?)')
    return { dir, handle, insert: (n: number) => insert.run(n) }
  }

  /** Counts the log syncs; holds them until `open()`, after which every sync goes through. */
  function watchSyncs() {
    const original = fs.fdatasync
    const held: Array<() => void> = []
    let count = 0
    let gateOpen = false
    fs.fdatasync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      count++
      if (gateOpen) original(fd, callback)
      else held.push(() => original(fd, callback))
    }) as typeof fs.fdatasync
    return {
      get count() {
        return count
      },
      open() {
        gateOpen = true
        for (const release of held.splice(0)) release()
      },
      restore: () => {
        fs.fdatasync = original
      },
    }
  }

  test('callers that arrive during a flush share the next one, which covers their commits', async () => {
    const { dir, handle, insert } = openGroup()
    const syncs = watchSyncs()
    try {
      insert(1)
      const first = handle.durable()
      insert(2)
      // Written after the first flush began: must wait for a second flush, shared by all.
      const waiting = [handle.durable(), handle.durable(), handle.durable()]
      assert.equal(syncs.count, 1)
      let settled = 0
      for (const promise of waiting) void promise.then(() => settled++)
      syncs.open()
      await Promise.all([first, ...waiting])
      assert.equal(settled, 3)
      assert.equal(syncs.count, 2, 'one flush for the first caller, one shared by the three after it')
    } finally {
      syncs.restore()
      await handle.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a flush with nothing written since the last one does not touch the disk', async () => {
    const { dir, handle, insert } = openGroup()
    try {
      insert(1)
      await handle.durable()
      const syncs = watchSyncs()
      try {
        await handle.durable()
        assert.equal(syncs.count, 0)
        insert(2)
        const pending = handle.durable()
        syncs.open()
        await pending
        assert.equal(syncs.count, 1)
      } finally {
        syncs.restore()
      }
    } finally {
      await handle.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a read is answered while a flush is still on its way to the disk', async () => {
    const { dir, handle, insert } = openGroup()
    const syncs = watchSyncs()
    try {
      insert(1)
      let flushed = false
      const flush = handle.durable().then(() => {
        flushed = true
      })
      const rows = await sql<{ n: number }>`select n from t`.execute(handle.db)
      const viaSelect = await handle.db
        .selectFrom('t' as never)
        .selectAll()
        .execute()
      assert.equal(flushed, false, 'the flush is held, the reads are answered')
      assert.deepEqual(rows.rows, [{ n: 1 }])
      assert.equal(viaSelect.length, 1)
      syncs.open()
      await flush
    } finally {
      syncs.restore()
      await handle.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('commits acknowledged by a flush are in the database after it is reopened', async () => {
    const { dir, handle, insert } = openGroup()
    for (let n = 0; n < 50; n++) insert(n)
    await handle.durable()
    await handle.close()
    const reopened = new SqliteDatabase(path.join(dir, 'test.db'))
    assert.equal(reopened.prepare('select count(*) as c from t').pluck().get(), 50)
    reopened.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })
})

/** A promise and the function that settles it, for steps that must wait for each other. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { open, opened }
}

describe('the read connection on the embedded engine', () => {
  test('selects run beside a transaction that holds the writer and see only committed rows', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-reader-'))
    const handle = openDatabase({ engine: 'sqlite', file: path.join(dir, 'test.db') })
    const db = handle.db as unknown as Kysely<{ t: { n: number } }>
    try {
      await sql`create table t (n integer)`.execute(db)
      await db.insertInto('t').values({ n: 1 }).execute()
      const { open: written, opened: didWrite } = gate()
      const { open: mayCommit, opened: commit } = gate()
      const order: string[] = []
      const transaction = db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ n: 2 }).execute()
        assert.equal(
          (await trx.selectFrom('t').selectAll().execute()).length,
          2,
          'the transaction sees its row',
        )
        written()
        await commit
        order.push('commit')
      })
      await didWrite
      // Without a connection of its own this read would wait for the commit, which waits for it.
      const during = await Promise.race([
        db.selectFrom('t').select('n').orderBy('n').execute(),
        new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), 2000)),
      ])
      assert.deepEqual(during, [{ n: 1 }])
      // A write outside the transaction still waits for the writer, and is not lost.
      const write = db
        .insertInto('t')
        .values({ n: 3 })
        .execute()
        .then(() => order.push('write'))
      mayCommit()
      await Promise.all([transaction, write])
      assert.deepEqual(order, ['commit', 'write'])
      const rows = await db.selectFrom('t').select('n').orderBy('n').execute()
      assert.deepEqual(rows, [{ n: 1 }, { n: 2 }, { n: 3 }])
      // The reader refuses writes of its own.
      assert.throws(() => handle.sqliteReader?.exec('insert into t values (4)'), /readonly|read-only/i)
    } finally {
      await handle.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('selects use the writer while it is free, whose page cache other commits do not empty', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-reader-'))
    const handle = openDatabase({ engine: 'sqlite', file: path.join(dir, 'test.db') })
    const db = handle.db as unknown as Kysely<{ t: { n: number }; on_writer: { n: number } }>
    try {
      await sql`create table t (n integer)`.execute(db)
      // A temporary table exists on its own connection only: reading it tells which one ran.
      handle.sqlite?.exec('create temp table on_writer (n integer); insert into on_writer values (7)')
      assert.deepEqual(await db.selectFrom('on_writer').select('n').execute(), [{ n: 7 }])
      const { open: written, opened: didWrite } = gate()
      const { open: mayCommit, opened: commit } = gate()
      const transaction = db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ n: 1 }).execute()
        written()
        await commit
      })
      await didWrite
      // Held by the transaction, the writer would show its uncommitted row: the reader answers.
      assert.deepEqual(await db.selectFrom('t').select('n').execute(), [])
      await assert.rejects(db.selectFrom('on_writer').select('n').execute(), /no such table/)
      mayCommit()
      await transaction
      assert.deepEqual(await db.selectFrom('t').select('n').execute(), [{ n: 1 }])
      assert.deepEqual(await db.selectFrom('on_writer').select('n').execute(), [{ n: 7 }])
    } finally {
      await handle.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the pool on PostgreSQL', { skip: !testEngines().includes('postgres') }, () => {
  test('a connection resting in the pool that is ended is reported and replaced; the process lives', async () => {
    const database = await openTestDatabase('postgres')
    const warned: Error[] = []
    const onWarning = (warning: Error & { code?: string }) => {
      if (warning.code === 'AFTERCARE_DB_CONNECTION') warned.push(warning)
    }
    process.on('warning', onWarning)
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)
      const resting = rows[0]?.pid
      assert.ok(resting)
      // Ended from a session of its own, so the pool's connection is idle when the end reaches it.
      const other = openSideSession(database.db)
      assert.ok(other)
      await other.connect()
      try {
        await other.query('select pg_terminate_backend($1)', [resting])
      } finally {
        await other.end()
      }
      for (let waited = 0; waited < 200 && warned.length === 0; waited++) await sleep(10)
      assert.equal(warned.length, 1, 'the failed connection is reported once')
      const again = await sql<{ n: number }>`select 1 as n`.execute(database.db)
      assert.equal(again.rows[0]?.n, 1)
    } finally {
      process.off('warning', onWarning)
      await database.dispose()
    }
  })
})
