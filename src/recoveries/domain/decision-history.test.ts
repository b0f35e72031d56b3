import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { DECISION_MADE, DECISION_PROVISIONAL } from '../../contracts/claim-event-types.ts'
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
const event = (type: string, at: string, handler: RecoveryDecision['handler']): DecisionEvent => ({
  type,
  at,
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
    const handlerAt = (at: string) => decisionAt(changes, now, at).handler
    // Recorded before any decision: the first one, the one it awaited.
    assert.equal(handlerAt('2026-01-01T00:00:00.000Z'), 'vendor')
    assert.equal(handlerAt('2026-01-16T10:00:00.000Z'), 'vendor')
    // A change is in force from its own instant on.
    assert.equal(handlerAt('2026-01-20T10:00:00.000Z'), 'dealer')
    // No history: the decision now was in force throughout.
    assert.equal(decisionAt([], now, '2026-01-01T00:00:00.000Z'), now)
    assert.equal(decisionAt(undefined, now, '2026-01-01T00:00:00.000Z'), now)
  })
})
