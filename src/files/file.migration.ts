import type { Migration } from 'kysely'

/** Migrations of the files feature, prefixed 03xx. */
export const fileMigrations: Record<string, Migration> = {}
