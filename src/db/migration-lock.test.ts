import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { isAppError } from '../shared/errors.ts'
import { withStartLock } from './migration-lock.ts'
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
