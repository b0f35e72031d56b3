import assert from 'node:assert/strict'
import fs from 'node:fs'
import { test } from 'node:test'
import { withRollbackJournal } from './rollback-journal.ts'
import { openTestDatabase } from './test-database.ts'

test('a connection alone on the file writes through a rollback journal, then goes back to the log', async () => {
  const handle = await openTestDatabase('sqlite', { readConnection: false })
  try {
    const sqlite = handle.sqlite as NonNullable<typeof handle.sqlite>
    sqlite.exec('create table t (x integer)')
    let during: unknown
    let mapped: unknown
    const used = await withRollbackJournal(sqlite, () => {
      during = sqlite.pragma('journal_mode', { simple: true })
      mapped = sqlite.pragma('mmap_size', { simple: true })
      sqlite.transaction(() => sqlite.exec('insert into t values (1)'))()
    })
    assert.equal(used, true)
    assert.equal(during, 'delete')
    assert.ok((mapped as number) > 0, 'read without a memory map')
    assert.equal(sqlite.pragma('mmap_size', { simple: true }), 0)
    assert.equal(sqlite.pragma('journal_mode', { simple: true }), 'wal')
    assert.equal(sqlite.prepare('select count(*) from t').pluck().get(), 1)
    assert.equal(fs.existsSync(`${handle.location}-journal`), false)
  } finally {
    await handle.dispose()
  }
})

test('beside another connection the work stays in the log, without waiting for it', async () => {
  const handle = await openTestDatabase('sqlite')
  try {
    const sqlite = handle.sqlite as NonNullable<typeof handle.sqlite>
    sqlite.exec('create table t (x integer)')
    // The read connection holds the file once it has read.
    handle.sqliteReader?.prepare('select count(*) from t').get()
    const started = performance.now()
    let during: unknown
    let mapped: unknown
    const used = await withRollbackJournal(sqlite, () => {
      during = sqlite.pragma('journal_mode', { simple: true })
      mapped = sqlite.pragma('mmap_size', { simple: true })
      sqlite.exec('insert into t values (1)')
    })
    assert.equal(used, false)
    assert.equal(during, 'wal')
    // Not mapped beside another connection, which could shrink the file under the map.
    assert.equal(mapped, 0)
    assert.ok(performance.now() - started < 1000, 'waited for the other connection')
    assert.equal(sqlite.pragma('busy_timeout', { simple: true }), 5000)
    assert.equal(sqlite.prepare('select count(*) from t').pluck().get(), 1)
  } finally {
    await handle.dispose()
  }
})

test('work that fails still goes back to the log', async () => {
  const handle = await openTestDatabase('sqlite', { readConnection: false })
  try {
    const sqlite = handle.sqlite as NonNullable<typeof handle.sqlite>
    sqlite.exec('create table t (x integer)')
    await assert.rejects(
      () =>
        withRollbackJournal(sqlite, () =>
          sqlite.transaction(() => {
            sqlite.exec('insert into t values (1)')
            throw new Error('no')
          })(),
        ),
      /no/,
    )
    assert.equal(sqlite.pragma('journal_mode', { simple: true }), 'wal')
    assert.equal(sqlite.prepare('select count(*) from t').pluck().get(), 0)
  } finally {
    await handle.dispose()
  }
})
