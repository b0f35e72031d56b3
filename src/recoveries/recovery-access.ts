import { type Actor, isStaff } from '../auth/index.ts'
import { AppError } from '../shared/errors.ts'
import type { RecoveryParty } from './domain/recovery-lifecycle.ts'
import type { RecoveryClaimsTable } from './recovery.tables.ts'

/**
 * The organisation the actor acts for: a dealer user's (dealers, agents and makers all sign in
 * as such) or an organisation key's. Another account the admin tied to an organisation (a
 * customer who works there, an integration) is not one of its users, as for its claims.
 */
const actingOrgOf = (actor: Actor): string | null => (actor.role === 'dealer' ? actor.orgId : null)

/**
 * Staff act for either side (recording an outside counterparty's answer); a user of the
 * creditor or debtor organisation acts for it; integrations read; nobody else sees one.
 */
export function recoveryPartyOf(
  actor: Actor,
  row: Pick<RecoveryClaimsTable, 'creditor_org_id' | 'debtor_org_id'>,
): RecoveryParty | null {
  if (isStaff(actor)) return 'staff'
  const orgId = actingOrgOf(actor)
  if (orgId !== null && orgId === row.creditor_org_id) return 'creditor'
  if (orgId !== null && orgId === row.debtor_org_id) return 'debtor'
  return null
}

export function canSeeRecovery(
  actor: Actor,
  row: Pick<RecoveryClaimsTable, 'creditor_org_id' | 'debtor_org_id'>,
): boolean {
  return actor.role === 'integration' || recoveryPartyOf(actor, row) !== null
}

/** The recovery claim, or a 404 that does not say whether it exists. */
export function requireVisibleRecovery(
  row: RecoveryClaimsTable | undefined,
  actor: Actor,
  id: string,
): RecoveryClaimsTable {
  if (!row || !canSeeRecovery(actor, row))
    throw new AppError('not-found', { key: 'recovery.not-found', params: { id } })
  return row
}

/** The listing scope: everything, one organisation's side, or nothing. */
export function recoveryScope(actor: Actor): { all: true } | { orgId: string } | { none: true } {
  if (isStaff(actor) || actor.role === 'integration') return { all: true }
  const orgId = actingOrgOf(actor)
  if (orgId) return { orgId }
  return { none: true }
}
