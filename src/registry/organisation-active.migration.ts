import type { Kysely, Migration } from 'kysely'

/**
 * A dealer that leaves the network, or an agent whose contract ended, is deactivated rather
 * than deleted: its claims, units and recoveries keep naming it. Every organisation on file
 * stays active (the default); who deactivated one, and when, is kept beside the flag and
 * cleared when it is reactivated.
 */
export const organisationActiveMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('organisations')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .execute()
    await db.schema.alterTable('organisations').addColumn('deactivated_at', 'text').execute()
    await db.schema.alterTable('organisations').addColumn('deactivated_by_user_id', 'text').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('organisations').dropColumn('deactivated_by_user_id').execute()
    await db.schema.alterTable('organisations').dropColumn('deactivated_at').execute()
    await db.schema.alterTable('organisations').dropColumn('active').execute()
  },
}
