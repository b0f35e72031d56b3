import type { Actor } from '../auth/index.ts'
import { isStaff } from '../auth/index.ts'
import { ownsFile } from '../claims/index.ts'
import type { Db } from '../db/database.ts'
import type { CreateUnitInput } from './registry.schemas.ts'

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

/** Sellers do not learn which customer record a unit went to: the owner is staff's and the customer's business. */
export function maskOwnerFor<T extends { ownerCustomerId: string | null }>(actor: Actor, unit: T): T {
  if (isStaff(actor) || actor.role === 'customer') return unit
  return { ...unit, ownerCustomerId: null }
}
