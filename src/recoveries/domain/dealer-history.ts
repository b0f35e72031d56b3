import { DEALER_SALE_CONFIRMED, DEALER_SALE_MOVED } from '../../contracts/claim-event-types.ts'

/** The claim went from one dealer to another, or to or from the seller's own sale (`null`). */
export interface DealerChange {
  at: string
  from: string | null
  to: string | null
}

/** A claim event that may give the claim another dealer, its data parsed. */
export interface DealerEvent {
  type: string
  at: string
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
      changes.push({ at: event.at, from, to })
      dealer = to
    } else if (event.type === DEALER_SALE_CONFIRMED && dealer === null && to !== null) {
      changes.push({ at: event.at, from: null, to })
      dealer = to
    }
  }
  return changes
}

/** The claim's dealer at an instant: the last change made by then, else the one before the first change. */
export function dealerAt(
  facts: { orgs: { dealer: string | null }; dealerChanges?: readonly DealerChange[] },
  at: string,
): string | null {
  const changes = facts.dealerChanges ?? []
  const first = changes[0]
  if (first === undefined) return facts.orgs.dealer
  let dealer = first.from
  for (const change of changes) if (change.at <= at) dealer = change.to
  return dealer
}
