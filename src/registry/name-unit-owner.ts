import type { Db } from '../db/database.ts'

/**
 * Names a customer the owner of a unit nobody owns, once staff found the proof of purchase
 * they showed valid: an offer of the unit to them is thereby accepted. Answers false, writing
 * nothing, when the unit belongs or is offered to someone else. The owner check sits in the
 * update itself, so a customer taking the unit meanwhile is never overwritten.
 */
export async function nameOwnerOfUnownedUnit(
  trx: Db,
  serial: string,
  customerId: string,
  at: string,
): Promise<boolean> {
  const offer = await trx
    .selectFrom('unit_ownership_offers')
    .select('customer_id')
    .where('serial', '=', serial)
    .executeTakeFirst()
  if (offer && offer.customer_id !== customerId) return false
  const named = await trx
    .updateTable('units')
    .set({ owner_customer_id: customerId, updated_at: at })
    .where('serial', '=', serial)
    .where('owner_customer_id', 'is', null)
    .executeTakeFirst()
  if (Number(named.numUpdatedRows) !== 1) return false
  await trx.deleteFrom('unit_ownership_offers').where('serial', '=', serial).execute()
  return true
}
