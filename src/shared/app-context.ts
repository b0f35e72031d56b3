import type { DatabaseHandle, Db, Engine } from '../db/database.ts'
import type { PolicyLibrary } from '../policies/index.ts'
import type { Config } from '../shared/config.ts'

/**
 * Everything an adapter needs, built once in `build-context.ts` and passed down as a
 * plain argument. Features build their own services from it; there is no container.
 */
export interface AppContext {
  config: Config
  db: Db
  engine: Engine
  policies: PolicyLibrary
  /** The clock, injected so tests and simulations control time. */
  now: () => Date
  /**
   * Resolves once every commit made so far is on stable storage (the server's group commit
   * on SQLite); answers to writes wait for it. Absent where each commit is durable by itself.
   */
  durable?: () => Promise<void>
  /** The raw SQLite connection for bulk paths; undefined on PostgreSQL (see DatabaseHandle.sqlite). */
  sqlite?: DatabaseHandle['sqlite']
  /** The read-only SQLite connection beside it, for hot reads (see DatabaseHandle.sqliteReader). */
  sqliteReader?: DatabaseHandle['sqliteReader']
  /** See DatabaseHandle.watchCommits; undefined on PostgreSQL. */
  watchCommits?: DatabaseHandle['watchCommits']
}
