import type { buildContext } from '../app/build-context.ts'
import type { Db } from '../db/database.ts'
import type { MigrationReport } from '../db/migrations.ts'
import type { Config } from '../shared/config.ts'

/*
 * A command group's module holds its flags and their checks; what a command runs is loaded
 * only once those checks pass. The database drivers, the policies and the migrations alone
 * took most of a second to load, and a command refused for a mistyped flag paid for them
 * all before saying so.
 */

/** The command's context, as `buildContext` makes it, with its modules loaded on first use. */
export async function openCommandContext(
  config: Config,
  options?: Parameters<typeof buildContext>[1],
): Promise<ReturnType<typeof buildContext>> {
  const { buildContext } = await import('../app/build-context.ts')
  return buildContext(config, options)
}

/** `migrateToLatest` with every migration, loaded on first use. */
export async function migrateCommandDatabase(db: Db): Promise<MigrationReport> {
  const { migrateToLatest } = await import('../db/migrations.ts')
  return migrateToLatest(db)
}
