import crypto from 'node:crypto'
import type { Db } from '../db/database.ts'
import { insertClaim, newClaimRow } from './claim.store.ts'

/**
 * Inserts a new claim with no unit, decision or history: the minimum the visibility and file
 * rules read, for tests of other features that need a claim to exist. Its customer and
 * dealer are the given owner's. Returns its id.
 */
export async function insertBareClaim(
  db: Db,
  owner: { customerId: string | null; dealerOrgId: string | null },
): Promise<string> {
  const id = crypto.randomUUID()
  const at = new Date().toISOString()
  await insertClaim(
    db,
    newClaimRow({
      id,
      state: 'new',
      version: 1,
      policy_id: 'test-policy',
      policy_version: null,
      currency: 'EUR',
      brand: 'own',
      unit_id: null,
      serial: `SN-${id.slice(0, 8)}`,
      model: 'X7',
      category: null,
      customer_id: owner.customerId,
      dealer_org_id: owner.dealerOrgId,
      opened_by: 'someone',
      opened_by_role: 'customer',
      case_json: '{}',
      problem_description: 'It does not start',
      opened_at: at,
      updated_at: at,
    }),
  )
  return id
}
