import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
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
}

/**
 * A fresh, migrated database of the given engine, private to the caller. `readConnection:
 * false` opens SQLite as the command line does (see `DatabaseOptions`); `migrations`, a set
 * short of the latest, opens it as an older installation had it (to test a migration).
 */
export async function openTestDatabase(
  engine: Engine,
  { migrations, ...options }: { readConnection?: boolean; migrations?: Record<string, Migration> } = {},
): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-test-'))
  if (engine === 'sqlite') {
    const file = path.join(dataDir, 'aftercare.db')
    const handle = openDatabase({ engine: 'sqlite', file, ...options })
    await migrateToLatest(handle.db, migrations)
    return {
      ...handle,
      dataDir,
      reopen: () => openDatabase({ engine: 'sqlite', file, ...options }),
      dispose: async () => {
        await handle.close()
        fs.rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }
  const url = process.env.AFTERCARE_TEST_PG_URL
  if (!url) throw new Error('AFTERCARE_TEST_PG_URL is not set: PostgreSQL tests need their own database')
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const handle = openDatabase({ engine: 'postgres', url, schema, poolSize: 5 })
  await migrateToLatest(handle.db, migrations)
  return {
    ...handle,
    dataDir,
    reopen: () => openDatabase({ engine: 'postgres', url, schema, poolSize: 5 }),
    dispose: async () => {
      await handle.close()
      const cleanup = new pg.Client({ connectionString: url })
      await cleanup.connect()
      await cleanup.query(`drop schema if exists ${schema} cascade`)
      await cleanup.end()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
