import type { Actor } from '../auth/index.ts'
import { isStaff } from '../auth/index.ts'
import { ownsFile } from '../claims/index.ts'
import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'
import type { CreateUnitInput } from './registry.schemas.ts'
import { soldThrough } from './unit.store.ts'

/**
 * Who may state what when a unit is registered. Returns the input as registration may
 * use it:
 * - A proof of purchase must be a file the registering party uploaded (staff may link any).
 * - A seller (dealer, integration) naming the buyer by `ownerEmail` never makes them the
 *   owner: the buyer is offered the unit and accepts it (`unit-offer.ts`), known address or
 *   new, so the answer and everything read afterwards is the same either way.
 */
export async function checkUnitRegistration(
  db: Db,
  actor: Actor,
  input: CreateUnitInput,
): Promise<CreateUnitInput> {
  const checked = { ...input }
  if (input.proofFileId && !isStaff(actor)) await ownsFile(db, actor, input.proofFileId, 'proofFileId')
  return checked
}

/**
 * A customer's word that a dealer sold them the unit names a dealer of the unit's seller:
 * one the seller, the dealer itself or staff have recorded (or the dealer confirmed) sales
 * of that seller's units through. Otherwise a customer could name any organisation. Even
 * so the sale stays unconfirmed, and the dealer sees nothing of it, until the dealer or the
 * seller's staff confirm it (`answer-dealer-sale.ts`). Refused with 400 naming `dealerOrgId`.
 */
export async function refuseStrangeDealer(db: Db, input: { dealerOrgId: string; sellerOrgId: string }) {
  const known = await db
    .selectFrom('units')
    .innerJoin('organisations as d', 'd.id', 'units.dealer_org_id')
    .select('units.serial')
    .where(soldThrough('units', input.dealerOrgId))
    .where('units.seller_org_id', '=', input.sellerOrgId)
    .where('d.kind', 'in', ['dealer', 'agent'])
    .limit(1)
    .executeTakeFirst()
  if (known) return
  const names = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('id', 'in', [input.dealerOrgId, input.sellerOrgId])
    .execute()
  const nameOf = (id: string) => names.find((row) => row.id === id)?.name ?? id
  throw new AppError(
    'validation',
    {
      key: 'registry.register.dealer-of-seller',
      params: { field: 'dealerOrgId', dealer: nameOf(input.dealerOrgId), seller: nameOf(input.sellerOrgId) },
    },
    { field: 'dealerOrgId' },
  )
}

/** Sellers do not learn which customer record a unit went to: the owner is staff's and the customer's business. */
export function maskOwnerFor<T extends { ownerCustomerId: string | null }>(actor: Actor, unit: T): T {
  if (isStaff(actor) || actor.role === 'customer') return unit
  return { ...unit, ownerCustomerId: null }
}
