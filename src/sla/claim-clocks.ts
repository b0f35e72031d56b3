import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { ServiceLevels } from '../policies/policy-library.ts'

/** What the claims feature tells the sla feature after appending each event, in the same transaction. (Contract.) */
export interface ClaimClockInput {
  claimId: string
  eventType: string
  /** ISO timestamp of the event. */
  at: string
  brand: 'own' | 'agent'
  serviceLevels: ServiceLevels | undefined
}

export async function applySlaForClaimEvent(_trx: Kysely<Database>, _input: ClaimClockInput): Promise<void> {
  throw new Error('applySlaForClaimEvent is being built by the sla feature')
}
