import { AsyncLocalStorage } from 'node:async_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import SqliteDatabase from 'better-sqlite3'
import { SqliteAdapter, sql } from 'kysely'
import { AppError } from '../shared/errors.ts'
import { type Db, openSideSession } from './database.ts'

const RETRY_MS = 25

/** The database files whose lock the current async call chain holds, so a nested call does not wait for itself. */
const held = new AsyncLocalStorage<ReadonlySet<string>>()
/**
 * Runs of `held.run` not yet ended. While any storage of the process is enabled, Node 20
 * calls its promise hooks for every promise made anywhere, a few per cent of a server's
 * time long after start-up migrated; the storage is disabled again once the last run ends.
 */
let heldRuns = 0

/**
 * Runs `work` while no other process (nor another run in this one) migrates the same
 * embedded database. Kysely's migrator locks only on PostgreSQL (an advisory lock); on
 * SQLite it counts on one connection, which holds for one process only: two first starts
 * on one data folder both read "nothing applied" and both create the tables.
 *
 * The lock is an exclusive lock on a small SQLite file of its own beside the database, not
 * a transaction on the database itself: a migration that rebuilds a table turns foreign
 * keys off, which SQLite ignores inside a transaction. The operating system drops the lock
 * of a process that dies, so a killed migration never leaves a lock behind. A waiter polls
 * rather than sleeping in SQLite's busy handler, which would hold the event loop and, for
 * a second run in the same process, the run it waits for. Work done under the lock may
 * migrate again (see `withStartLock`); that nested call goes straight on.
 */
export async function withMigrationLock<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return work()
  const { rows } = await sql<{
    file: string
  }>`select file from pragma_database_list where name = 'main'`.execute(db)
  const file = rows[0]?.file
  // An in-memory database is private to its connection: nobody else can migrate it.
  if (!file || held.getStore()?.has(file)) return work()
  const lock = new SqliteDatabase(`${file}-migration-lock`)
  try {
    lock.pragma('busy_timeout = 0')
    for (;;) {
      try {
        lock.exec('begin exclusive')
        break
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error
        await sleep(RETRY_MS)
      }
    }
    heldRuns++
    try {
      return await held.run(new Set([...(held.getStore() ?? []), file]), work)
    } finally {
      lock.exec('commit')
      if (--heldRuns === 0) held.disable()
    }
  } finally {
    lock.close()
  }
}

/**
 * Runs `work` while no other process starting on the same database does: `start` migrates,
 * finds the database empty and seeds the demo in one turn, so that of several instances
 * started at once on a new database exactly one seeds it and the others find it seeded.
 *
 * On SQLite this is the migration lock. On PostgreSQL it is a session-level advisory lock
 * keyed by the schema (instances in other schemas of the database go on), held by a session
 * of its own while the work runs through the pool; PostgreSQL drops it with the session of
 * a process that dies. Kysely's own lock covers only the migrations, not the seeding after.
 */
export async function withStartLock<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const session = openSideSession(db)
  if (!session) return withMigrationLock(db, work)
  // Once the session is gone so is its lock, and a second instance may be migrating or
  // seeding beside this one: the work is refused at once rather than let finish as if it
  // were still alone. It may still be writing through the pool; the caller stops it (the
  // start command closes the pool and exits), and what it wrote is whole by transaction and
  // picked up by the next start (see `start` in server.cli.ts).
  let ending = false
  let refuse: (error: AppError) => void = () => {}
  const lost = new Promise<never>((_, reject) => {
    refuse = reject
  })
  // Heard only when the lock is lost while the work runs; otherwise nobody awaits it.
  lost.catch(() => {})
  const lockLost = (cause?: unknown) => {
    if (!ending) refuse(new AppError('internal', { key: 'cli.start.lock-lost' }, { cause }))
  }
  // An error on the idle session (the server restarting, the session ended by an
  // administrator, the network dropping) is emitted as an event, which unheard would end
  // the process without a word; the session ends after it.
  session.on('error', lockLost)
  session.on('end', () => lockLost())
  await session.connect()
  try {
    await session.query(
      "select pg_advisory_lock(hashtext('aftercare start ' || coalesce(current_schema(), '')))",
    )
    return await Promise.race([work(), lost])
  } finally {
    ending = true
    // Ending the session releases its lock.
    await session.end()
  }
}
