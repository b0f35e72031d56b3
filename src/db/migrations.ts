import { type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely'
import { authMigrations } from '../auth/auth.migration.ts'
import { claimMigrations } from '../claims/claim.migration.ts'
import { fileMigrations } from '../files/file.migration.ts'
import { notifyMigrations } from '../notify/notify.migration.ts'
import { recoveryMigrations } from '../recoveries/recovery.migration.ts'
import { registryMigrations } from '../registry/registry.migration.ts'
import { reliabilityMigrations } from '../reliability/reliability.migration.ts'
import { setupMigrations } from '../setup/setup.migration.ts'
import { slaMigrations } from '../sla/sla.migration.ts'
import type { Db } from './database.ts'
import { withMigrationLock } from './migration-lock.ts'

/**
 * Every feature owns its migrations; names carry a numeric prefix per feature so the
 * order is fixed: registry 01xx, auth 02xx, files 03xx, claims 04xx, sla 05xx, notify 06xx, recoveries 08xx, reliability 09xx.
 * One set serves both engines: only types both understand (text, integer, bigint,
 * double precision) are used.
 */
export const allMigrations: Record<string, Migration> = {
  ...registryMigrations,
  ...authMigrations,
  ...fileMigrations,
  ...claimMigrations,
  ...slaMigrations,
  ...notifyMigrations,
  ...reliabilityMigrations,
  ...recoveryMigrations,
  ...setupMigrations,
}

export interface MigrationReport {
  applied: string[]
}

/**
 * Applies every migration not yet applied; `migrations` is the full set (tests pass a larger
 * one). Processes migrating one database at once take turns (see `withMigrationLock`), and
 * each reads what is applied only once it has its turn.
 */
export function migrateToLatest(
  db: Db,
  migrations: Record<string, Migration> = allMigrations,
): Promise<MigrationReport> {
  return withMigrationLock(db, () => migrateWhileLocked(db, migrations))
}

async function migrateWhileLocked(db: Db, migrations: Record<string, Migration>): Promise<MigrationReport> {
  const provider: MigrationProvider = { getMigrations: async () => migrations }
  // Kysely looks for its bookkeeping tables in every schema unless told which one; with
  // several schemas in one database (parallel test files) it would find another's and skip
  // creating its own.
  const migrationTableSchema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined
  const migrator = new Migrator({
    db,
    provider,
    // Each feature numbers its own range, so a feature's new migration (registry 0110) can
    // sort before one already applied by a later feature (auth 0201); order within a
    // feature is still alphabetical, which is what its migrations depend on.
    allowUnorderedMigrations: true,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}
