import { DECISION_MADE, DECISION_PROVISIONAL } from '../../contracts/claim-event-types.ts'
import type { Basis, Handler, Payers } from '../../contracts/decision.ts'
import { type ClaimMoment, happenedBy, momentOf } from './claim-moment.ts'

/** What the derivation reads of a warranty decision. */
export interface RecoveryDecision {
  policy: string
  covered: boolean
  basis: Basis
  handler: Handler
  payers: Payers
}

/** From `at` (from its event, `seq`, on the claim's chain) on, `decision` was the one in force on the claim. */
export interface DecisionChange extends ClaimMoment {
  decision: RecoveryDecision
}

/** A claim event that may put another decision in force, its data parsed. */
export interface DecisionEvent extends ClaimMoment {
  type: string
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
      ...momentOf(event),
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
 * The decision in force at a moment: the last made by then (`happenedBy`: at the same instant,
 * the last made before it on the chain). A cost recorded before the claim's first decision is
 * judged by that first decision, the one it was recorded awaiting; with no history, `current`
 * (the claim's decision now) was in force throughout.
 */
export function decisionAt(
  changes: readonly DecisionChange[] | undefined,
  current: RecoveryDecision,
  moment: ClaimMoment,
): RecoveryDecision {
  const first = changes?.[0]
  if (changes === undefined || first === undefined) return current
  let decision = first.decision
  for (const change of changes) if (happenedBy(change, moment)) decision = change.decision
  return decision
}
