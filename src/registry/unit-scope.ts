import { type Actor, isStaff } from '../auth/index.ts'
import type { UnitScope } from './unit.store.ts'

/**
 * What units an actor may see (docs/architecture.md, "Who is acting"). Integration keys
 * are issued by admins for shops and ERPs that sync the whole registry, so they see all.
 */
export function unitScopeFor(actor: Actor): UnitScope {
  if (isStaff(actor) || actor.role === 'integration') return { all: true }
  if (actor.role === 'dealer' && actor.orgId) return { dealerOrgId: actor.orgId }
  if (actor.role === 'customer' && actor.customerId) return { ownerCustomerId: actor.customerId }
  return { none: true }
}
