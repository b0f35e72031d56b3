import type { Kysely, Migration } from 'kysely'

/**
 * A seller names a unit's buyer by e-mail; the buyer becomes its owner only by accepting.
 * Until then the offer waits here, apart from the unit, so nothing about the buyer shows
 * on the unit a seller can read.
 */
export const unitOfferMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('unit_ownership_offers')
      .addColumn('serial', 'text', (c) => c.primaryKey().references('units.serial'))
      .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
      .addColumn('offered_by_user_id', 'text', (c) => c.notNull())
      .addColumn('offered_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('unit_ownership_offers_customer')
      .on('unit_ownership_offers')
      .column('customer_id')
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('unit_ownership_offers').execute()
  },
}
