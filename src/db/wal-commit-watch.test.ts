import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import SqliteDatabase from 'better-sqlite3'
import fc from 'fast-check'
import { readAgainOnlyAfterCommits } from '../registry/look-up-warranty.ts'
import { WalCommitWatch } from './wal-commit-watch.ts'

describe('WalCommitWatch', () => {
  let dir: string
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-commit-watch-'))
  })
  after(() => fs.rmSync(dir, { recursive: true, force: true }))

  /** Two connections on one file in log mode, as the server holds them, and a watch. */
  const openFile = (name: string) => {
    const file = path.join(dir, name)
    const writer = new SqliteDatabase(file)
    writer.pragma('journal_mode = WAL')
    writer.exec('create table t (id integer primary key, v text)')
    const other = new SqliteDatabase(file)
    const watch = WalCommitWatch.open(file)
    assert.ok(watch, 'a file in log mode has an index to watch')
    return {
      file,
      writer,
      other,
      watch,
      close() {
        watch.close()
        other.close()
        writer.close()
      },
    }
  }

  test('the first look is a change; without commits, later ones are not, reads included', () => {
    const f = openFile('quiet.db')
    try {
      assert.equal(f.watch.unchangedSinceLastAsked(), false)
      assert.equal(f.watch.unchangedSinceLastAsked(), true)
      f.other.prepare('select count(*) from t').get()
      f.writer.prepare('select * from t').all()
      assert.equal(f.watch.unchangedSinceLastAsked(), true)
    } finally {
      f.close()
    }
  })

  test('a commit on any connection is seen once, a rolled-back transaction not at all', () => {
    const f = openFile('commits.db')
    try {
      f.watch.unchangedSinceLastAsked()
      f.other.prepare('insert into t (v) values (?)').run('a')
      assert.equal(f.watch.unchangedSinceLastAsked(), false)
      assert.equal(f.watch.unchangedSinceLastAsked(), true)
      f.writer.prepare('update t set v = ? where id = 1').run('b')
      assert.equal(f.watch.unchangedSinceLastAsked(), false)
      f.writer.exec('begin; insert into t (v) values (1); rollback')
      assert.equal(f.watch.unchangedSinceLastAsked(), true)
    } finally {
      f.close()
    }
  })

  test('a commit by another process is seen on the next look after it returns', () => {
    const f = openFile('process.db')
    try {
      f.watch.unchangedSinceLastAsked()
      const script = `
        const Database = require('better-sqlite3')
        const db = new Database(process.argv[1])
        db.pragma('busy_timeout = 5000')
        db.prepare('insert into t (v) values (?)').run('from afar')
        db.close()`
      const child = spawnSync(process.execPath, ['-e', script, f.file], {
        cwd: process.cwd(),
        encoding: 'utf8',
      })
      assert.equal(child.status, 0, child.stderr)
      assert.equal(f.watch.unchangedSinceLastAsked(), false)
      assert.equal(f.other.prepare('select count(*) from t').pluck().get(), 1)
    } finally {
      f.close()
    }
  })

  test('checkpoints that restart or truncate the log, and the commits after them, are seen', () => {
    const f = openFile('restart.db')
    try {
      for (const mode of ['PASSIVE', 'FULL', 'RESTART', 'TRUNCATE']) {
        f.writer.prepare('insert into t (v) values (?)').run(mode)
        f.writer.pragma(`wal_checkpoint(${mode})`)
        f.watch.unchangedSinceLastAsked()
        // The log now starts again from its first frame: the same frame count, a new salt.
        f.other.prepare('insert into t (v) values (?)').run(mode)
        assert.equal(f.watch.unchangedSinceLastAsked(), false, mode)
      }
    } finally {
      f.close()
    }
  })

  test('no index to watch: a file in rollback-journal mode, or one in memory', () => {
    const file = path.join(dir, 'journal.db')
    const db = new SqliteDatabase(file)
    db.exec('create table t (id integer primary key)')
    try {
      assert.equal(WalCommitWatch.open(file), undefined)
      assert.equal(WalCommitWatch.open(':memory:'), undefined)
    } finally {
      db.close()
    }
  })

  test('a header it cannot trust is always a change', () => {
    const file = path.join(dir, 'forged.db')
    const header = Buffer.alloc(96)
    header.writeUInt32LE(3007000, 0)
    header[12] = 1
    header.copy(header, 48, 0, 48)
    fs.writeFileSync(`${file}-shm`, header)
    const watch = WalCommitWatch.open(file)
    assert.ok(watch)
    try {
      watch.unchangedSinceLastAsked()
      assert.equal(watch.unchangedSinceLastAsked(), true, 'a well-formed header, unchanged')
      const forgeries: Array<[string, (b: Buffer) => Buffer]> = [
        ['copies that differ (a commit half-way through)', (b) => b.fill(7, 8, 9)],
        ['an unknown format', (b) => b.fill(9, 0, 1).fill(9, 48, 49)],
        ['an index not yet built', (b) => b.fill(0, 12, 13).fill(0, 60, 61)],
        ['a short file', (b) => b.subarray(0, 40)],
      ]
      for (const [what, forge] of forgeries) {
        fs.writeFileSync(`${file}-shm`, forge(Buffer.from(header)))
        assert.equal(watch.unchangedSinceLastAsked(), false, what)
        assert.equal(watch.unchangedSinceLastAsked(), false, `${what}, asked again`)
        fs.writeFileSync(`${file}-shm`, header)
        assert.equal(watch.unchangedSinceLastAsked(), false, `after ${what}, the good header is news`)
        assert.equal(watch.unchangedSinceLastAsked(), true)
      }
      watch.close()
      assert.equal(watch.unchangedSinceLastAsked(), false, 'a closed watch knows nothing')
    } finally {
      watch.close()
    }
  })

  test('generated sequences: "unchanged" only when nothing committed since the last look', () => {
    const f = openFile('generated.db')
    const operation = fc.constantFrom(
      'commit-writer',
      'commit-other',
      'rollback',
      'read',
      'checkpoint-passive',
      'checkpoint-truncate',
      'look',
    )
    try {
      fc.assert(
        fc.property(fc.array(operation, { minLength: 1, maxLength: 40 }), (operations) => {
          f.watch.unchangedSinceLastAsked()
          let committed = false
          for (const op of operations) {
            if (op === 'commit-writer') {
              f.writer.prepare('insert into t (v) values (?)').run(op)
              committed = true
            } else if (op === 'commit-other') {
              f.other.prepare('insert into t (v) values (?)').run(op)
              committed = true
            } else if (op === 'rollback') f.other.exec('begin; insert into t (v) values (0); rollback')
            else if (op === 'read') f.other.prepare('select count(*) from t').get()
            else if (op === 'checkpoint-passive') f.writer.pragma('wal_checkpoint(PASSIVE)')
            else if (op === 'checkpoint-truncate') f.writer.pragma('wal_checkpoint(TRUNCATE)')
            else {
              const unchanged = f.watch.unchangedSinceLastAsked()
              if (committed) assert.equal(unchanged, false, 'a commit went unseen')
              committed = false
            }
          }
        }),
        { numRuns: 150 },
      )
    } finally {
      f.close()
    }
  })
})

describe('readAgainOnlyAfterCommits', () => {
  test('reads once per change, and never keeps a failed read', async () => {
    let unchanged = false
    let reads = 0
    let fail = false
    const read = readAgainOnlyAfterCommits(
      async () => {
        reads++
        if (fail) throw new Error('disk gone')
        return reads
      },
      { unchangedSinceLastAsked: () => unchanged },
    )
    assert.equal(await read(), 1)
    unchanged = true
    assert.equal(await read(), 1)
    assert.equal(await read(), 1)
    assert.equal(reads, 1)
    unchanged = false
    fail = true
    await assert.rejects(read(), /disk gone/)
    unchanged = true
    fail = false
    assert.equal(await read(), 3, 'after a failed read the next look reads again')
    assert.equal(await read(), 3)
  })
})
