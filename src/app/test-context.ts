import type { TestDatabase } from '../db/test-database.ts'
import { loadPolicyLibrary, SHIPPED_POLICIES_DIR } from '../policies/load-policies.ts'
import type { PolicyLibrary } from '../policies/policy-library.ts'
import type { AppContext } from '../shared/app-context.ts'
import { type Config, loadConfig } from '../shared/config.ts'

/**
 * The shipped policies, loaded once per process. A library is read-only, and loading one
 * (reading, checking and compiling every policy file) took longer than most tests do.
 */
let shippedPolicies: PolicyLibrary | undefined

/**
 * For tests: an AppContext over a test database. The shipped policies load on first use,
 * so tests that never decide anything do not pay for (or depend on) the policy engine.
 */
export function createTestContext(
  database: Pick<TestDatabase, 'db' | 'engine' | 'dataDir'> &
    Partial<Pick<TestDatabase, 'sqlite' | 'sqliteReader' | 'watchCommits'>>,
  overrides: { config?: Partial<Config>; now?: () => Date; policies?: PolicyLibrary } = {},
): AppContext {
  const config = loadConfig({}, { dataDir: database.dataDir, secureCookies: false, ...overrides.config })
  let policies = overrides.policies
  return {
    config,
    db: database.db,
    engine: database.engine,
    ...(database.sqlite ? { sqlite: database.sqlite } : {}),
    ...(database.sqliteReader ? { sqliteReader: database.sqliteReader } : {}),
    ...(database.watchCommits ? { watchCommits: database.watchCommits } : {}),
    get policies() {
      shippedPolicies ??= loadPolicyLibrary([SHIPPED_POLICIES_DIR])
      policies ??= shippedPolicies
      return policies
    },
    now: overrides.now ?? (() => new Date()),
  }
}
