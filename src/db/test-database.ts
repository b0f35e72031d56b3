import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import type { Migration } from 'kysely'
import pg from 'pg'
import { type DatabaseHandle, type Engine, openDatabase } from './database.ts'
import { migrateToLatest } from './migrations.ts'

/**
 * The engines the integration suite runs on. SQLite always; PostgreSQL when the test
 * runner gave this run its own database in `AFTERCARE_TEST_PG_URL` (scripts/run-tests.js
 * does, and fails the run in CI when PostgreSQL cannot be reached).
 */
export function testEngines(): Engine[] {
  return process.env.AFTERCARE_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite']
}

export interface TestDatabase extends DatabaseHandle {
  /** Folder private to this test database, for uploads, outbox and other files. */
  dataDir: string
  /** The options to open the same database again (a second app instance, a restart). */
  reopen(): DatabaseHandle
  /** Closes the database and removes everything it created. */
  dispose(): Promise<void>
  /** What a command-line process (a server, a command) needs to work on this same database and data folder. */
  processEnv: { AFTERCARE_DATA: string; DATABASE_URL: string }
}

const POOL_CLOSE_WAIT_MS = 20_000
const SESSION_EXIT_WAIT_MS = 2_000

/**
 * A fresh, migrated database of the given engine, private to the caller. `readConnection:
 * false` opens SQLite as the command line does (see `DatabaseOptions`); `migrations`, a set
 * short of the latest, opens it as an older installation had it (to test a migration).
 * `durability: 'group'` opens SQLite as the server does (see `DatabaseOptions`); PostgreSQL
 * has one durability and ignores it. `from` starts a SQLite database as a copy of that file
 * (a database seeded once for many tests) instead of the empty migrated one.
 */
export async function openTestDatabase(
  engine: Engine,
  {
    migrations,
    from,
    ...options
  }: {
    readConnection?: boolean
    durability?: 'per-commit' | 'group'
    migrations?: Record<string, Migration>
    from?: string
  } = {},
): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-test-'))
  if (engine === 'sqlite') {
    const file = path.join(dataDir, 'aftercare.db')
    if (from) fs.copyFileSync(from, file)
    else if (!migrations) fs.copyFileSync(await migratedSqliteTemplate(), file)
    const handle = openDatabase({ engine: 'sqlite', file, ...options })
    // Run on a copy of the template too: it finds nothing to apply, as on a server restarted.
    await migrateToLatest(handle.db, migrations)
    return {
      ...handle,
      dataDir,
      reopen: () => openDatabase({ engine: 'sqlite', file, ...options }),
      processEnv: { AFTERCARE_DATA: dataDir, DATABASE_URL: '' },
      dispose: async () => {
        await handle.close()
        fs.rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }
  if (from) throw new Error('only a SQLite test database starts as a copy of a file')
  const url = process.env.AFTERCARE_TEST_PG_URL
  if (!url) throw new Error('AFTERCARE_TEST_PG_URL is not set: PostgreSQL tests need their own database')
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  // Each session names its schema, so the ones a test left open can be found and ended.
  const namedUrl = `${url}${url.includes('?') ? '&' : '?'}application_name=${schema}`
  const handle = openDatabase({ engine: 'postgres', url: namedUrl, schema, poolSize: 5 })
  await migrateToLatest(handle.db, migrations)
  return {
    ...handle,
    dataDir,
    reopen: () => openDatabase({ engine: 'postgres', url: namedUrl, schema, poolSize: 5 }),
    processEnv: { AFTERCARE_DATA: dataDir, DATABASE_URL: withSearchPath(url, schema) },
    dispose: async () => {
      // A pool waits for every client it lent out; one a test never gave back would hold the
      // whole test process until its deadline. Past a bound, the sessions still open are
      // named on stderr and ended, so the schema can go and the run goes on.
      const closed = await Promise.race([
        handle.close().then(() => true),
        new Promise<false>((resolve) => setTimeout(resolve, POOL_CLOSE_WAIT_MS, false).unref()),
      ])
      const cleanup = new pg.Client({ connectionString: url })
      await cleanup.connect()
      const listLeft = () =>
        cleanup.query(
          'select pid, state, left(query, 200) as query from pg_stat_activity where application_name = $1',
          [schema],
        )
      // A pool's end resolves once it has asked its idle clients to end, not once their sessions
      // are gone: a session may still be listed for a moment. Ending it then reaches a client
      // still closing, whose error nobody listens for any more, and fails the test process.
      let left = await listLeft()
      for (let waited = 0; closed && left.rows.length > 0 && waited < SESSION_EXIT_WAIT_MS; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        left = await listLeft()
      }
      if (!closed || left.rows.length > 0) {
        process.stderr.write(
          `test database ${schema}: ${closed ? 'closed' : `its pool did not close within ${POOL_CLOSE_WAIT_MS / 1000} s`}; sessions still open, now ended: ${JSON.stringify(left.rows)}\n`,
        )
        await cleanup.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
          [schema],
        )
      }
      await cleanup.query(`drop schema if exists ${schema} cascade`)
      await cleanup.end()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

let sqliteTemplate: Promise<string> | undefined

/**
 * A SQLite file this process migrated once to the latest schema, closed so that the whole
 * database is in the one file. A test database starts as a copy of it: running every
 * migration again took a second and more per database, and the suite opens hundreds.
 */
function migratedSqliteTemplate(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-template-'))
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
    const file = path.join(dir, 'aftercare.db')
    const handle = openDatabase({ engine: 'sqlite', file, readConnection: false })
    await migrateToLatest(handle.db)
    // Closing the last connection folds the write-ahead log into the file and removes it.
    await handle.close()
    if (fs.existsSync(`${file}-wal`))
      throw new Error(`the migrated template ${file} kept its write-ahead log`)
    return file
  })()
  return sqliteTemplate
}

/** A new, empty database for command-line processes a test starts, and a way to read it after them. */
export interface InstallForProcesses {
  /** The environment of those processes: its own data folder and, on PostgreSQL, its own schema. */
  env: NodeJS.ProcessEnv
  /** The data folder, also a place for the files a test hands to the processes. */
  dataDir: string
  /** The rows a query reads from the database, opened by the test beside the processes. */
  rows<R extends Record<string, unknown>>(query: string): Promise<R[]>
  /** Removes the data folder and the schema; the processes must have ended. */
  dispose(): Promise<void>
}

export async function installForProcesses(engine: Engine): Promise<InstallForProcesses> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-processes-'))
  const env: NodeJS.ProcessEnv = { ...process.env, AFTERCARE_DATA: dataDir }
  delete env.DATABASE_URL
  if (engine === 'sqlite') {
    return {
      env,
      dataDir,
      rows: async <R>(query: string) => {
        const db = new SqliteDatabase(path.join(dataDir, 'aftercare.db'), { readonly: true })
        try {
          return db.prepare(query).all() as R[]
        } finally {
          db.close()
        }
      },
      dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 }),
    }
  }
  const url = process.env.AFTERCARE_TEST_PG_URL
  if (!url) throw new Error('AFTERCARE_TEST_PG_URL is not set: PostgreSQL tests need their own database')
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`
  const rows = async <R extends Record<string, unknown>>(query: string, inSchema = true) => {
    const client = new pg.Client({
      connectionString: url,
      ...(inSchema ? { options: `-c search_path=${schema}` } : {}),
    })
    await client.connect()
    try {
      return (await client.query<R>(query)).rows
    } finally {
      await client.end()
    }
  }
  await rows(`create schema ${schema}`, false)
  env.DATABASE_URL = withSearchPath(url, schema)
  return {
    env,
    dataDir,
    rows: (query) => rows(query),
    dispose: async () => {
      await rows(`drop schema if exists ${schema} cascade`, false)
      fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 })
    },
  }
}

/** The URL of a PostgreSQL database whose sessions work in `schema`, for a process given only a URL. */
function withSearchPath(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
}
