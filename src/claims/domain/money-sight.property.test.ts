import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import {
  DEALER_SALE_CONFIRMED,
  DEALER_SALE_MOVED,
  DECISION_MADE,
  DECISION_PROVISIONAL,
  PAYMENT_RECORDED,
  QUOTE_SENT,
} from './claim-events.ts'
import { dealerHandledOf, eventSightOf, type MoneySight, moneySightOf, quoteSightOf } from './money-sight.ts'

const DEALERS = ['org-a', 'org-b'] as const
const HANDLERS = ['dealer', 'vendor', 'manufacturer'] as const

/** One thing that happens to a claim, as the history records it. */
type Step =
  | {
      kind: 'decide'
      type: typeof DECISION_PROVISIONAL | typeof DECISION_MADE
      handler: (typeof HANDLERS)[number]
    }
  | { kind: 'move'; to: (typeof DEALERS)[number] | null }
  | { kind: 'confirm'; to: (typeof DEALERS)[number] }
  | { kind: 'quote' }
  | { kind: 'pay'; pick: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('decide' as const),
    type: fc.constantFrom(DECISION_PROVISIONAL, DECISION_MADE),
    handler: fc.constantFrom(...HANDLERS),
  }),
  fc.record({ kind: fc.constant('move' as const), to: fc.constantFrom(...DEALERS, null) }),
  fc.record({ kind: fc.constant('confirm' as const), to: fc.constantFrom(...DEALERS) }),
  fc.constant({ kind: 'quote' as const }),
  fc.record({ kind: fc.constant('pay' as const), pick: fc.nat() }),
)

/**
 * Plays the steps as the claim's history and, beside it, a model of who sent each quote: the
 * dealer the claim was then with, when the decision then in force had the dealer handle it;
 * otherwise the seller. Written apart from `dealerHandledOf`, from the rule in words only.
 */
function play(initial: string | null, steps: readonly Step[]) {
  const events: { seq: number; type: string; data: Record<string, unknown> }[] = []
  const senderOf = new Map<string, string>()
  let dealer = initial
  let provisional: string | null = null
  let final: string | null = null
  const push = (type: string, data: Record<string, unknown>) =>
    events.push({ seq: events.length + 1, type, data })
  for (const s of steps) {
    if (s.kind === 'decide') {
      if (s.type === DECISION_PROVISIONAL) provisional = s.handler
      else final = s.handler
      push(s.type, { decision: { handler: s.handler } })
    } else if (s.kind === 'move') {
      if (s.to === dealer) continue
      push(DEALER_SALE_MOVED, { previousDealerOrgId: dealer, dealerOrgId: s.to })
      dealer = s.to
    } else if (s.kind === 'confirm') {
      // A sale waits for the dealer's word only while the claim has no dealer.
      if (dealer !== null) continue
      push(DEALER_SALE_CONFIRMED, { dealerOrgId: s.to })
      dealer = s.to
    } else if (s.kind === 'quote') {
      const quoteId = `q${senderOf.size + 1}`
      senderOf.set(quoteId, (final ?? provisional) === 'dealer' && dealer !== null ? dealer : 'seller')
      push(QUOTE_SENT, { quoteId, customerTotalMinor: 100 })
    } else if (senderOf.size > 0) {
      const quoteId = [...senderOf.keys()][s.pick % senderOf.size] ?? ''
      push(PAYMENT_RECORDED, { quoteId, amountMinor: 10 })
    }
  }
  return { events, senderOf, present: dealer, handler: final ?? provisional }
}

test('a dealer reads whole exactly the quotes it sent, and their payments, whoever handles the claim now', () => {
  fc.assert(
    fc.property(fc.constantFrom(...DEALERS, null), fc.array(step, { maxLength: 14 }), (initial, steps) => {
      const { events, senderOf, present, handler } = play(initial, steps)
      // Only the claim's present dealer reads it.
      if (present === null) return
      const sight = moneySightOf('dealer', (handler as (typeof HANDLERS)[number] | null) ?? null)
      const handled = dealerHandledOf(events)
      for (const [quoteId, sender] of senderOf)
        assert.equal(
          quoteSightOf(sight, handled, quoteId),
          sender === present ? 'whole' : 'own-share',
          quoteId,
        )
      for (const event of events) {
        const quoteId: unknown = event.data.quoteId
        if (typeof quoteId !== 'string') continue
        const expected: MoneySight = senderOf.get(quoteId) === present ? 'whole' : 'own-share'
        assert.equal(eventSightOf(sight, handled, event), expected, `${event.type} of ${quoteId}`)
      }
      // Staff and integrations read every quote whole; the customer as the customer.
      for (const quoteId of senderOf.keys()) {
        assert.equal(quoteSightOf('whole', null, quoteId), 'whole')
        assert.equal(quoteSightOf('customer', handled, quoteId), 'customer')
      }
    }),
    { numRuns: 2_000 },
  )
})
