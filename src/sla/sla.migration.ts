import type { Migration } from 'kysely'

/** Migrations of the sla feature, prefixed 05xx. */
export const slaMigrations: Record<string, Migration> = {}
