import type { Migration } from 'kysely'

/** Migrations of the notify feature, prefixed 06xx. */
export const notifyMigrations: Record<string, Migration> = {}
