import type { Kysely, Migration } from 'kysely'

/**
 * Where the unit goes back to, one row per claim. Kept beside the claim rather than in
 * its event-sourced row: the customer corrects it freely until shipment, and a typo fix
 * is not a step of the lifecycle.
 */
export const returnAddressMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('claim_return_addresses')
      .addColumn('claim_id', 'text', (c) => c.primaryKey().references('claims.id'))
      .addColumn('address_json', 'text', (c) => c.notNull())
      .addColumn('saved_address_id', 'text')
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('claim_return_addresses').execute()
  },
}
