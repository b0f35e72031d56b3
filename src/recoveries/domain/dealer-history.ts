import { DEALER_SALE_CONFIRMED, DEALER_SALE_MOVED } from '../../contracts/claim-event-types.ts'
import { type ClaimMoment, happenedBy, momentOf } from './claim-moment.ts'

/** The claim went from one dealer to another, or to or from the seller's own sale (`null`), at `at` (by its event, `seq`). */
export interface DealerChange extends ClaimMoment {
  from: string | null
  to: string | null
}

/** A claim event that may give the claim another dealer, its data parsed. */
export interface DealerEvent extends ClaimMoment {
  type: string
  data: { dealerOrgId?: string | null; previousDealerOrgId?: string | null }
}

/** The claim events `dealerChangesOf` reads. */
export const DEALER_EVENT_TYPES: readonly string[] = [DEALER_SALE_MOVED, DEALER_SALE_CONFIRMED]

/**
 * The claim's changes of dealer from its events in their order. A move names both dealers. A
 * confirmation gives the claim to the dealer the buyer named only when the claim had none: until
 * then the sale read as the seller's own, the seller served the claim, and the dealer, which
 * could not see it, bore and did nothing of it. A confirmation reaching a claim that already had
 * a dealer leaves it that dealer's, as the registry does.
 */
export function dealerChangesOf(events: readonly DealerEvent[]): DealerChange[] {
  const changes: DealerChange[] = []
  let dealer: string | null = null
  for (const event of events) {
    const to = event.data.dealerOrgId ?? null
    if (event.type === DEALER_SALE_MOVED) {
      const from = event.data.previousDealerOrgId ?? null
      changes.push({ ...momentOf(event), from, to })
      dealer = to
    } else if (event.type === DEALER_SALE_CONFIRMED && dealer === null && to !== null) {
      changes.push({ ...momentOf(event), from: null, to })
      dealer = to
    }
  }
  return changes
}

/**
 * The claim's dealer at a moment: the last change made by then (`happenedBy`: at the same
 * instant, the last before it on the chain), else the one before the first change.
 */
export function dealerAt(
  facts: { orgs: { dealer: string | null }; dealerChanges?: readonly DealerChange[] },
  moment: ClaimMoment,
): string | null {
  const changes = facts.dealerChanges ?? []
  const first = changes[0]
  if (first === undefined) return facts.orgs.dealer
  let dealer = first.from
  for (const change of changes) if (happenedBy(change, moment)) dealer = change.to
  return dealer
}
