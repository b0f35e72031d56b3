import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { isAppError } from '../shared/errors.ts'
import { type Db, openDatabase } from './database.ts'
import { withMigrationLock, withStartLock } from './migration-lock.ts'
import { openTestDatabase, type TestDatabase, testEngines } from './test-database.ts'

describe('the start lock on PostgreSQL', { skip: !testEngines().includes('postgres') }, () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase('postgres')
  })
  after(() => database?.dispose())

  /** The process id of the PostgreSQL session holding this schema's start lock. */
  const lockHolder = async (): Promise<number> => {
    const { rows } = await sql<{ pid: number }>`
      select pid from pg_locks
      where locktype = 'advisory' and granted
        and database = (select oid from pg_database where datname = current_database())
        and objid::bigint = (hashtext('aftercare start ' || coalesce(current_schema(), ''))::bigint & 4294967295)
    `.execute(database.db)
    assert.equal(rows.length, 1, 'one session holds the start lock')
    return rows[0]?.pid ?? 0
  }

  test('the session holding the lock ended under the work: the work is refused at once, naming the lost lock', async () => {
    let finished = false
    const started = performance.now()
    const refused = await withStartLock(database.db, async () => {
      const pid = await lockHolder()
      await sql`select pg_terminate_backend(${pid})`.execute(database.db)
      // A seeding that would go on for a long while yet.
      await sleep(3000)
      finished = true
      return 'seeded'
    }).then(
      () => undefined,
      (error: unknown) => error,
    )
    assert.ok(isAppError(refused), `refused, not ${String(refused)}`)
    assert.equal(refused.text?.key, 'cli.start.lock-lost')
    assert.equal(finished, false, 'refused before the work ran its course')
    assert.ok(performance.now() - started < 2500, 'refused when the lock went, not when the work ended')
    // The lock went with its session: the next start takes it at once.
    assert.equal(await withStartLock(database.db, async () => 'again'), 'again')
  })

  test('a start lock held to the end is given back: the next start takes it', async () => {
    assert.equal(await withStartLock(database.db, async () => 'first'), 'first')
    assert.equal(await withStartLock(database.db, async () => 'second'), 'second')
  })
})

describe('the migration lock on SQLite, held by several runs in one process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-migration-lock-'))
  const first = openDatabase({ engine: 'sqlite', file: path.join(dir, 'first.sqlite') })
  const second = openDatabase({ engine: 'sqlite', file: path.join(dir, 'second.sqlite') })
  after(async () => {
    await first.close()
    await second.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  /** A nested call under a held lock goes straight on; one that waited for itself would never end. */
  const nestedGoesStraightOn = (db: Db): Promise<string> =>
    Promise.race([withMigrationLock(db, async () => 'nested'), sleep(3000).then(() => 'waited for itself')])

  test("another database's run ending meanwhile does not drop the hold of a run still going", async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const outer = withMigrationLock(first.db, async () => {
      await gate
      return nestedGoesStraightOn(first.db)
    })
    assert.equal(await withMigrationLock(second.db, async () => 'second done'), 'second done')
    release()
    assert.equal(await outer, 'nested')
  })

  test('a run after every earlier one ended still knows the lock it holds', async () => {
    await withMigrationLock(first.db, async () => 'earlier')
    assert.equal(await withMigrationLock(second.db, () => nestedGoesStraightOn(second.db)), 'nested')
  })
})
