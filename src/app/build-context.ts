import { databaseOptionsFromConfig, openDatabase } from '../db/database.ts'
import { loadPolicyLibrary, SHIPPED_POLICIES_DIR } from '../policies/load-policies.ts'
import type { AppContext } from '../shared/app-context.ts'
import type { Config } from '../shared/config.ts'

/** Opens the database and loads the policies named by the configuration. */
export function buildContext(
  config: Config,
  options: { durability?: 'per-commit' | 'group'; readConnection?: boolean } = {},
): AppContext & { close(): Promise<void> } {
  const handle = openDatabase(databaseOptionsFromConfig(config, options))
  const dirs = config.policiesDir ? [SHIPPED_POLICIES_DIR, config.policiesDir] : [SHIPPED_POLICIES_DIR]
  return {
    config,
    db: handle.db,
    engine: handle.engine,
    ...(handle.sqlite ? { sqlite: handle.sqlite } : {}),
    ...(handle.sqliteReader ? { sqliteReader: handle.sqliteReader } : {}),
    ...(handle.watchCommits ? { watchCommits: handle.watchCommits } : {}),
    policies: loadPolicyLibrary(dirs),
    now: () => new Date(),
    durable: () => handle.durable(),
    close: () => handle.close(),
  }
}
