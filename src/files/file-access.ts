import { type Actor, isStaff } from '../auth/index.ts'
import { canActorSeeClaim, canActorSeePaymentProofs } from '../claims/index.ts'
import type { Db } from '../db/database.ts'
import type { FileRow } from './file.store.ts'

/**
 * The uploader always sees their file; others see it when they can see its claim, and a
 * proof of payment only when they are the payer or the one paid (`canActorSeePaymentProofs`).
 * Staff see all.
 */
export async function canActorSeeFile(db: Db, actor: Actor, file: FileRow): Promise<boolean> {
  if (file.uploaded_by === actor.userId || isStaff(actor)) return true
  if (file.claim_id === null) return false
  if (file.kind === 'payment-proof') return canActorSeePaymentProofs(db, actor, file.claim_id)
  return canActorSeeClaim(db, actor, file.claim_id)
}
