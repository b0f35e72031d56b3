import type SqliteDatabase from 'better-sqlite3'

export const isSqliteBusy = (error: unknown): boolean =>
  typeof (error as { code?: unknown })?.code === 'string' &&
  (error as { code: string }).code.startsWith('SQLITE_BUSY')

const pause = new Int32Array(new SharedArrayBuffer(4))

/**
 * Puts the file in write-ahead-log mode, waiting out other processes doing the same.
 *
 * The change needs the file to itself. Two processes opening a new file at once each hold a
 * read lock and ask for the write lock; SQLite answers one of them SQLITE_BUSY at once without
 * calling the busy handler, as waiting could deadlock. The one refused has let its read lock go
 * by then, so asking again after the other is through succeeds (on an existing log file the
 * second asking finds the mode already set).
 */
export function enterWriteAheadLog(sqlite: SqliteDatabase.Database, patienceMs = 10_000): void {
  const deadline = Date.now() + patienceMs
  for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
    try {
      sqlite.pragma('journal_mode = WAL')
      return
    } catch (error) {
      if (!isSqliteBusy(error) || Date.now() + wait > deadline) throw error
      // Opening the database is synchronous everywhere it is called, and so is this wait.
      Atomics.wait(pause, 0, 0, wait)
    }
  }
}
