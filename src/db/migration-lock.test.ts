import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
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

  test('the session holding the lock ended under the work: the work finishes and the process lives', async () => {
    const answer = await withStartLock(database.db, async () => {
      const pid = await lockHolder()
      await sql`select pg_terminate_backend(${pid})`.execute(database.db)
      // The ended session's error reaches its client while the work goes on.
      for (let waited = 0; waited < 100; waited++) {
        const { rows } = await sql<{
          n: number
        }>`select count(*)::int as n from pg_stat_activity where pid = ${pid}`.execute(database.db)
        if (rows[0]?.n === 0) break
        await sleep(20)
      }
      await sleep(100)
      return 'seeded'
    })
    assert.equal(answer, 'seeded')
    // The lock went with its session: the next start takes it at once.
    assert.equal(await withStartLock(database.db, async () => 'again'), 'again')
  })
})
