import type { Migration } from 'kysely'

/** Migrations of the registry feature, prefixed 01xx. */
export const registryMigrations: Record<string, Migration> = {}
