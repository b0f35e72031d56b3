import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely } from 'kysely'
import pg from 'pg'
import { BackgroundCheckpoint } from './background-checkpoint.ts'
import { CurrentSchemaPostgresDialect } from './current-schema-dialect.ts'
import type { Database } from './schema.ts'
import { SplitSqliteDialect } from './sqlite-split-dialect.ts'
import { WalCommitWatch } from './wal-commit-watch.ts'
import { enterWriteAheadLog } from './write-ahead-log.ts'

export type Engine = 'sqlite' | 'postgres'
export type Db = Kysely<Database>

export interface DatabaseHandle {
  db: Db
  engine: Engine
  /** Where the data lives, for messages: a file path or a redacted URL. */
  location: string
  /**
   * The underlying better-sqlite3 connection on the embedded engine, for bulk paths
   * (imports) where per-statement query building would dominate; undefined on PostgreSQL.
   */
  sqlite?: SqliteDatabase.Database
  /**
   * A second connection to the same file on the embedded engine, for reads only: Kysely sends
   * plain selects outside transactions to it (see `SplitSqliteDialect`), and hot paths may
   * prepare their own reads on it. Never inside a transaction, so it sees only committed rows.
   * Absent when opened with `readConnection: false`.
   */
  sqliteReader?: SqliteDatabase.Database
  /**
   * On the embedded engine, a watch that tells without a read transaction whether anything
   * has committed to the file since it was last asked (see `WalCommitWatch`), for caches that
   * must never answer stale; undefined where the file has no log index. Closed with the handle.
   */
  watchCommits?(): WalCommitWatch | undefined
  /**
   * Resolves once every commit made before the call is on stable storage. Answers to
   * writes wait for it (see `durability` below); it resolves at once where each commit is
   * already durable on its own.
   */
  durable(): Promise<void>
  close(): Promise<void>
}

export type DatabaseOptions =
  | {
      engine: 'sqlite'
      file: string
      /**
       * `per-commit` (the default, for commands and tests): every commit waits for the disk,
       * holding the thread while it does. `group` (the server): commits return once written,
       * and `durable()` flushes all commits made so far with one asynchronous fdatasync of the
       * write-ahead log, off the event loop; concurrent writers share one flush. The log's
       * checkpoints then run in a thread of their own (`BackgroundCheckpoint`).
       */
      durability?: 'per-commit' | 'group'
      /**
       * `false` for a process that does one thing at a time and has no reads to keep apart
       * from its writes (a command-line import): every statement then goes to the one
       * connection, and with no second connection on the file a bulk load may set the
       * write-ahead log aside for its length (see `withRollbackJournal`).
       */
      readConnection?: boolean
    }
  | { engine: 'postgres'; url: string; schema?: string; poolSize?: number }

// PostgreSQL returns int8 (count(*), sums) as strings to avoid precision loss; every count
// we make fits a double, so read them as numbers once here rather than at every call site.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value))

/** How to open one more PostgreSQL session to a database, beside its pool (see `openSideSession`). */
const sideSessions = new WeakMap<Db, () => pg.Client>()

/**
 * A new PostgreSQL session to the same database and schema as `db`, outside its pool, not yet
 * connected; undefined on SQLite. For a session-level lock held while work runs through the
 * pool: held on a pooled connection it would leave a pool of one none to do the work with.
 * The caller connects and ends it.
 */
export function openSideSession(db: Db): pg.Client | undefined {
  return sideSessions.get(db)?.()
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.engine === 'sqlite') {
    fs.mkdirSync(path.dirname(options.file), { recursive: true })
    const sqlite = new SqliteDatabase(options.file)
    // WAL lets readers run beside the writer; synchronous=FULL makes every acknowledged
    // commit durable across a crash or power loss, not only across a process kill.
    enterWriteAheadLog(sqlite)
    const group = options.durability === 'group'
    // NORMAL in WAL mode still syncs at every checkpoint; what it leaves out (the sync of the
    // log at each commit) the group flush does for every acknowledged write.
    sqlite.pragma(group ? 'synchronous = NORMAL' : 'synchronous = FULL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('busy_timeout = 5000')
    const reader = options.readConnection === false ? undefined : new SqliteDatabase(options.file)
    reader?.pragma('query_only = ON')
    reader?.pragma('busy_timeout = 5000')
    const watches = new Set<WalCommitWatch>()
    const closeAll = () => {
      for (const watch of watches) watch.close()
      reader?.close()
      sqlite.close()
    }
    const dialect = new SplitSqliteDialect(
      withStatementCache(sqlite),
      reader ? withStatementCache(reader) : undefined,
      closeAll,
    )
    const db = new Kysely<Database>({ dialect })
    const flusher = group ? new GroupFlush(sqlite, `${options.file}-wal`) : undefined
    // The server's commits should not wait for checkpoints either (see BackgroundCheckpoint).
    const checkpointer = group ? new BackgroundCheckpoint(sqlite, options.file) : undefined
    return {
      db,
      engine: 'sqlite',
      location: options.file,
      sqlite,
      ...(reader ? { sqliteReader: reader } : {}),
      watchCommits() {
        const watch = WalCommitWatch.open(options.file)
        if (watch) watches.add(watch)
        return watch
      },
      durable: flusher ? () => flusher.flush() : () => Promise.resolve(),
      async close() {
        await flusher?.flush()
        flusher?.dispose()
        await checkpointer?.stop()
        await db.destroy()
      },
    }
  }
  const connection = {
    connectionString: options.url,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  }
  const pool = new pg.Pool({ ...connection, max: options.poolSize ?? defaultPoolSize() })
  // A connection resting in the pool that fails (the server restarting, a session ended by an
  // administrator, the network dropping) is taken out of it and reported by an error event,
  // which unheard would end the process. The pool opens a new connection when one is needed.
  pool.on('error', (error) =>
    process.emitWarning(
      `an idle database connection failed (${error.message}); another is opened when needed`,
      {
        code: 'AFTERCARE_DB_CONNECTION',
      },
    ),
  )
  const db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) })
  sideSessions.set(db, () => new pg.Client(connection))
  return {
    db,
    engine: 'postgres',
    location: redactUrl(options.url),
    // PostgreSQL acknowledges a commit only once its log record is flushed.
    durable: () => Promise.resolve(),
    close: () => db.destroy(),
  }
}

/**
 * Group commit for the embedded engine. A flush syncs the write-ahead log with one
 * fdatasync in libuv's thread pool, so the event loop keeps serving reads while the disk
 * works, and every commit written before the flush began is covered by it. A caller that
 * arrives while a flush is running waits for the next one (its commit may have been written
 * after the running one started); all callers that arrive meanwhile share that next flush.
 */
export class GroupFlush {
  private running: Promise<void> | undefined
  private next: Promise<void> | undefined
  private fd: number | undefined
  private flushedChanges = -1
  private readonly totalChanges: SqliteDatabase.Statement

  constructor(
    sqlite: SqliteDatabase.Database,
    private readonly walFile: string,
  ) {
    this.totalChanges = sqlite.prepare('select total_changes() as n').pluck()
  }

  flush(): Promise<void> {
    if (!this.running) {
      this.running = this.sync().finally(() => {
        this.running = undefined
      })
      return this.running
    }
    this.next ??= this.running.then(() => {
      this.next = undefined
      return this.flush()
    })
    return this.next
  }

  dispose(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd)
    this.fd = undefined
  }

  private async sync(): Promise<void> {
    // Nothing written on this connection since the last flush began: nothing to wait for.
    const changes = this.totalChanges.get() as number
    if (changes === this.flushedChanges) return
    if (this.fd === undefined) {
      if (!fs.existsSync(this.walFile)) return
      this.fd = fs.openSync(this.walFile, 'r')
    }
    const fd = this.fd
    await new Promise<void>((resolve, reject) =>
      fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())),
    )
    this.flushedChanges = changes
  }
}

/**
 * Kysely prepares every query afresh; on better-sqlite3 preparing costs more than running
 * a point query, and the application issues the same few hundred statements over and over.
 * Keeps the most recently used prepared statements, keyed by SQL text. A statement still
 * being iterated (a streamed query) is busy and cannot be shared, so a fresh one is made.
 */
export function withStatementCache(
  sqlite: SqliteDatabase.Database,
  capacity = 500,
): { close(): void; prepare(sql: string): SqliteDatabase.Statement } {
  const cache = new Map<string, SqliteDatabase.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = cache.get(sql)
      if (cached && !cached.busy) {
        // Re-inserting keeps the Map in least-recently-used order for eviction.
        cache.delete(sql)
        cache.set(sql, cached)
        return cached
      }
      const statement = sqlite.prepare(sql)
      if (!cached) {
        cache.set(sql, statement)
        if (cache.size > capacity) cache.delete(cache.keys().next().value as string)
      }
      return statement
    },
  }
}

/** On one core still four: a long import or backup holding one connection leaves the requests three. */
const MIN_DEFAULT_POOL = 4

/**
 * Connections to PostgreSQL a process keeps unless told: two per core, four at least. On
 * the server's own machine more connections are more backends competing for the same cores;
 * the mixed load (`npm run bench:load`, 2 cores, server and PostgreSQL on one machine) ran
 * at 545 and 561 req/s with 4 connections, 429 with 2, 487 with 6, 503 with the former
 * default of 10 and 467 with 24.
 */
export const defaultPoolSize = (): number => Math.max(MIN_DEFAULT_POOL, 2 * os.availableParallelism())

export function databaseOptionsFromConfig(
  config: { dataDir: string; databaseUrl: string | undefined; databasePoolSize?: number | undefined },
  options: { durability?: 'per-commit' | 'group'; readConnection?: boolean } = {},
): DatabaseOptions {
  return config.databaseUrl
    ? {
        engine: 'postgres',
        url: config.databaseUrl,
        ...(config.databasePoolSize === undefined ? {} : { poolSize: config.databasePoolSize }),
      }
    : { engine: 'sqlite', file: path.join(config.dataDir, 'aftercare.db'), ...options }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')
}

/** True when the error is a unique-constraint violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const code = (error as { code?: unknown }).code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
