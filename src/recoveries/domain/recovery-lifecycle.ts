import { type Message, render } from '../../shared/messages/translate.ts'

/**
 * The lifecycle of a recovery claim as a transition table: the creditor drafts and
 * submits, the debtor (or staff recording an outside counterparty's answer) accepts,
 * accepts in part line by line, or rejects, then pays; the creditor writes off what will
 * not be paid and closes. The failed part travels on a track of its own beside the states.
 */
export const RECOVERY_STATES = [
  'draft',
  'submitted',
  'accepted',
  'partly-accepted',
  'rejected',
  'paid',
  'written-off',
  'closed',
] as const
export type RecoveryState = (typeof RECOVERY_STATES)[number]

export const PART_STATES = ['none', 'requested', 'shipped', 'received'] as const
export type PartState = (typeof PART_STATES)[number]

/** `creditor` and `debtor` are users of those organisations; staff act for either side. */
export type RecoveryParty = 'creditor' | 'debtor' | 'staff'

/** Reason codes a debtor gives for a line it does not pay in full. */
export const LINE_REASON_CODES = [
  'not-covered',
  'over-standard-time',
  'price-above-list',
  'late-submission',
  'part-not-returned',
  'no-evidence',
  'duplicate',
  'other',
] as const
export type LineReasonCode = (typeof LINE_REASON_CODES)[number]

export interface RecoveryFactsForTransition {
  state: RecoveryState
  partState: PartState
  lineCount: number
  returnPart: boolean
}

/** A guard's refusal is a catalogue message, so each reader gets it in their language. */
type Guard = (facts: RecoveryFactsForTransition) => Message | null

export interface RecoveryTransitionRule {
  action: string
  /** The event appended to the history. */
  event: string
  from: readonly RecoveryState[]
  /** `stay` keeps the state (the part track moves instead). */
  to: RecoveryState | 'stay'
  parties: readonly RecoveryParty[]
  partTo?: PartState
  guards?: readonly Guard[]
}

const hasLines: Guard = (f) => (f.lineCount > 0 ? null : { key: 'recovery.lifecycle.no-lines' })
const partIs =
  (state: PartState, reason: Message): Guard =>
  (f) =>
    f.partState === state ? null : reason
const partWanted: Guard = (f) => (f.returnPart ? null : { key: 'recovery.lifecycle.part-not-wanted' })

const CREDITOR: readonly RecoveryParty[] = ['creditor', 'staff']
const DEBTOR: readonly RecoveryParty[] = ['debtor', 'staff']
const OPEN_AFTER_SUBMIT: readonly RecoveryState[] = ['submitted', 'accepted', 'partly-accepted', 'paid']

export const RECOVERY_TRANSITIONS: readonly RecoveryTransitionRule[] = [
  {
    action: 'submit',
    event: 'recovery.submitted',
    from: ['draft'],
    to: 'submitted',
    parties: CREDITOR,
    guards: [hasLines],
  },
  { action: 'accept', event: 'recovery.accepted', from: ['submitted'], to: 'accepted', parties: DEBTOR },
  {
    action: 'partly-accept',
    event: 'recovery.partly-accepted',
    from: ['submitted'],
    to: 'partly-accepted',
    parties: DEBTOR,
  },
  { action: 'reject', event: 'recovery.rejected', from: ['submitted'], to: 'rejected', parties: DEBTOR },
  {
    action: 'record-payment',
    event: 'recovery.paid',
    from: ['accepted', 'partly-accepted'],
    to: 'paid',
    parties: DEBTOR,
  },
  {
    action: 'write-off',
    event: 'recovery.written-off',
    from: ['submitted', 'accepted', 'partly-accepted', 'rejected', 'paid'],
    to: 'written-off',
    parties: CREDITOR,
  },
  {
    action: 'close',
    event: 'recovery.closed',
    from: ['paid', 'rejected', 'written-off'],
    to: 'closed',
    parties: CREDITOR,
  },
  {
    action: 'request-part',
    event: 'recovery.part-requested',
    from: OPEN_AFTER_SUBMIT,
    to: 'stay',
    partTo: 'requested',
    parties: DEBTOR,
    guards: [partWanted, partIs('none', { key: 'recovery.lifecycle.part-requested-already' })],
  },
  {
    action: 'ship-part',
    event: 'recovery.part-shipped',
    from: OPEN_AFTER_SUBMIT,
    to: 'stay',
    partTo: 'shipped',
    parties: CREDITOR,
    guards: [partIs('requested', { key: 'recovery.lifecycle.part-not-requested' })],
  },
  {
    action: 'receive-part',
    event: 'recovery.part-received',
    from: OPEN_AFTER_SUBMIT,
    to: 'stay',
    partTo: 'received',
    parties: DEBTOR,
    guards: [partIs('shipped', { key: 'recovery.lifecycle.part-not-shipped' })],
  },
]

export const RECOVERY_ACTIONS = RECOVERY_TRANSITIONS.map((r) => r.action)
export const FINAL_RECOVERY_STATES: readonly RecoveryState[] = ['closed']

export type RecoveryCheck =
  | { ok: true; rule: RecoveryTransitionRule }
  | {
      ok: false
      forbidden: boolean
      /** The refusal in English; `refusal` is the same as a catalogue message. */
      reason: string
      refusal: Message
      allowed: string[]
    }

/** The actions this party may take now. */
export function allowedRecoveryActions(facts: RecoveryFactsForTransition, party: RecoveryParty): string[] {
  return RECOVERY_TRANSITIONS.filter(
    (r) =>
      r.from.includes(facts.state) &&
      r.parties.includes(party) &&
      (r.guards ?? []).every((g) => g(facts) === null),
  ).map((r) => r.action)
}

/** Whether the action is allowed; the refusal names the reason and what is allowed instead. */
export function checkRecoveryTransition(
  facts: RecoveryFactsForTransition,
  action: string,
  party: RecoveryParty,
): RecoveryCheck {
  const allowed = allowedRecoveryActions(facts, party)
  const rule = RECOVERY_TRANSITIONS.find((r) => r.action === action)
  const refuse = (refusal: Message, forbidden = false): RecoveryCheck => ({
    ok: false,
    forbidden,
    reason: render('en', refusal),
    refusal,
    allowed,
  })
  if (!rule) return refuse({ key: 'recovery.lifecycle.unknown-action', params: { recoveryAction: action } })
  if (!rule.parties.includes(party))
    return refuse(
      { key: 'recovery.lifecycle.party-may-not', params: { party, recoveryAction: action } },
      true,
    )
  if (!rule.from.includes(facts.state))
    return refuse({
      key: 'recovery.lifecycle.wrong-state',
      params: { recoveryState: facts.state, recoveryAction: action },
    })
  for (const guard of rule.guards ?? []) {
    const refusal = guard(facts)
    if (refusal) return refuse(refusal)
  }
  return { ok: true, rule }
}

/** The start-up check: every state reachable from draft, final states without a way out. */
export function validateRecoveryLifecycle(): string[] {
  const problems: string[] = []
  const reached = new Set<RecoveryState>(['draft'])
  let grew = true
  while (grew) {
    grew = false
    for (const rule of RECOVERY_TRANSITIONS) {
      if (rule.to === 'stay' || reached.has(rule.to)) continue
      if (rule.from.some((s) => reached.has(s))) {
        reached.add(rule.to)
        grew = true
      }
    }
  }
  for (const state of RECOVERY_STATES) if (!reached.has(state)) problems.push(`${state} is unreachable`)
  for (const state of FINAL_RECOVERY_STATES)
    for (const rule of RECOVERY_TRANSITIONS)
      if (rule.from.includes(state)) problems.push(`${rule.action} leaves the final state ${state}`)
  return problems
}

/**
 * A draft whose every line was withdrawn (the claims no longer yield them) is withdrawn
 * itself: listed nowhere, read and stepped on by nobody, until a line is filed in it again.
 */
export function isEmptyDraft(state: string, lineCount: number): boolean {
  return state === 'draft' && lineCount === 0
}
