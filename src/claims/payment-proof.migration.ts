import type { Kysely, Migration } from 'kysely'

/**
 * A payment recorded against the customer's proof: the day the money arrived, a note and
 * the proof file. The quote keeps the validity it was sent with, so the page, the e-mail and
 * the PDF all show one date even after the seller changes its default.
 */
export const paymentProofMigration: Migration = {
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite adds a single column per ALTER TABLE.
    await db.schema.alterTable('claim_payments').addColumn('paid_on', 'text').execute()
    await db.schema.alterTable('claim_payments').addColumn('note', 'text').execute()
    await db.schema.alterTable('claim_payments').addColumn('proof_file_id', 'text').execute()
    await db.schema.alterTable('claim_quotes').addColumn('valid_until', 'text').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('claim_quotes').dropColumn('valid_until').execute()
    await db.schema.alterTable('claim_payments').dropColumn('proof_file_id').execute()
    await db.schema.alterTable('claim_payments').dropColumn('note').execute()
    await db.schema.alterTable('claim_payments').dropColumn('paid_on').execute()
  },
}
