import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import SqliteDatabase from 'better-sqlite3'
import { runForTestAsync, waitForLine } from '../shared/test-process.ts'
import { enterWriteAheadLog } from './write-ahead-log.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-wal-'))
after(() => fs.rmSync(folder, { recursive: true, force: true }))

/** A process that holds a read lock on `file` (in rollback-journal mode) for `holdMs`. */
function holdReadLock(file: string, holdMs: number) {
  const script = `
    const Database = require('better-sqlite3')
    const db = new Database(${JSON.stringify(file)})
    db.exec('begin')
    db.prepare('select count(*) from t').get()
    console.log('holding')
    setTimeout(() => { db.exec('commit'); db.close() }, ${holdMs})
  `
  return spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
}

function rollbackModeFile(name: string): string {
  const file = path.join(folder, name)
  const setup = new SqliteDatabase(file)
  setup.exec('create table t (x integer)')
  setup.close()
  return file
}

test('a change refused while another process reads is asked again once it is through', async () => {
  const file = rollbackModeFile('refused-then-through.db')
  const holder = holdReadLock(file, 400)
  const ended = new Promise((resolve) => holder.once('exit', resolve))
  await waitForLine(holder, /holding/, 30_000)
  // With no busy handler, as when SQLite declines to call it for fear of a deadlock.
  const sqlite = new SqliteDatabase(file, { timeout: 0 })
  try {
    assert.throws(() => sqlite.pragma('journal_mode = WAL'), { code: 'SQLITE_BUSY' })
    enterWriteAheadLog(sqlite)
    assert.equal(sqlite.pragma('journal_mode', { simple: true }), 'wal')
  } finally {
    sqlite.close()
    await ended
  }
})

test('past its patience the refusal stands', async () => {
  const file = rollbackModeFile('patience.db')
  const holder = holdReadLock(file, 1_200)
  const ended = new Promise((resolve) => holder.once('exit', resolve))
  await waitForLine(holder, /holding/, 30_000)
  const sqlite = new SqliteDatabase(file, { timeout: 0 })
  try {
    const started = Date.now()
    assert.throws(() => enterWriteAheadLog(sqlite, 150), { code: 'SQLITE_BUSY' })
    assert.ok(Date.now() - started < 2_000, 'waited past its patience')
    assert.equal(sqlite.pragma('journal_mode', { simple: true }), 'delete')
  } finally {
    sqlite.close()
    await ended
  }
})

test('servers opening one new database file at the same moment all open it', async () => {
  // Eight races of two processes: each opens the round's new file at the round's instant.
  const rounds = 8
  const files = Array.from({ length: rounds }, (_, round) =>
    path.join(folder, `together-${round}`, 'aftercare.db'),
  )
  const at = Date.now() + 5_000
  const script = `
    import { openDatabase } from './src/db/database.ts'
    const files = ${JSON.stringify(files)}
    for (const [round, file] of files.entries()) {
      while (Date.now() < ${at} + round * 250) {}
      const handle = openDatabase({ engine: 'sqlite', file, durability: 'group' })
      handle.sqlite.exec('create table if not exists t (x integer)')
      console.log(handle.sqlite.pragma('journal_mode', { simple: true }))
      await handle.close()
    }
  `
  const runs = await Promise.all(
    Array.from({ length: 2 }, () =>
      runForTestAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: ROOT,
      }),
    ),
  )
  for (const run of runs) {
    assert.equal(run.status, 0, run.stderr)
    assert.deepEqual(run.stdout.trim().split('\n'), Array(rounds).fill('wal'))
  }
})
