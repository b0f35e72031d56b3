import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import SqliteDatabase from 'better-sqlite3'
import { BackgroundCheckpoint, SQLITE_DEFAULT_PAGES, WRITER_FALLBACK_PAGES } from './background-checkpoint.ts'
import { type DatabaseHandle, openDatabase } from './database.ts'

const ROW = 'x'.repeat(1000)

/** The database file's own size: what checkpoints have copied out of the log so far. */
const mainFileBytes = (file: string) => fs.statSync(file).size

/** A database on a new file in a folder of its own, closed and removed after `run`. */
async function withDatabase(
  durability: 'group' | 'per-commit',
  run: (handle: DatabaseHandle, file: string) => Promise<void>,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-checkpoint-'))
  const file = path.join(dir, 'test.db')
  const handle = openDatabase({ engine: 'sqlite', file, durability })
  try {
    await run(handle, file)
  } finally {
    await handle.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (condition()) return true
    await sleep(20)
  }
  return condition()
}

test("the server's log is checkpointed by its own thread, while the writer's threshold is never reached", async () => {
  await withDatabase('group', async (handle, file) => {
    const writer = handle.sqlite!
    assert.equal(writer.pragma('wal_autocheckpoint', { simple: true }), WRITER_FALLBACK_PAGES)
    writer.exec('create table t (n integer, body text)')
    const before = mainFileBytes(file)
    const insert = writer.prepare('insert into t values (?, ?)')
    // About 500 pages in 2,000 commits, flushed every 20: a twentieth of the writer’s threshold.
    for (let n = 0; n < 2000; n++) {
      insert.run(n, ROW)
      if (n % 20 === 19) await handle.durable()
    }
    assert.ok(
      await until(() => mainFileBytes(file) > before + 1_500_000, 5000),
      `the database file grew from ${before} to ${mainFileBytes(file)} bytes`,
    )
    // Another connection reads every row from the file the checkpoints wrote.
    const other = new SqliteDatabase(file, { readonly: true })
    assert.equal(other.prepare('select count(*) from t').pluck().get(), 2000)
    other.close()
  })
})

test('a database for commands keeps SQLite’s own checkpoints and starts no thread', async () => {
  await withDatabase('per-commit', async (handle, file) => {
    assert.equal(handle.sqlite?.pragma('wal_autocheckpoint', { simple: true }), 1000)
    handle.sqlite?.exec('create table t (n integer, body text)')
    const before = mainFileBytes(file)
    const insert = handle.sqlite!.prepare('insert into t values (?, ?)')
    for (let n = 0; n < 400; n++) insert.run(n, ROW)
    await sleep(300)
    // 100 pages in the log, a tenth of SQLite's threshold: nobody copied them out.
    assert.equal(mainFileBytes(file), before)
  })
})

test('closing the database stops the thread, and no commit is lost', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-checkpoint-'))
  const file = path.join(dir, 'test.db')
  for (let round = 0; round < 3; round++) {
    const handle = openDatabase({ engine: 'sqlite', file, durability: 'group' })
    handle.sqlite?.exec('create table if not exists t (n integer, body text)')
    const insert = handle.sqlite!.prepare('insert into t values (?, ?)')
    for (let n = 0; n < 300; n++) insert.run(n, ROW)
    await handle.durable()
    await handle.close()
  }
  const reopened = new SqliteDatabase(file, { readonly: true })
  assert.equal(reopened.prepare('select count(*) from t').pluck().get(), 900)
  reopened.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** A writer on a new file, with a checkpoint thread pointed at `workerFile`; cleaned up after `run`. */
async function withThread(
  workerFile: (dir: string) => string,
  run: (writer: SqliteDatabase.Database, reports: string[], thread: BackgroundCheckpoint) => Promise<void>,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-checkpoint-'))
  const writer = new SqliteDatabase(path.join(dir, 'writer.db'))
  writer.pragma('journal_mode = WAL')
  const reports: string[] = []
  const thread = new BackgroundCheckpoint(writer, workerFile(dir), {
    intervalMs: 10,
    report: (message) => reports.push(message),
  })
  try {
    await run(writer, reports, thread)
  } finally {
    await thread.stop()
    writer.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

test('a checkpoint thread that cannot start says so, and the writer checkpoints at SQLite’s own threshold', async () => {
  await withThread(
    (dir) => path.join(dir, 'no such folder', 'x.db'),
    async (writer, reports) => {
      assert.ok(await until(() => reports.length > 0, 5000), 'no report of the failed thread')
      assert.match(reports[0] ?? '', /checkpoint thread stopped/)
      assert.ok(
        await until(
          () => writer.pragma('wal_autocheckpoint', { simple: true }) === SQLITE_DEFAULT_PAGES,
          2000,
        ),
      )
    },
  )
})

test('a failing checkpoint is reported once, not every time it is tried', async () => {
  await withThread(
    (dir) => {
      const file = path.join(dir, 'garbage.db')
      fs.writeFileSync(
        file,
        'this is not a database file, only text long enough to have a header'.repeat(100),
      )
      return file
    },
    async (writer, reports) => {
      assert.ok(await until(() => reports.length > 0, 5000), 'no report of the failing checkpoint')
      // Twenty more attempts at 10 ms each.
      await sleep(200)
      assert.equal(reports.length, 1, reports.join('\n'))
      assert.match(reports[0] ?? '', /background checkpoint failed: .*not a database/)
      // The thread still runs, so the writer keeps its raised threshold.
      assert.equal(writer.pragma('wal_autocheckpoint', { simple: true }), WRITER_FALLBACK_PAGES)
    },
  )
})

test('a stopped thread reports nothing and leaves the writer as it was', async () => {
  await withThread(
    (dir) => path.join(dir, 'writer.db'),
    async (writer, reports, thread) => {
      await thread.stop()
      await sleep(50)
      assert.deepEqual(reports, [])
      assert.equal(writer.pragma('wal_autocheckpoint', { simple: true }), WRITER_FALLBACK_PAGES)
    },
  )
})
