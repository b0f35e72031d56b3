import type { Db } from '../db/database.ts'
import type { PolicyLibrary } from '../policies/index.ts'
import { localDate } from '../shared/local-date.ts'
import { listQuoteLastDays } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { claimTimeZone, projectionFromRow } from './claim-view.ts'

type Policies = Pick<PolicyLibrary, 'summary'>

/**
 * Whether a quote that holds until `validUntil` (its last day, YYYY-MM-DD) has passed it at
 * `at`, counting days where the claim's policy counts them: on its last day it still holds.
 * A quote sent before its last day was stored (null) holds.
 */
export function isQuotePastLastDay(
  policies: Policies,
  claim: Pick<ClaimsTable, 'policy_id' | 'policy_version'>,
  validUntil: string | null | undefined,
  at: Date,
): boolean {
  if (!validUntil) return false
  return localDate(at, claimTimeZone(policies, claim)) > validUntil
}

/** No claim's quote has expired: for a view of claims that cannot have one waiting. */
export const NO_EXPIRED_QUOTES: ReadonlySet<string> = new Set()

/**
 * The ids of the claims among `rows` whose quote waits for its answer past its last day at
 * `at`: what the lifecycle must know before it offers a customer `accept-quote`. One read for
 * all the rows, and none when no row has a quote waiting.
 */
export async function findClaimsWithExpiredQuote(
  db: Db,
  policies: Policies,
  rows: readonly ClaimsTable[],
  at: Date,
): Promise<ReadonlySet<string>> {
  const waiting = new Map<string, ClaimsTable>()
  for (const row of rows) {
    const quote = projectionFromRow(row).quote
    if (quote?.status === 'sent') waiting.set(quote.id, row)
  }
  if (waiting.size === 0) return NO_EXPIRED_QUOTES
  const expired = new Set<string>()
  for (const quote of await listQuoteLastDays(db, [...waiting.keys()])) {
    const row = waiting.get(quote.id)
    if (row?.id === quote.claim_id && isQuotePastLastDay(policies, row, quote.valid_until, at))
      expired.add(row.id)
  }
  return expired
}
