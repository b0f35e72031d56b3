import type { Migration } from 'kysely'

/** Migrations of the claims feature, prefixed 04xx. */
export const claimMigrations: Record<string, Migration> = {}
