import { findOpenClaimsOf } from '../claims/index.ts'
import type { Db } from '../db/database.ts'

/** A sale a buyer says a dealer made, waiting for the dealer's word, as the seller's staff see it. */
export interface StaffPendingSale {
  serial: string
  model: string
  /** The purchase day the buyer stated. */
  purchasedOn: string | null
  dealer: { id: string; name: string }
  /** The buyer who named the dealer; null when the unit has no owner yet. */
  customer: { id: string; name: string; email: string } | null
  /** The unit's open claims, oldest first: empty for a unit nobody has claimed on. */
  openClaims: { id: string; number: string }[]
}

/**
 * Every dealer's sales waiting for confirmation, for the seller's staff, by dealer then serial:
 * unlike the dealer's own list it names the buyer and the open claims, so staff can answer a
 * sale whose unit has no claim (a claim's page answers the others). `dealerOrgId` narrows it
 * to one dealer; `after` is the dealer and serial of the last sale of the previous page.
 */
export async function listPendingSalesForStaff(
  db: Db,
  options: {
    limit: number
    dealerOrgId?: string | undefined
    after?: readonly [dealerOrgId: string, serial: string] | undefined
  },
): Promise<StaffPendingSale[]> {
  let query = db
    .selectFrom('units as u')
    .innerJoin('product_models as m', 'm.id', 'u.model_id')
    .innerJoin('organisations as d', 'd.id', 'u.dealer_org_id')
    .leftJoin('customers as c', 'c.id', 'u.owner_customer_id')
    .select([
      'u.serial',
      'm.name as model',
      'u.purchased_on',
      'd.id as dealer_id',
      'd.name as dealer_name',
      'c.id as customer_id',
      'c.name as customer_name',
      'c.email as customer_email',
    ])
    .where('u.dealer_confirmed', '=', 0)
    .orderBy('u.dealer_org_id')
    .orderBy('u.serial')
    .limit(options.limit)
  if (options.dealerOrgId !== undefined) query = query.where('u.dealer_org_id', '=', options.dealerOrgId)
  if (options.after !== undefined) {
    const [dealer, serial] = options.after
    query = query.where((eb) =>
      eb.or([
        eb('u.dealer_org_id', '>', dealer),
        eb.and([eb('u.dealer_org_id', '=', dealer), eb('u.serial', '>', serial)]),
      ]),
    )
  }
  const rows = await query.execute()
  const claims = await findOpenClaimsOf(
    db,
    rows.map((row) => row.serial),
  )
  return rows.map((row) => ({
    serial: row.serial,
    model: row.model,
    purchasedOn: row.purchased_on,
    dealer: { id: row.dealer_id, name: row.dealer_name },
    customer:
      row.customer_id && row.customer_name !== null && row.customer_email !== null
        ? { id: row.customer_id, name: row.customer_name, email: row.customer_email }
        : null,
    openClaims: claims.get(row.serial) ?? [],
  }))
}
