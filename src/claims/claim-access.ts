import type { Kysely } from 'kysely'
import type { Actor } from '../auth/actor.ts'
import type { Database } from '../db/schema.ts'

/** True when the actor may see the claim: staff always, a dealer for its organisation's units, a customer for their own. (Contract; the claims feature implements it.) */
export async function canActorSeeClaim(
  _db: Kysely<Database>,
  _actor: Actor,
  _claimId: string,
): Promise<boolean> {
  throw new Error('canActorSeeClaim is being built by the claims feature')
}
