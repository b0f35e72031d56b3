import type { Kysely, Migration } from 'kysely'

/**
 * An owner's second-hand sale is an offer too: the buyer accepts it before the unit is theirs.
 * The offer then carries the owner it comes from and the day of the sale they stated.
 */
export const unitOfferTransferMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('unit_ownership_offers').addColumn('from_customer_id', 'text').execute()
    await db.schema.alterTable('unit_ownership_offers').addColumn('transferred_on', 'text').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('unit_ownership_offers').dropColumn('transferred_on').execute()
    await db.schema.alterTable('unit_ownership_offers').dropColumn('from_customer_id').execute()
  },
}
