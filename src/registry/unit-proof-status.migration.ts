import { type Kysely, type Migration, sql } from 'kysely'

/**
 * A proof of purchase a customer files with their own registration is their word that they
 * bought the unit, not a proven purchase: it waits (`offered`) until staff accept or refuse it,
 * saying who did, when and, for a refusal, why. Every proof already on file was filed by the
 * seller, a dealer or staff, or accepted by staff on a claim, so it counts as accepted, weighed
 * by whoever filed it when they filed it.
 */
export const unitProofStatusMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('proofs_of_purchase')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('accepted'))
      .execute()
    await db.schema.alterTable('proofs_of_purchase').addColumn('weighed_by_user_id', 'text').execute()
    await db.schema.alterTable('proofs_of_purchase').addColumn('weighed_at', 'text').execute()
    await db.schema.alterTable('proofs_of_purchase').addColumn('refusal_reason', 'text').execute()
    await sql`update proofs_of_purchase set weighed_by_user_id = added_by_user_id, weighed_at = created_at`.execute(
      db,
    )
    // The proofs waiting are few among every unit's: only they are indexed, in the queue's order.
    await db.schema
      .createIndex('proofs_offered_idx')
      .on('proofs_of_purchase')
      .columns(['created_at', 'id'])
      .where(sql.ref('status'), '=', 'offered')
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('proofs_offered_idx').execute()
    for (const column of ['refusal_reason', 'weighed_at', 'weighed_by_user_id', 'status'])
      await db.schema.alterTable('proofs_of_purchase').dropColumn(column).execute()
  },
}
