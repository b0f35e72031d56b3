import { type Actor, isStaff } from '../auth/index.ts'
import { canActorSeeClaim } from '../claims/index.ts'
import type { Db } from '../db/database.ts'
import type { FileRow } from './file.store.ts'

/** The uploader always sees their file; others see it when they can see its claim. Staff see all. */
export async function canActorSeeFile(db: Db, actor: Actor, file: FileRow): Promise<boolean> {
  if (file.uploaded_by === actor.userId || isStaff(actor)) return true
  return file.claim_id !== null && (await canActorSeeClaim(db, actor, file.claim_id))
}
