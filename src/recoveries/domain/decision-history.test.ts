import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  DEALER_SALE_CONFIRMED,
  DECISION_MADE,
  DECISION_PROVISIONAL,
} from '../../contracts/claim-event-types.ts'
import { dealerAt, dealerChangesOf } from './dealer-history.ts'
import {
  type DecisionEvent,
  decisionAt,
  decisionChangesOf,
  type RecoveryDecision,
} from './decision-history.ts'

const decided = (handler: RecoveryDecision['handler']): RecoveryDecision => ({
  policy: 'player-one@1',
  covered: true,
  basis: 'warranty',
  handler,
  payers: {
    parts: null,
    labour: null,
    'inbound-shipping': null,
    'return-shipping': null,
    'missing-items': null,
    duties: null,
  },
})
const event = (
  type: string,
  at: string,
  handler: RecoveryDecision['handler'],
  seq?: number,
): DecisionEvent => ({
  type,
  at,
  ...(seq === undefined ? {} : { seq }),
  data: { decision: decided(handler) },
})

describe('the decision in force on a claim over time', () => {
  test('a provisional decision is in force until a final one; one restated after the final one does not undo it', () => {
    const changes = decisionChangesOf([
      event(DECISION_PROVISIONAL, '2026-01-09T10:00:00.000Z', 'vendor'),
      event(DECISION_MADE, '2026-01-12T10:00:00.000Z', 'vendor'),
      // The dealer confirmed the sale and the case was restated: the final decision stands.
      event(DECISION_PROVISIONAL, '2026-01-15T10:00:00.000Z', 'dealer'),
      event(DECISION_MADE, '2026-01-20T10:00:00.000Z', 'dealer'),
      { type: DECISION_MADE, at: '2026-01-21T10:00:00.000Z', data: {} },
    ])
    assert.deepEqual(
      changes.map((c) => [c.at, c.decision.handler]),
      [
        ['2026-01-09T10:00:00.000Z', 'vendor'],
        ['2026-01-12T10:00:00.000Z', 'vendor'],
        ['2026-01-20T10:00:00.000Z', 'dealer'],
      ],
    )
    const now = decided('dealer')
    const handlerAt = (at: string) => decisionAt(changes, now, { at }).handler
    // Recorded before any decision: the first one, the one it awaited.
    assert.equal(handlerAt('2026-01-01T00:00:00.000Z'), 'vendor')
    assert.equal(handlerAt('2026-01-16T10:00:00.000Z'), 'vendor')
    // A change is in force from its own instant on.
    assert.equal(handlerAt('2026-01-20T10:00:00.000Z'), 'dealer')
    // No history: the decision now was in force throughout.
    assert.equal(decisionAt([], now, { at: '2026-01-01T00:00:00.000Z' }), now)
    assert.equal(decisionAt(undefined, now, { at: '2026-01-01T00:00:00.000Z' }), now)
  })

  test('at one instant the chain says which came first: work before a decision on the chain is judged by the one before', () => {
    const at = '2026-01-12T10:00:00.000Z'
    const changes = decisionChangesOf([
      event(DECISION_PROVISIONAL, at, 'vendor', 2),
      event(DECISION_MADE, at, 'vendor', 5),
      event(DECISION_MADE, at, 'dealer', 9),
    ])
    assert.deepEqual(
      changes.map((c) => [c.seq, c.decision.handler]),
      [
        [2, 'vendor'],
        [5, 'vendor'],
        [9, 'dealer'],
      ],
    )
    const now = decided('dealer')
    assert.equal(decisionAt(changes, now, { at, seq: 7 }).handler, 'vendor')
    assert.equal(decisionAt(changes, now, { at, seq: 10 }).handler, 'dealer')
    // Off the chain, a change at the same instant is in force, as a change is from its instant on.
    assert.equal(decisionAt(changes, now, { at }).handler, 'dealer')
  })
})

describe('the dealer of a claim over time', () => {
  test('at one instant the chain says which came first: work before a confirmation on the chain is not the dealer’s', () => {
    const at = '2026-01-12T10:00:00.000Z'
    const facts = {
      orgs: { dealer: 'org-dealer' },
      dealerChanges: dealerChangesOf([
        { type: DEALER_SALE_CONFIRMED, at, seq: 6, data: { dealerOrgId: 'org-dealer' } },
      ]),
    }
    assert.equal(dealerAt(facts, { at, seq: 4 }), null)
    assert.equal(dealerAt(facts, { at, seq: 8 }), 'org-dealer')
    assert.equal(dealerAt(facts, { at }), 'org-dealer')
    assert.equal(dealerAt(facts, { at: '2026-01-12T09:59:59.999Z', seq: 99 }), null)
  })
})
