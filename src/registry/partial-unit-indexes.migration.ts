import type { Kysely, Migration } from 'kysely'

/**
 * A unit's dealer and owner are often unknown (a sale made directly, a unit nobody has
 * registered yet), and nothing looks units up by a missing dealer or owner: every query
 * that reads these indexes asks for one dealer or one owner, which both engines know
 * excludes null. So the indexes keep only the units that have one. They are smaller to
 * keep and to build again whole after a large import (in a million units sold directly
 * and unregistered, the owner index held a million null keys).
 */
const PARTIAL = [
  ['units_dealer_idx', 'dealer_org_id'],
  ['units_owner_idx', 'owner_customer_id'],
] as const

export const partialUnitIndexesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    for (const [name, column] of PARTIAL) {
      await db.schema.dropIndex(name).execute()
      await db.schema
        .createIndex(name)
        .on('units')
        .columns([column, 'serial'])
        .where(column, 'is not', null)
        .execute()
    }
  },
  async down(db: Kysely<unknown>) {
    for (const [name, column] of PARTIAL) {
      await db.schema.dropIndex(name).execute()
      await db.schema.createIndex(name).on('units').columns([column, 'serial']).execute()
    }
  },
}
