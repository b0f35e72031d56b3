import type { Db } from '../db/database.ts'
import { evidenceOfClaimForOrganisation } from './recovery.store.ts'

/**
 * The cost lines of a claim that the organisation's recovery lines cite, as creditor (it is
 * paid for them) or as debtor (it pays them): the costs it is asked about, whether or not it
 * may open the claim itself.
 */
export async function costLinesCitedForOrganisation(
  db: Db,
  claimId: string,
  orgId: string,
): Promise<ReadonlySet<string>> {
  const rows = await evidenceOfClaimForOrganisation(db, claimId, orgId)
  const cited = new Set<string>()
  for (const row of rows) {
    const evidence = JSON.parse(row.evidence_json) as { costLineIds?: unknown }
    if (!Array.isArray(evidence.costLineIds)) continue
    for (const id of evidence.costLineIds) if (typeof id === 'string') cited.add(id)
  }
  return cited
}
