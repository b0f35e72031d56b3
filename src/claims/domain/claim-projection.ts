import type { Inspection } from '../../contracts/case.ts'
import type { Decision } from '../../contracts/decision.ts'
import * as E from './claim-events.ts'
import {
  type ClaimState,
  findTransitionByEvent,
  INITIAL_STATE,
  type LifecycleFacts,
} from './claim-lifecycle.ts'

/** The part of a claim that its events determine; the `claims` row stores it, `replayClaim` rebuilds it. */
export interface ClaimProjection {
  state: ClaimState
  resumeState: ClaimState | null
  version: number
  rmaNumber: string | null
  provisionalDecision: Decision | null
  finalDecision: Decision | null
  inspection: Inspection | null
  quote: {
    id: string
    status: 'sent' | 'accepted' | 'declined'
    customerTotalMinor: number
    paidMinor: number
  } | null
  replacementSerial: string | null
  returnTracking: { carrier: string; trackingNumber: string } | null
  outcome: string | null
}

export interface ClaimEventRecord {
  type: string
  at: string
  data: Record<string, unknown>
}

export const emptyProjection = (): ClaimProjection => ({
  state: INITIAL_STATE,
  resumeState: null,
  version: 0,
  rmaNumber: null,
  provisionalDecision: null,
  finalDecision: null,
  inspection: null,
  quote: null,
  replacementSerial: null,
  returnTracking: null,
  outcome: null,
})

/** Events that record something beside the case without changing it (no new version). */
const isCommentary = (type: string): boolean => E.COMMENTARY_EVENTS.includes(type)

/** Applies one event to the projection. Pure; the event's type decides the new state through the transition table. */
export function applyClaimEvent(current: ClaimProjection, event: ClaimEventRecord): ClaimProjection {
  if (isCommentary(event.type)) return current
  const next: ClaimProjection = { ...current, version: current.version + 1 }
  const data = event.data
  if (event.type === E.CLAIM_OPENED) return { ...next, state: INITIAL_STATE }
  const rule = findTransitionByEvent(event.type)
  if (!rule) throw new Error(`unknown claim event ${event.type}`)
  if (rule.to === 'resume') {
    next.state = current.resumeState ?? INITIAL_STATE
    next.resumeState = null
  } else if (rule.to !== 'stay') {
    if (rule.to === 'awaiting-info') next.resumeState = current.state
    next.state = rule.to
  }
  switch (event.type) {
    case E.DECISION_PROVISIONAL:
      next.provisionalDecision = data.decision as Decision
      break
    case E.RMA_AUTHORIZED:
      next.rmaNumber = data.rmaNumber as string
      break
    case E.INSPECTION_RECORDED:
      next.inspection = data.inspection as Inspection
      break
    case E.DECISION_MADE:
      next.finalDecision = data.decision as Decision
      break
    case E.QUOTE_SENT:
      next.quote = {
        id: data.quoteId as string,
        status: 'sent',
        customerTotalMinor: data.customerTotalMinor as number,
        paidMinor: 0,
      }
      break
    case E.QUOTE_ACCEPTED:
      if (next.quote) next.quote = { ...next.quote, status: 'accepted' }
      break
    case E.QUOTE_DECLINED:
      if (next.quote) next.quote = { ...next.quote, status: 'declined' }
      break
    case E.PAYMENT_RECORDED:
      if (next.quote)
        next.quote = { ...next.quote, paidMinor: next.quote.paidMinor + (data.amountMinor as number) }
      break
    case E.REPLACEMENT_ISSUED:
      next.replacementSerial = data.newSerial as string
      break
    case E.RETURN_SHIPPED:
      next.returnTracking = { carrier: data.carrier as string, trackingNumber: data.trackingNumber as string }
      break
    case E.REMOTE_RESOLVED:
      next.outcome = 'resolved-remotely'
      break
    case E.REFUND_ISSUED:
      next.outcome = 'refunded'
      break
    case E.CLAIM_CLOSED:
      next.outcome = (data.outcome as string | undefined) ?? next.outcome ?? 'closed'
      break
    case E.CLAIM_CANCELLED:
      next.outcome = 'cancelled'
      break
  }
  return next
}

/** Rebuilds a claim's state from its history; every event is checked against its type's schema first. */
export function replayClaim(events: readonly ClaimEventRecord[]): ClaimProjection {
  return events.reduce((projection, event) => {
    E.checkClaimEvent(event)
    return applyClaimEvent(projection, event)
  }, emptyProjection())
}

/**
 * The facts the lifecycle guards need, from a projection, the unit's brand and whether the
 * quote waiting for its answer has passed its last day (the caller knows the day; this does not).
 */
export function toLifecycleFacts(
  projection: ClaimProjection,
  brand: 'own' | 'agent',
  today: { quoteExpired: boolean },
  /**
   * What the case says the guards ask about: whether a proof of purchase waits to be weighed;
   * and whether the unit's registry proves the purchase, where the caller read it.
   */
  caseFacts: { proofOffered: boolean; purchaseProvenOnUnit?: boolean } = { proofOffered: false },
): LifecycleFacts {
  const decision = projection.finalDecision ?? projection.provisionalDecision
  return {
    state: projection.state,
    resumeState: projection.resumeState,
    brand,
    decision: decision && {
      provisional: decision.provisional,
      covered: decision.covered,
      remedies: decision.remedies,
      handler: decision.handler,
      service: decision.service,
    },
    quote: projection.quote && {
      status: projection.quote.status,
      customerTotalMinor: projection.quote.customerTotalMinor,
      paidMinor: projection.quote.paidMinor,
      expired: projection.quote.status === 'sent' && today.quoteExpired,
    },
    proofOffered: caseFacts.proofOffered,
    ...(caseFacts.purchaseProvenOnUnit === undefined
      ? {}
      : { purchaseProvenOnUnit: caseFacts.purchaseProvenOnUnit }),
  }
}
