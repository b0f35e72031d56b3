import type { Migration } from 'kysely'

/** Migrations of the auth feature, prefixed 02xx. */
export const authMigrations: Record<string, Migration> = {}
