import type { Actor } from '../auth/index.ts'
import { claimNumber, findOpenClaimOnUnit, isClaimVisibleTo } from '../claims/index.ts'
import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'

/**
 * Refuses to move a unit to a new owner while a claim on it is open. The claim is its
 * customer's: the unit is in their hands or on its way back to them, a quote or payment
 * may be theirs, and the new owner could neither see nor follow it. Staff close or cancel
 * the claim first. The claim is named only to a party that may see it. On PostgreSQL the
 * unit's row is locked, as intake locks it, so a claim cannot open while the unit moves.
 */
export async function refuseWhileClaimOpen(
  trx: Db,
  actor: Actor,
  serial: string,
  lock: boolean,
): Promise<void> {
  const open = await findOpenClaimOnUnit(trx, serial, lock)
  if (!open) return
  const visible = isClaimVisibleTo(open, actor)
  throw new AppError(
    'conflict',
    visible
      ? { key: 'registry.transfer.open-claim-named', params: { serial, claim: claimNumber(open) } }
      : { key: 'registry.transfer.open-claim', params: { serial } },
    {
      field: 'serial',
      details: visible
        ? { openClaimId: open.id, openClaimNumber: claimNumber(open), openClaimUrl: `/claims/${open.id}` }
        : {},
    },
  )
}
