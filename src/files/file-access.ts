import { type Actor, isStaff } from '../auth/index.ts'
import { canActorSeeClaim, canActorSeePaymentProof } from '../claims/index.ts'
import type { Db } from '../db/database.ts'
import type { FileRow } from './file.store.ts'

/**
 * The uploader always sees their file; others see it when they can see its claim, and a
 * proof of payment only when they are the payer or the one paid, or the dealer that sent the
 * quote it pays while it handled the claim (`canActorSeePaymentProof`). Staff see all.
 */
export async function canActorSeeFile(db: Db, actor: Actor, file: FileRow): Promise<boolean> {
  if (file.uploaded_by === actor.userId || isStaff(actor)) return true
  if (file.claim_id === null) return false
  if (file.kind === 'payment-proof') return canActorSeePaymentProof(db, actor, file.claim_id, file.id)
  return canActorSeeClaim(db, actor, file.claim_id)
}
