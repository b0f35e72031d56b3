import type SqliteDatabase from 'better-sqlite3'
import { isSqliteBusy } from './write-ahead-log.ts'

/**
 * Runs `work` (which opens and commits its own transaction) with a rollback journal instead
 * of the write-ahead log, then goes back to the log. Nothing else may use the connection
 * while `work` waits.
 *
 * One transaction that writes most of the file writes every page twice in the log: into the
 * log, then into the file by the checkpoint at the commit (about 400 MB each way for a
 * million units). With a rollback journal a page the file did not have is written once; only
 * the pages it had are copied to the journal first. With synchronous=FULL the journal is on
 * disk before any of those pages is overwritten, so a crash before the commit leaves a hot
 * journal that the next opening of the file plays back: the file is as it was before.
 *
 * SQLite leaves the log only when no other connection has the file open, in this process (a
 * read connection) or another (a running server); else `work` runs in the log as before, and
 * the attempt does not wait for the others. Unlike in the log, a process that opens the file
 * during the load cannot read it meanwhile: it waits, up to its busy timeout, for the commit.
 * Returns whether the journal was used.
 *
 * While alone on the file the connection also reads it through a memory map (up to SQLite's
 * compiled limit of 2 GB): a bulk load reads back what it wrote (each index built after a
 * load scans the whole table), and a map saves a system call and a copy per page. Nobody
 * else can shrink the file meanwhile, which is what makes a map unsafe beside others.
 */
export async function withRollbackJournal(
  sqlite: SqliteDatabase.Database,
  work: () => Promise<void> | void,
): Promise<boolean> {
  if (sqlite.inTransaction || sqlite.pragma('journal_mode', { simple: true }) !== 'wal') {
    await work()
    return false
  }
  if (!leaveLog(sqlite)) {
    await work()
    return false
  }
  const mapped = sqlite.pragma('mmap_size', { simple: true }) as number
  sqlite.pragma(`mmap_size = ${2 ** 32}`)
  try {
    await work()
  } finally {
    sqlite.pragma(`mmap_size = ${mapped}`)
    backToLog(sqlite)
  }
  return true
}

function leaveLog(sqlite: SqliteDatabase.Database): boolean {
  const timeout = sqlite.pragma('busy_timeout', { simple: true }) as number
  sqlite.pragma('busy_timeout = 0')
  try {
    return sqlite.pragma('journal_mode = DELETE', { simple: true }) === 'delete'
  } catch (error) {
    if (isSqliteBusy(error)) return false
    throw error
  } finally {
    sqlite.pragma(`busy_timeout = ${timeout}`)
  }
}

function backToLog(sqlite: SqliteDatabase.Database): void {
  try {
    sqlite.pragma('journal_mode = WAL')
  } catch (error) {
    // Another process opened the file meanwhile and holds it past the busy timeout: the work
    // is committed, and the next opening of the file (which asks for the log) takes it back.
    if (!isSqliteBusy(error)) throw error
  }
}
