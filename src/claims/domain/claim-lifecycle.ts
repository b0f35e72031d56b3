import type { Role } from '../../auth/index.ts'
import type { Handler, Remedy } from '../../contracts/decision.ts'
import { type Message, render } from '../../shared/messages/translate.ts'
import * as E from './claim-events.ts'
import { CLAIM_STATES, type ClaimState, TERMINAL_STATES } from './claim-states.ts'
import type { CloseOutcome } from './close-outcomes.ts'

export { CLAIM_STATES, type ClaimState, TERMINAL_STATES }

/**
 * The claim lifecycle as a transition table. Each row names the action, the event it
 * appends, the states it may start from, where it leads, who may take it and the guards
 * that must hold. A guard returns the reason the transition is refused, or null.
 */
export const INITIAL_STATE: ClaimState = 'new'

/** Who takes an action, as far as the lifecycle cares. */
export const PARTIES = ['customer', 'dealer', 'staff', 'integration'] as const
export type ClaimParty = (typeof PARTIES)[number]

/** The facts of a claim the guards look at. */
export interface LifecycleFacts {
  state: ClaimState
  /** The state `info.provided` returns to. */
  resumeState: ClaimState | null
  brand: 'own' | 'agent'
  /** Latest decision (final when made, else provisional), or null before the engine ran. */
  decision: {
    provisional: boolean
    covered: boolean
    remedies: readonly Remedy[]
    handler: Handler
    service?: string | undefined
  } | null
  /**
   * The quote in force, if any. `expired`: it still waits for its answer and its last day has
   * passed in the claim's time zone. The caller compares the dates (`isQuotePastLastDay`);
   * the lifecycle has no clock.
   */
  quote: {
    status: 'sent' | 'accepted' | 'declined'
    customerTotalMinor: number
    paidMinor: number
    expired: boolean
  } | null
  /**
   * A proof of purchase the claimant sent waits to be weighed (`purchase.proofOfPurchasePending`
   * on the case). Unsaid, none does.
   */
  proofOffered?: boolean
  /**
   * The unit's registry holds a proof of its purchase (one staff found valid since the claim
   * opened, or a seller's file): the final decision takes the purchase as proven by it, whatever
   * proof still waits on the claim. Unsaid, it holds none.
   */
  purchaseProvenOnUnit?: boolean
}

/** A guard's refusal is a catalogue message, so each reader gets it in their language. */
export type Guard = (facts: LifecycleFacts, party: ClaimParty) => Message | null

export interface TransitionRule {
  action: string
  event: E.ClaimEventType
  from: readonly ClaimState[]
  /** `stay` keeps the state (a fact recorded on the case); `resume` returns to `resumeState`. */
  to: ClaimState | 'stay' | 'resume'
  parties: readonly ClaimParty[]
  /**
   * The staff roles that take it, where not every one does; a staff member of another role is
   * refused it as a party the rule never names is. Unsaid, every staff role.
   */
  staffRoles?: readonly Role[]
  guards?: readonly Guard[]
  /**
   * Guards that hold the step back until something else is done first, where `guards` say it
   * does not fit the claim: while one refuses, the step is not allowed but offered as held, with
   * that reason (`listHeldActions`), so a page can show it waiting rather than leave it out.
   */
  waitsFor?: readonly Guard[]
}

// ---- guards ---------------------------------------------------------------------------

/**
 * What a dealer may add to any claim it can see, handler or not: what it knows of the unit
 * and its customer (a self-check, an answer to a question, a first reading of the case).
 * Nothing of these moves a unit or money, nor ends the claim.
 */
export const DEALER_INFORMATION_STEPS: readonly string[] = [
  'record-selfcheck',
  'decide-provisional',
  'provide-info',
]

/**
 * Seed 004: "Purchase from dealer, we will provide warranty service through dealer." Every
 * other step a dealer takes is the handler's: the dealer that sold a unit the decision sends
 * to the seller or the maker may not cancel the claim, answer its quote or confirm its unit
 * back for the customer, any more than it may receive or repair the unit. Judged for every
 * rule in one place (`refusal`), so a step added to the table cannot forget it.
 */
const dealerOnlyWhenHandler = (
  rule: TransitionRule,
  facts: LifecycleFacts,
  party: ClaimParty,
): Message | null =>
  party !== 'dealer' || DEALER_INFORMATION_STEPS.includes(rule.action) || facts.decision?.handler === 'dealer'
    ? null
    : { key: 'lifecycle.dealer-not-handler' }

const finalDecisionMade: Guard = (facts) =>
  facts.decision && !facts.decision.provisional ? null : { key: 'lifecycle.needs-final-decision' }

const offers =
  (remedy: Remedy): Guard =>
  (facts) =>
    facts.decision?.covered && facts.decision.remedies.includes(remedy)
      ? null
      : { key: 'lifecycle.remedy-not-offered', params: { remedy } }

const notCovered: Guard = (facts) =>
  facts.decision && !facts.decision.covered ? null : { key: 'lifecycle.covered-nothing-to-quote' }

/** ToupTek: "ToupTek will provide on-site pickup services"; seed 002: on-site maintenance in Shenzhen. */
const policyOffersPickup: Guard = (facts) =>
  facts.decision?.service === 'pickup' || facts.decision?.service === 'on-site'
    ? null
    : { key: 'lifecycle.no-pickup' }

const agentBrand: Guard = (facts) => (facts.brand === 'agent' ? null : { key: 'lifecycle.agent-brand-only' })

/** Seed 003: "the out-of-warranty equipment will start the normal maintenance process after the customer pays". */
const quotePaid: Guard = (facts) => {
  if (facts.state !== 'quote-accepted') return null
  if (!facts.quote) return { key: 'lifecycle.no-quote' }
  return facts.quote.paidMinor >= facts.quote.customerTotalMinor ? null : { key: 'lifecycle.quote-unpaid' }
}

/**
 * Past its last day a quote's prices no longer bind the seller: the customer may not accept
 * it (`answerQuote` refuses, naming the day). Staff may still record an acceptance the
 * customer gave in time, with a note saying how.
 */
const quoteStillHolds: Guard = (facts, party) =>
  party === 'staff' || !facts.quote?.expired ? null : { key: 'lifecycle.quote-expired' }

const quoteOutstanding: Guard = (facts) => {
  if (!facts.quote) return { key: 'lifecycle.no-quote' }
  return facts.quote.paidMinor < facts.quote.customerTotalMinor ? null : { key: 'lifecycle.quote-paid' }
}

/** Covered repair from `decided`, or a paid quote, or the unit is back from the maker. */
const repairAllowed: Guard = (facts) => {
  if (facts.state === 'decided') return offers('repair')(facts, 'staff')
  return null
}

/**
 * Seed 003: out-of-warranty work starts "after the customer pays". Whatever the way (a repair
 * here, or the unit sent on to the maker and back), a final decision that covers nothing
 * needs an accepted quote paid in full first.
 */
const paidWhenNotCovered: Guard = (facts) => {
  if (!facts.decision || facts.decision.provisional || facts.decision.covered) return null
  const quote = facts.quote
  if (quote?.status !== 'accepted') return { key: 'lifecycle.quote-unpaid' }
  return quote.paidMinor >= quote.customerTotalMinor ? null : { key: 'lifecycle.quote-unpaid' }
}

/**
 * A final decision made while the claimant's proof of purchase waits would call the purchase
 * unproven for want of a document staff have not looked at yet: staff accept or refuse it
 * first, unless the unit's registry already proves the purchase.
 */
const noProofWaiting: Guard = (facts) =>
  facts.proofOffered && !facts.purchaseProvenOnUnit ? { key: 'claims.decision.proof-waits' } : null

/** Staff weigh a proof of purchase only while one the claimant sent waits for it. */
const proofOffered: Guard = (facts) => (facts.proofOffered ? null : { key: 'lifecycle.no-proof-offered' })

// ---- the table ------------------------------------------------------------------------

const STAFF: readonly ClaimParty[] = ['staff']
const SERVICE: readonly ClaimParty[] = ['staff', 'dealer']
const ANY_PARTY: readonly ClaimParty[] = ['customer', 'dealer', 'staff']
const BEFORE_SHIPPING: readonly ClaimState[] = ['new', 'remote-diagnosis']
/**
 * Who weighs a proof of purchase: judging a sale's papers is front-office work, not the bench
 * technician's (`PROOF_WEIGHER_ROLES` of auth, which a test holds this to).
 */
export const PROOF_WEIGHING_ROLES: readonly Role[] = ['support', 'manager', 'admin']
/**
 * Where a proof of purchase is weighed: up to the final decision, which goes by the proof as
 * weighed, and after it while the claim is still open (a proof found valid later is on the
 * unit for its next claim).
 */
const WEIGHING_PROOF: readonly ClaimState[] = CLAIM_STATES.filter((state) => !TERMINAL_STATES.includes(state))

export const CLAIM_TRANSITIONS: readonly TransitionRule[] = [
  {
    action: 'start-diagnosis',
    event: E.DIAGNOSIS_STARTED,
    from: ['new'],
    to: 'remote-diagnosis',
    parties: SERVICE,
  },
  {
    action: 'record-selfcheck',
    event: E.SELFCHECK_RECORDED,
    from: BEFORE_SHIPPING,
    to: 'stay',
    parties: ANY_PARTY,
  },
  {
    action: 'decide-provisional',
    event: E.DECISION_PROVISIONAL,
    from: [...BEFORE_SHIPPING, 'awaiting-info'],
    to: 'stay',
    parties: ['customer', 'dealer', 'staff', 'integration'],
  },
  {
    action: 'request-info',
    event: E.INFO_REQUESTED,
    from: [...BEFORE_SHIPPING, 'authorized', 'received', 'inspected', 'decided'],
    to: 'awaiting-info',
    parties: SERVICE,
  },
  {
    action: 'provide-info',
    event: E.INFO_PROVIDED,
    from: ['awaiting-info'],
    to: 'resume',
    parties: ANY_PARTY,
  },
  // Seed 001: "If the problem can be solved in other ways by upgrading the system or receiving some spare parts"; seed 003 step one, remote analysis.
  {
    action: 'resolve-remotely',
    event: E.REMOTE_RESOLVED,
    from: BEFORE_SHIPPING,
    to: 'resolved-remotely',
    parties: SERVICE,
  },
  {
    action: 'authorize-return',
    event: E.RMA_AUTHORIZED,
    from: BEFORE_SHIPPING,
    to: 'authorized',
    parties: SERVICE,
  },
  // A return authorised but not yet sent goes where the claim is served now: the dealer it was
  // addressed to was deactivated, or the service address changed. Same RMA, new address.
  {
    action: 'readdress-return',
    event: E.RMA_READDRESSED,
    from: ['authorized'],
    to: 'stay',
    parties: STAFF,
  },
  {
    action: 'schedule-pickup',
    event: E.PICKUP_SCHEDULED,
    from: ['authorized'],
    to: 'pickup-scheduled',
    parties: STAFF,
    guards: [policyOffersPickup],
  },
  {
    action: 'receive-unit',
    event: E.UNIT_RECEIVED,
    from: ['authorized', 'pickup-scheduled'],
    to: 'received',
    parties: SERVICE,
  },
  {
    action: 'record-inspection',
    event: E.INSPECTION_RECORDED,
    from: ['received', 'back-from-maker'],
    to: 'inspected',
    parties: SERVICE,
  },
  {
    action: 'make-decision',
    event: E.DECISION_MADE,
    from: ['inspected'],
    to: 'decided',
    parties: SERVICE,
    waitsFor: [noProofWaiting],
  },
  // Seed 004: "we will estimate cost and email customer to know the information before send product back".
  {
    action: 'send-quote',
    event: E.QUOTE_SENT,
    from: ['decided'],
    to: 'quoted',
    parties: SERVICE,
    guards: [finalDecisionMade, notCovered],
  },
  {
    action: 'accept-quote',
    event: E.QUOTE_ACCEPTED,
    from: ['quoted'],
    to: 'quote-accepted',
    // The customer pays: they accept, or staff record their word (with a note).
    parties: ['customer', 'staff'],
    guards: [quoteStillHolds],
  },
  {
    action: 'decline-quote',
    event: E.QUOTE_DECLINED,
    from: ['quoted'],
    to: 'quote-declined',
    parties: ANY_PARTY,
  },
  {
    action: 'record-payment',
    event: E.PAYMENT_RECORDED,
    from: ['quote-accepted'],
    to: 'stay',
    parties: SERVICE,
  },
  // The customer shows they paid; staff check it and record the payment against it.
  {
    action: 'submit-payment-proof',
    event: E.PAYMENT_PROOF_SUBMITTED,
    from: ['quote-accepted'],
    to: 'stay',
    parties: ['customer', 'staff'],
    guards: [quoteOutstanding],
  },
  {
    action: 'start-repair',
    event: E.REPAIR_STARTED,
    from: ['decided', 'quote-accepted', 'back-from-maker'],
    to: 'in-repair',
    parties: SERVICE,
    guards: [finalDecisionMade, repairAllowed, quotePaid, paidWhenNotCovered],
  },
  {
    action: 'complete-repair',
    event: E.REPAIR_COMPLETED,
    from: ['in-repair'],
    to: 'repaired',
    parties: SERVICE,
  },
  {
    action: 'issue-replacement',
    event: E.REPLACEMENT_ISSUED,
    from: ['decided'],
    to: 'replacing',
    parties: SERVICE,
    guards: [finalDecisionMade, offers('replace')],
  },
  {
    action: 'issue-refund',
    event: E.REFUND_ISSUED,
    from: ['decided'],
    to: 'refunded',
    parties: STAFF,
    guards: [finalDecisionMade, offers('refund')],
  },
  // Seed 002: "the agent products will be sent to the manufacturer's warranty center within 12 hours".
  {
    action: 'forward-to-maker',
    event: E.FORWARDED_TO_MAKER,
    from: ['received', 'inspected', 'decided', 'quote-accepted'],
    to: 'forwarded',
    parties: SERVICE,
    guards: [agentBrand, quotePaid, paidWhenNotCovered],
  },
  {
    action: 'return-from-maker',
    event: E.RETURNED_FROM_MAKER,
    from: ['forwarded'],
    to: 'back-from-maker',
    parties: SERVICE,
  },
  // Seed 003 step four: "we will mail the equipment to your address and call you the courier number".
  {
    action: 'ship-return',
    event: E.RETURN_SHIPPED,
    from: ['repaired', 'replacing', 'quote-declined', 'back-from-maker'],
    to: 'return-shipped',
    parties: SERVICE,
  },
  {
    action: 'confirm-receipt',
    event: E.RECEIPT_CONFIRMED,
    from: ['return-shipped'],
    to: 'delivered',
    parties: ANY_PARTY,
  },
  // Closing a declined quote without shipping is the scrap on the customer's request.
  {
    action: 'close',
    event: E.CLAIM_CLOSED,
    from: ['resolved-remotely', 'delivered', 'refunded', 'quote-declined', 'return-shipped'],
    to: 'closed',
    parties: SERVICE,
  },
  // Staff weigh the proof of purchase a claimant offered (an invoice, a receipt) while the claim
  // is open; the claim stays where it is, the case and the unit change.
  {
    action: 'accept-purchase-proof',
    event: E.PURCHASE_PROOF_ACCEPTED,
    from: WEIGHING_PROOF,
    to: 'stay',
    parties: STAFF,
    staffRoles: PROOF_WEIGHING_ROLES,
    guards: [proofOffered],
  },
  {
    action: 'refuse-purchase-proof',
    event: E.PURCHASE_PROOF_REFUSED,
    from: WEIGHING_PROOF,
    to: 'stay',
    parties: STAFF,
    staffRoles: PROOF_WEIGHING_ROLES,
    guards: [proofOffered],
  },
  {
    action: 'cancel',
    event: E.CLAIM_CANCELLED,
    from: [...BEFORE_SHIPPING, 'awaiting-info', 'authorized', 'pickup-scheduled'],
    to: 'cancelled',
    parties: ANY_PARTY,
  },
]

export const CLAIM_ACTIONS = CLAIM_TRANSITIONS.map((rule) => rule.action)

/**
 * The outcomes a claim may be closed with, by the state it is closed from: the outcome says
 * what happened, so a claim resolved remotely is not closed as refunded.
 */
const CLOSE_OUTCOMES_FROM: Readonly<Partial<Record<ClaimState, readonly CloseOutcome[]>>> = {
  'resolved-remotely': ['resolved-remotely'],
  refunded: ['refunded'],
  'quote-declined': ['scrapped', 'returned-unrepaired'],
  'return-shipped': ['completed', 'returned-unrepaired'],
  delivered: ['completed', 'returned-unrepaired'],
}

/** The outcomes a claim closed from `state` may have; undefined where the lifecycle sets none. */
export const closeOutcomesFrom = (state: string): readonly CloseOutcome[] | undefined =>
  CLOSE_OUTCOMES_FROM[state as ClaimState]

/**
 * The outcome of a claim closed without one named: the only one its state allows, or, for a
 * unit gone back to its customer, whether it went back repaired (a declined quote sends it
 * back unrepaired). Undefined where only staff can say: a declined quote's unit may have been
 * scrapped or returned.
 */
export function closeOutcomeByDefault(state: string, quoteDeclined: boolean): CloseOutcome | undefined {
  const fits = closeOutcomesFrom(state)
  if (fits?.length === 1) return fits[0]
  if (state === 'return-shipped' || state === 'delivered')
    return quoteDeclined ? 'returned-unrepaired' : 'completed'
  return undefined
}

export function findTransition(action: string): TransitionRule | undefined {
  return CLAIM_TRANSITIONS.find((rule) => rule.action === action)
}

export type TransitionCheck =
  | { ok: true; rule: TransitionRule; to: ClaimState }
  | {
      ok: false
      /** The refusal in English; `refusal` is the same as a catalogue message. */
      reason: string
      refusal: Message
      allowed: string[] /** The party may never take this action. */
      forbidden: boolean
    }

/** Whether a staff member of this role is one the rule names; `role` unsaid stands for any staff. */
const roleMayTake = (rule: TransitionRule, party: ClaimParty, role: Role | undefined): boolean =>
  party !== 'staff' || role === undefined || rule.staffRoles === undefined || rule.staffRoles.includes(role)

function refusal(
  rule: TransitionRule,
  facts: LifecycleFacts,
  party: ClaimParty,
  role?: Role,
): Message | null {
  return misfit(rule, facts, party, role) ?? heldBy(rule, facts, party)
}

/** Why the step does not fit this party or the claim as it is, leaving aside what it waits for. */
function misfit(rule: TransitionRule, facts: LifecycleFacts, party: ClaimParty, role?: Role): Message | null {
  if (!rule.parties.includes(party))
    return { key: 'lifecycle.party-may-not', params: { party, action: rule.action } }
  if (!roleMayTake(rule, party, role))
    return { key: 'lifecycle.role-may-not', params: { role: role ?? party, action: rule.action } }
  const notHandler = dealerOnlyWhenHandler(rule, facts, party)
  if (notHandler) return notHandler
  if (!rule.from.includes(facts.state))
    return { key: 'lifecycle.wrong-state', params: { action: rule.action, state: facts.state } }
  for (const guard of rule.guards ?? []) {
    const reason = guard(facts, party)
    if (reason) return reason
  }
  return null
}

/** Why a step that fits the claim waits for something else done first; null when nothing holds it. */
function heldBy(rule: TransitionRule, facts: LifecycleFacts, party: ClaimParty): Message | null {
  for (const guard of rule.waitsFor ?? []) {
    const reason = guard(facts, party)
    if (reason) return reason
  }
  return null
}

function target(rule: TransitionRule, facts: LifecycleFacts): ClaimState {
  if (rule.to === 'stay') return facts.state
  if (rule.to === 'resume') return facts.resumeState ?? 'new'
  return rule.to
}

/** The actions this party (of this role, for staff) may take now. */
export function listAllowedActions(facts: LifecycleFacts, party: ClaimParty, role?: Role): string[] {
  const allowed: string[] = []
  // Every claim a page or a list shows asks this of every rule: most are out of the party's
  // reach or of the claim's state, and are passed over before a reason is written for them.
  for (const rule of CLAIM_TRANSITIONS)
    if (
      rule.parties.includes(party) &&
      rule.from.includes(facts.state) &&
      refusal(rule, facts, party, role) === null
    )
      allowed.push(rule.action)
  return allowed
}

/** A step the party may take once something else is done first, with what it waits for. */
export interface HeldAction {
  action: string
  reason: Message
}

/**
 * The steps this party (of this role, for staff) would be allowed now but for something to do
 * first (a rule's `waitsFor`): none of them is in `listAllowedActions`, and each goes there as
 * soon as what holds it is done.
 */
export function listHeldActions(facts: LifecycleFacts, party: ClaimParty, role?: Role): HeldAction[] {
  const held: HeldAction[] = []
  for (const rule of CLAIM_TRANSITIONS) {
    if (rule.waitsFor === undefined || !rule.parties.includes(party) || !rule.from.includes(facts.state))
      continue
    if (misfit(rule, facts, party, role) !== null) continue
    const reason = heldBy(rule, facts, party)
    if (reason !== null) held.push({ action: rule.action, reason })
  }
  return held
}

/**
 * Decides whether the party (of this role, for staff) may take the action; a refusal carries
 * its reason and what is allowed instead.
 */
export function checkTransition(
  facts: LifecycleFacts,
  action: string,
  party: ClaimParty,
  role?: Role,
): TransitionCheck {
  const rule = findTransition(action)
  if (!rule) {
    const unknown: Message = { key: 'lifecycle.unknown-action', params: { action } }
    return {
      ok: false,
      reason: render('en', unknown),
      refusal: unknown,
      allowed: listAllowedActions(facts, party, role),
      forbidden: false,
    }
  }
  const refused = refusal(rule, facts, party, role)
  if (refused)
    return {
      ok: false,
      reason: render('en', refused),
      refusal: refused,
      allowed: listAllowedActions(facts, party, role),
      // Who the party is, not the claim's state, refuses it: a dealer not handling the claim
      // is refused its steps in every state, as a party or staff role the rule never names is.
      forbidden:
        !rule.parties.includes(party) ||
        !roleMayTake(rule, party, role) ||
        refused.key === 'lifecycle.dealer-not-handler',
    }
  return { ok: true, rule, to: target(rule, facts) }
}

/**
 * The start-up check: every state is reachable from `new`, every terminal state is final,
 * every other state has a way out. Returns the problems found (empty when sound).
 */
export function validateLifecycle(rules: readonly TransitionRule[] = CLAIM_TRANSITIONS): string[] {
  const problems: string[] = []
  const pausable = rules.filter((r) => r.to === 'awaiting-info').flatMap((r) => r.from)
  const edges = new Map<ClaimState, Set<ClaimState>>()
  for (const rule of rules) {
    for (const from of rule.from) {
      const targets = rule.to === 'stay' ? [from] : rule.to === 'resume' ? pausable : [rule.to]
      const set = edges.get(from) ?? new Set<ClaimState>()
      for (const t of targets) set.add(t)
      edges.set(from, set)
    }
  }
  const seen = new Set<ClaimState>([INITIAL_STATE])
  const queue: ClaimState[] = [INITIAL_STATE]
  while (queue.length > 0) {
    const state = queue.shift() as ClaimState
    for (const next of edges.get(state) ?? []) {
      if (!seen.has(next)) {
        seen.add(next)
        queue.push(next)
      }
    }
  }
  for (const state of CLAIM_STATES) {
    if (!seen.has(state)) problems.push(`state ${state} is unreachable from ${INITIAL_STATE}`)
    const out = [...(edges.get(state) ?? [])].filter((t) => t !== state)
    if (TERMINAL_STATES.includes(state) && (edges.get(state)?.size ?? 0) > 0) {
      problems.push(`terminal state ${state} has transitions out`)
    }
    if (!TERMINAL_STATES.includes(state) && out.length === 0) problems.push(`state ${state} is a dead end`)
  }
  const actions = new Set<string>()
  for (const rule of rules) {
    if (actions.has(rule.action)) problems.push(`action ${rule.action} appears twice`)
    actions.add(rule.action)
  }
  return problems
}

export const isTerminal = (state: ClaimState): boolean => TERMINAL_STATES.includes(state)

export function findTransitionByEvent(eventType: string): TransitionRule | undefined {
  return CLAIM_TRANSITIONS.find((rule) => rule.event === eventType)
}
