import { DECISION_MADE, DECISION_PROVISIONAL } from '../../contracts/claim-event-types.ts'
import type { Basis, Handler, Payers } from '../../contracts/decision.ts'

/** What the derivation reads of a warranty decision. */
export interface RecoveryDecision {
  policy: string
  covered: boolean
  basis: Basis
  handler: Handler
  payers: Payers
}

/** From `at` on, `decision` was the one in force on the claim. */
export interface DecisionChange {
  at: string
  decision: RecoveryDecision
}

/** A claim event that may put another decision in force, its data parsed. */
export interface DecisionEvent {
  type: string
  at: string
  data: { decision?: RecoveryDecision }
}

/** The claim events `decisionChangesOf` reads. */
export const DECISION_EVENT_TYPES: readonly string[] = [DECISION_PROVISIONAL, DECISION_MADE]

/**
 * The decisions in force on the claim over time, from its events in their order. A final
 * decision is in force from when it was made; a provisional one only while no final decision
 * was made, as the claim reads them (a provisional decision restated after a final one, the
 * sale restated, does not undo the final one). The same rule decides whose an event is in the
 * claim's money sight (`dealerHandledOf`).
 */
export function decisionChangesOf(events: readonly DecisionEvent[]): DecisionChange[] {
  const changes: DecisionChange[] = []
  let final = false
  for (const event of events) {
    const decision = event.data.decision
    if (!decision) continue
    if (event.type === DECISION_MADE) final = true
    else if (event.type !== DECISION_PROVISIONAL || final) continue
    changes.push({
      at: event.at,
      decision: {
        policy: decision.policy,
        covered: decision.covered,
        basis: decision.basis,
        handler: decision.handler,
        payers: decision.payers,
      },
    })
  }
  return changes
}

/**
 * The decision in force at an instant: the last made by then. A cost recorded before the
 * claim's first decision is judged by that first decision, the one it was recorded awaiting;
 * with no history, `current` (the claim's decision now) was in force throughout.
 */
export function decisionAt(
  changes: readonly DecisionChange[] | undefined,
  current: RecoveryDecision,
  at: string,
): RecoveryDecision {
  const first = changes?.[0]
  if (changes === undefined || first === undefined) return current
  let decision = first.decision
  for (const change of changes) if (change.at <= at) decision = change.decision
  return decision
}
