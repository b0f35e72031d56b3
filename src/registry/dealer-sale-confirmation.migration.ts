import { type Kysely, type Migration, sql } from 'kysely'

/**
 * A dealer a customer names as the one that sold them a unit is their word, not the
 * dealer's: the sale waits for the dealer (or the seller's staff) to confirm it before the
 * dealer sees the unit's claims. Every sale already on file was recorded by the seller, the
 * dealer or staff, so it counts as confirmed (the default). Each answer is kept, with who
 * gave it, as transfers are.
 */
export const dealerSaleConfirmationMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('units')
      .addColumn('dealer_confirmed', 'integer', (c) => c.notNull().defaultTo(1))
      .execute()
    // The pending sales are few among millions of units: only they are indexed.
    await db.schema
      .createIndex('units_unconfirmed_dealer_idx')
      .on('units')
      .columns(['dealer_org_id', 'serial'])
      .where(sql.ref('dealer_confirmed'), '=', 0)
      .execute()
    await db.schema
      .createTable('dealer_sale_answers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('serial', 'text', (c) => c.notNull().references('units.serial'))
      .addColumn('dealer_org_id', 'text', (c) => c.notNull().references('organisations.id'))
      .addColumn('answer', 'text', (c) => c.notNull())
      .addColumn('answered_by_user_id', 'text')
      .addColumn('answered_by_role', 'text', (c) => c.notNull())
      .addColumn('answered_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('dealer_sale_answers_serial')
      .on('dealer_sale_answers')
      .column('serial')
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('dealer_sale_answers').execute()
    await db.schema.dropIndex('units_unconfirmed_dealer_idx').execute()
    await db.schema.alterTable('units').dropColumn('dealer_confirmed').execute()
  },
}
