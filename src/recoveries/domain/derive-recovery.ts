import type { Basis, CostKind, Handler, Party } from '../../contracts/decision.ts'
import { addDays } from '../../shared/day-numbers.ts'
import { localDate } from '../../shared/local-date.ts'
import {
  MESSAGE_LANGUAGES,
  type Message,
  type MessageKey,
  type MessageParams,
  paramIn,
  render,
  wordOf,
} from '../../shared/messages/translate.ts'
import { type ClaimMoment, compareMoments, happenedBy } from './claim-moment.ts'
import { type DealerChange, dealerAt } from './dealer-history.ts'
import { type DecisionChange, decisionAt, type RecoveryDecision } from './decision-history.ts'
import { timesRate } from './minor-units.ts'
import {
  type CostClause,
  clauseId,
  type FreightLeg,
  type NeverClause,
  type RecoveryTerms,
  termsInForce,
} from './recovery-terms.ts'

/** A cost recorded on the claim (quote, repair): who bore it comes from the line's payer. */
export interface CostRecord {
  id: string
  kind: CostKind
  description: string
  quantity: number
  unitPriceMinor: number
  payer: Party
  currency: string
  at: string
  /**
   * The claim event that recorded the cost (the quote sent, the repair completed): where it
   * stands among the events of its instant. Absent where no event is known to have.
   */
  seq?: number
  /** Where the line stood among the lines recorded with it, as given. */
  position?: number
}

/**
 * The `item` of a message about a cost: its description as typed, or, for a line typed without
 * one, its kind worded once per language, so a maker reading in Chinese is not shown the
 * English word (nor a dealer reading in English the Chinese one).
 */
export function costItem(cost: Pick<CostRecord, 'kind' | 'description'>): MessageParams {
  if (cost.description !== '') return { item: cost.description }
  const words: Record<string, string> = { item: wordOf('en', 'cost', cost.kind) }
  for (const language of MESSAGE_LANGUAGES)
    words[paramIn(language, 'item')] = wordOf(language, 'cost', cost.kind)
  return words
}

/** Work done on the claim, from its events: what makes a share, a leg or labour payable. */
export interface WorkRecord {
  type: 'repair' | 'replacement' | 'refund' | 'forward' | 'back' | 'return-shipped'
  at: string
  eventSeq: number
  amountMinor?: number
}

/** When work was done: its event's instant and number on the claim's chain. */
const workMoment = (work: WorkRecord): ClaimMoment => ({ at: work.at, seq: work.eventSeq })

/** Everything the derivation needs to know of one claim; built by the store, no database here. */
export interface RecoveryFacts {
  claimId: string
  policyId: string
  /** The zone the claim's policy counts its days in: a line's work day and deadline are its days. */
  timeZone: string
  /** The sale date that chooses the terms version (purchase, else delivery, else the claim's opening). */
  soldOn: string
  currency: string
  /**
   * The sale's channel as the registry holds it now. Where `dealerChanges` records moves of the
   * sale, the channel at a moment is read from them instead (`channelAt`).
   */
  channel: 'direct' | 'dealer'
  brand: 'own' | 'agent'
  category: string | null
  /** The decision in force now: whether the claim is covered, and on what basis. */
  decision: RecoveryDecision | null
  /**
   * The decisions in force over time (`decisionChangesOf`), the last being `decision`: who
   * handled the claim and who bore which cost are the decision's in force when a cost was
   * recorded or work done, not the one in force now (the seller served a claim, and bore its
   * freight, until the dealer the buyer named confirmed the sale and the claim was decided
   * again as the dealer's). Absent or empty when `decision` was in force throughout.
   */
  decisionChanges?: readonly DecisionChange[]
  orgs: { dealer: string | null; seller: string | null; brand: string | null }
  /**
   * The claim's moves from one dealer to another (or to or from the seller's own sale, a
   * dealer's confirmation of the sale its buyer named being one from it), in their order: a
   * cost or work is the dealer's that had the claim when it was recorded or done, not the one
   * that has it now. Absent or empty when the claim always had `orgs.dealer`.
   */
  dealerChanges?: readonly DealerChange[]
  costs: CostRecord[]
  work: WorkRecord[]
}

export type RecoveryLineKind = CostClause['kind']

export interface DerivedLine {
  /** Unique per claim, terms, clause, cost and creditor: what makes deriving twice harmless. */
  lineKey: string
  claimId: string
  clause: string
  kind: RecoveryLineKind
  leg: FreightLeg | null
  /** What the line pays for, in English: `descriptionKey` and `descriptionParams` worded in English. */
  description: string
  /** The catalogue message that words the line in any language, with its values. */
  descriptionKey: MessageKey
  descriptionParams: MessageParams
  amountMinor: number
  /** Set when a cap cut the line, to nothing or to less: what it would have been. */
  cappedFromMinor?: number
  /** Set with `cappedFromMinor`: which cap set `amountMinor`. */
  capReasonCode?: CapReasonCode
  repairCode?: string
  /** The day of the work the line pays for, and the day it must be submitted by. */
  workOn: string
  deadline: string
  evidence: { costLineIds: string[]; eventSeqs: number[] }
  decision: { policy: string; basis: Basis; payer: Party | null }
}

/**
 * A line filed by an earlier derivation of the claim, as the store holds it. Lines are filed
 * once and never re-priced, so a later derivation counts them against the caps before it
 * prices anything new.
 */
export type FiledLine = Pick<
  DerivedLine,
  'lineKey' | 'claimId' | 'clause' | 'amountMinor' | 'cappedFromMinor' | 'capReasonCode'
> & {
  /** The creditor of the recovery claim that holds the line: the end of its key. */
  creditorOrgId: string
}

export interface DerivedRecovery {
  terms: { id: string; version: string }
  creditorOrgId: string
  debtorOrgId: string
  currency: string
  returnPart: boolean
  lines: DerivedLine[]
}

/** The lines of these recoveries as a later derivation is given them once filed. */
export function filedLinesOf(recoveries: readonly DerivedRecovery[]): FiledLine[] {
  return recoveries.flatMap((r) => r.lines.map((line) => ({ ...line, creditorOrgId: r.creditorOrgId })))
}

export const NONE_REASON_CODES = [
  'no-decision',
  'no-terms',
  'no-counterparty',
  'never-paid',
  'own-commitment',
  'currency-mismatch',
  'no-repair-code',
  'nothing-borne',
  'shipped-by-another',
] as const
export type NoneReasonCode = (typeof NONE_REASON_CODES)[number]

/**
 * Why a line is smaller than its cost, or nothing: `clause-cap`, its clause's `capMinor`,
 * reached by the clause's lines of the claim before it; `per-claim-cap`, the terms'
 * `perClaimCapMinor`, reached by the claim's lines before it.
 */
/**
 * Why a line claims less than its cost: a cap, or the same cost of the claim filed already for
 * another creditor (the claim was decided again with another handler after its line was filed):
 * the debtor is never asked twice for one cost, and the new creditor sees why its line is nothing.
 */
export const CAP_REASON_CODES = ['clause-cap', 'per-claim-cap', 'filed-for-another-creditor'] as const
export type CapReasonCode = (typeof CAP_REASON_CODES)[number]

export interface NoneReason {
  code: NoneReasonCode
  /** `TERMS#KEY` of the clause behind the reason, when one is. */
  clause?: string
  /** The reason in English: `messageKey` and `params` worded in English. */
  message: string
  /** The catalogue message that words the reason in any language, with its values. */
  messageKey: MessageKey
  params: MessageParams
}

/** A line's description as data and in English: one source, so the two never disagree. */
function described(key: MessageKey, params: MessageParams) {
  return { description: render('en', { key, params }), descriptionKey: key, descriptionParams: params }
}

/** A reason with its message as data and in English. */
function because(code: NoneReasonCode, text: Message, clause?: string): NoneReason {
  const params = text.params ?? {}
  return {
    code,
    ...(clause === undefined ? {} : { clause }),
    message: render('en', { key: text.key, params }),
    messageKey: text.key,
    params,
  }
}

export interface Derivation {
  recoveries: DerivedRecovery[]
  reasons: NoneReason[]
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const FREIGHT_COST: Partial<Record<FreightLeg, CostKind>> = {
  inbound: 'inbound-shipping',
  return: 'return-shipping',
}
const LEG_WORK: Record<FreightLeg, WorkRecord['type'] | null> = {
  inbound: null,
  return: 'return-shipped',
  forward: 'forward',
  back: 'back',
}

type Channel = RecoveryFacts['channel']

const channelOfDealer = (dealer: string | null): Channel => (dealer === null ? 'direct' : 'dealer')

/**
 * The channels the sale went through while the claim was open: the sale the registry holds now
 * is the last of them. The claim's chain records each move of its sale (to another dealer, to
 * or from the seller's own sale, a confirmation); with none, the sale now is the sale it had.
 */
function channelsOf(facts: RecoveryFacts): Channel[] {
  const changes = facts.dealerChanges ?? []
  const first = changes[0]
  if (first === undefined) return [facts.channel]
  return [...new Set([first.from, ...changes.map((c) => c.to)].map(channelOfDealer))]
}

/** The channel of the sale at a moment: through the dealer the claim had then, else the seller's own. */
const channelAt = (facts: RecoveryFacts, moment: ClaimMoment): Channel =>
  (facts.dealerChanges?.length ?? 0) === 0 ? facts.channel : channelOfDealer(dealerAt(facts, moment))

/**
 * Whether the terms apply to the claim: its policy, brand, a channel its sale had and (by the
 * decision now) its basis; and a handler they name handled it at some time. Which of its costs
 * and work they pay for is then up to who handled each (`handledUnder`) and through which
 * channel the sale went then (`channelAt`).
 */
function matches(terms: RecoveryTerms, facts: RecoveryFacts): boolean {
  const a = terms.appliesTo
  const d = facts.decision
  if (!a.policies.includes(facts.policyId)) return false
  if (a.brandOrgs && !(facts.orgs.brand && a.brandOrgs.includes(facts.orgs.brand))) return false
  if (a.channels && !channelsOf(facts).some((c) => a.channels?.includes(c))) return false
  if (a.brands && !a.brands.includes(facts.brand)) return false
  const decisions = [...(facts.decisionChanges ?? []).map((c) => c.decision), ...(d ? [d] : [])]
  if (decisions.length === 0 || !decisions.some((x) => handledUnder(terms, x))) return false
  if (a.bases && !(d && a.bases.includes(d.basis))) return false
  return true
}

/** Whether the terms pay for what was done under a decision: they name no handler, or its. */
const handledUnder = (terms: RecoveryTerms, decision: RecoveryDecision): boolean =>
  !terms.appliesTo.handlers || terms.appliesTo.handlers.includes(decision.handler)

/** The creditor organisation and its name in the decision's payer vocabulary. */
function creditorOf(
  terms: RecoveryTerms,
  facts: RecoveryFacts,
  handler: Handler,
): { org: string | null; role: Party } {
  if (terms.creditor !== 'handler') return { org: facts.orgs.seller, role: 'vendor' }
  if (handler === 'dealer') return { org: facts.orgs.dealer, role: 'dealer' }
  if (handler === 'manufacturer') return { org: facts.orgs.brand, role: 'manufacturer' }
  return { org: facts.orgs.seller, role: 'vendor' }
}

const neverMatchesClaim = (never: NeverClause, decision: NonNullable<RecoveryFacts['decision']>): boolean =>
  ('covered' in never.when && !decision.covered) ||
  ('bases' in never.when && never.when.bases.includes(decision.basis))

/**
 * Which costs of one claim the recovery terms make reimbursable, and to whom: one line per
 * cost borne by the creditor that the decision assigned to it (parts, freight legs), per
 * labour at the standard time, per share of a refund or replacement. Anything that yields
 * nothing says why. Pure: the same facts and terms give the same lines and keys.
 *
 * `filed` are the claim's lines already filed: they come back as filed, and the caps give
 * new lines only what those left.
 */
export function deriveRecovery(
  input: RecoveryFacts,
  allTerms: readonly RecoveryTerms[],
  filed: readonly FiledLine[] = [],
): Derivation {
  // The order is the claim's (costs by when recorded, at one instant by their event and then
  // as given, events by number), whatever order the caller holds them in: the per-claim cap
  // cuts in that order, and the first repair of the claim keeps the line key it has always had.
  // The line's random id only parts lines nothing else orders.
  const facts: RecoveryFacts = {
    ...input,
    costs: [...input.costs].sort(
      (a, b) => compareMoments(a, b) || (a.position ?? 0) - (b.position ?? 0) || compare(a.id, b.id),
    ),
    work: [...input.work].sort((a, b) => a.eventSeq - b.eventSeq),
  }
  const decision = facts.decision
  if (!decision)
    return {
      recoveries: [],
      reasons: [because('no-decision', { key: 'recovery.finding.no-decision' })],
    }
  const applicable = termsInForce(allTerms, facts.soldOn).filter((t) => matches(t, facts))
  if (applicable.length === 0)
    return {
      recoveries: [],
      reasons: [
        because('no-terms', {
          key: 'recovery.finding.no-terms',
          params: { soldOn: facts.soldOn, policy: facts.policyId, handler: decision.handler },
        }),
      ],
    }
  const recoveries: DerivedRecovery[] = []
  const reasons: NoneReason[] = []
  for (const terms of applicable) {
    const result = deriveUnderTerms(terms, facts, decision, filed)
    reasons.push(...result.reasons)
    recoveries.push(...result.recoveries)
  }
  if (recoveries.length === 0 && reasons.length === 0)
    reasons.push(because('nothing-borne', { key: 'recovery.finding.nothing-borne' }))
  return { recoveries, reasons }
}

function deriveUnderTerms(
  terms: RecoveryTerms,
  facts: RecoveryFacts,
  decision: NonNullable<RecoveryFacts['decision']>,
  filed: readonly FiledLine[],
): { recoveries: DerivedRecovery[]; reasons: NoneReason[] } {
  const reasons: NoneReason[] = []
  const creditor = creditorOf(terms, facts, decision.handler)
  const debtorOrg = terms.debtor === 'brand' ? facts.orgs.brand : terms.debtor.org
  // A dealer creditor is the dealer the claim had when the work was done: one the claim moved
  // away from is owed its work though the claim has another dealer now, or none. A claim that
  // had another handler before its decision now may owe another organisation what was done then.
  const moved = creditor.role === 'dealer' && (facts.dealerChanges?.length ?? 0) > 0
  const handedOn = (facts.decisionChanges ?? []).some((c) => c.decision.handler !== decision.handler)
  if (!debtorOrg || (!moved && !handedOn && (!creditor.org || creditor.org === debtorOrg))) {
    return {
      recoveries: [],
      reasons: [
        because(
          'no-counterparty',
          { key: 'recovery.finding.no-counterparty', params: { terms: terms.id } },
          clauseId(terms, 'creditor'),
        ),
      ],
    }
  }
  for (const never of terms.never) {
    if (neverMatchesClaim(never, decision)) {
      return {
        recoveries: [],
        // The terms' own words, quoted as they are.
        reasons: [
          because(
            'never-paid',
            { key: 'recovery.finding.never-paid', params: { quote: never.text } },
            clauseId(terms, never.key),
          ),
        ],
      }
    }
  }
  const ownCommitment = terms.never.find((n) => 'ownCommitment' in n.when)
  const lines: DerivedLine[] = []
  const work = (type: WorkRecord['type']) => facts.work.filter((w) => w.type === type)
  const lineBase = (clause: CostClause, at: string) => {
    const workOn = localDate(new Date(at), facts.timeZone)
    return {
      claimId: facts.claimId,
      clause: clauseId(terms, clause.key),
      kind: clause.kind,
      workOn,
      deadline: addDays(workOn, terms.submitWithinDays),
    }
  }
  // A line is owed to the organisation that bore the cost or did the work when it did, not to
  // whichever has the creditor's role now: a dealer the claim moved to after the repair is not
  // owed the parts the dealer before it paid for, nor is a dealer that confirmed the sale owed
  // the leg the seller sent while the decision in force named the seller. `covered` is whether
  // the terms pay for what was done under the decision then, for the sale as it stood then.
  const heldAt = (moment: ClaimMoment) => {
    const then = decisionAt(facts.decisionChanges, decision, moment)
    const held = creditorOf(terms, facts, then.handler)
    const org = held.role === 'dealer' ? dealerAt(facts, moment) : held.org
    const soldThrough =
      !terms.appliesTo.channels || terms.appliesTo.channels.includes(channelAt(facts, moment))
    return { decision: then, role: held.role, org, covered: handledUnder(terms, then) && soldThrough }
  }
  const owedTo = new Map<DerivedLine, string>()
  let owedToNobody = false
  const add = (line: DerivedLine, org: string | null) => {
    if (org === null || org === debtorOrg) {
      owedToNobody = true
      return
    }
    // The creditor is part of a line's identity: the same cost owed to another organisation
    // (another handler decided) is another line, not one filed already.
    line.lineKey = `${line.lineKey}@${org}`
    owedTo.set(line, org)
    lines.push(line)
  }
  // One return leg per shipment home. The shipment is the unit sent back with a courier and a
  // tracking number (`return.shipped`; seed 003: "we will mail the equipment to your address and
  // call you the courier number"), sent by whoever handled the claim then. A return courier
  // recorded by an organisation that never sent the unit home (dealer A booked one, the claim
  // moved to dealer B, and B shipped the unit) paid for no shipment: B's leg is the one that
  // counts, and A's courier is not asked for beside it. Until the unit is shipped home at all,
  // a recorded courier stands for the shipment to come.
  const shipments = work('return-shipped')
  const handlerOrgAt = (moment: ClaimMoment): string | null => {
    const handler = decisionAt(facts.decisionChanges, decision, moment).handler
    if (handler === 'dealer') return dealerAt(facts, moment)
    return handler === 'manufacturer' ? facts.orgs.brand : facts.orgs.seller
  }
  const shippedHomeBy = (org: string | null): boolean =>
    shipments.length === 0 || shipments.some((s) => handlerOrgAt(workMoment(s)) === org)
  const keyOf = (clause: CostClause, part: string) => `${facts.claimId}:${terms.id}:${clause.key}:${part}`
  const decided = (kind: CostKind, then: RecoveryDecision) => ({
    policy: then.policy,
    basis: then.basis,
    payer: then.payers[kind] ?? null,
  })

  /**
   * Recorded costs of a kind the creditor of their time bore, each with who that was; those the
   * decision in force then did not give it are its own commitment.
   */
  const borne = (clause: CostClause, kind: CostKind) => {
    const kept: { cost: CostRecord; held: ReturnType<typeof heldAt> }[] = []
    for (const cost of facts.costs) {
      if (cost.kind !== kind) continue
      const held = heldAt(cost)
      if (!held.covered || cost.payer !== held.role) continue
      const payer = held.decision.payers[kind]
      if (payer !== held.role) {
        const params = {
          ...costItem(cost),
          costKind: kind,
          creditorRole: held.role,
          ...(payer ? { payerRole: payer } : {}),
          // The terms' own words where they have them (quoted as they are), else ours.
          reason: ownCommitment?.text ?? 'recovery.finding.only-assigned',
        }
        reasons.push(
          because(
            'own-commitment',
            {
              key: payer ? 'recovery.finding.own-commitment' : 'recovery.finding.own-commitment-no-payer',
              params,
            },
            ownCommitment ? clauseId(terms, ownCommitment.key) : undefined,
          ),
        )
        continue
      }
      if (cost.currency !== terms.currency) {
        reasons.push(
          because(
            'currency-mismatch',
            {
              key: 'recovery.finding.cost-currency',
              params: { ...costItem(cost), currency: cost.currency, termsCurrency: terms.currency },
            },
            clauseId(terms, clause.key),
          ),
        )
        continue
      }
      kept.push({ cost, held })
    }
    return kept
  }

  for (const clause of terms.costs) {
    switch (clause.kind) {
      case 'parts':
        for (const { cost, held } of borne(clause, 'parts')) {
          const recorded = cost.quantity * cost.unitPriceMinor
          const amount = clause.price === 'list' ? timesRate(recorded, clause.listPercent, 100) : recorded
          // The part went into the first repair done once it was recorded (or, recorded after
          // the work, the last one before): that repair's day is the line's work day.
          const repairs = work('repair')
          const fitted = repairs.find((r) => happenedBy(cost, workMoment(r))) ?? repairs.at(-1)
          add(
            {
              ...lineBase(clause, fitted?.at ?? cost.at),
              lineKey: keyOf(clause, cost.id),
              leg: null,
              ...described('recovery.line.parts', {
                ...costItem(cost),
                quantity: cost.quantity,
                priceBasis: clause.price,
              }),
              amountMinor: amount,
              evidence: { costLineIds: [cost.id], eventSeqs: fitted ? [fitted.eventSeq] : [] },
              decision: decided('parts', held.decision),
            },
            held.org,
          )
        }
        break
      case 'labour': {
        borne(clause, 'labour')
        const repairs = work('repair')
        // Labour is owed for a repair done while the decision in force gave labour to its creditor.
        const owed = repairs
          .map((repair) => ({ repair, held: heldAt(workMoment(repair)) }))
          .filter(({ held }) => held.covered && held.decision.payers.labour === held.role)
        if (owed.length === 0) break
        const code =
          clause.repairCodes.find((c) => facts.category && c.categories?.includes(facts.category)) ??
          clause.repairCodes.find((c) => c.categories === undefined)
        if (!code) {
          reasons.push(
            because(
              'no-repair-code',
              facts.category === null
                ? { key: 'recovery.finding.no-repair-code-no-category', params: { terms: terms.id } }
                : {
                    key: 'recovery.finding.no-repair-code',
                    params: { terms: terms.id, category: facts.category },
                  },
              clauseId(terms, clause.key),
            ),
          )
          break
        }
        // Each repair is work of its own (a claim reopened, a repair done again after one that
        // failed), owed to whoever did it; one repair event is paid once.
        for (const { repair, held } of owed)
          add(
            {
              ...lineBase(clause, repair.at),
              // The claim's first repair keeps the key it has always had, so a line filed before
              // is known again; a later repair is named by its event.
              lineKey: keyOf(
                clause,
                repair === repairs[0] ? 'standard-time' : `standard-time:${repair.eventSeq}`,
              ),
              leg: null,
              ...described('recovery.line.labour', { repairCode: code.code, hours: code.hours }),
              amountMinor: timesRate(clause.ratePerHourMinor, code.hours),
              repairCode: code.code,
              evidence: { costLineIds: [], eventSeqs: [repair.eventSeq] },
              decision: decided('labour', held.decision),
            },
            held.org,
          )
        break
      }
      case 'freight':
        for (const leg of clause.legs) {
          const costKind = FREIGHT_COST[leg]
          const recorded = costKind ? borne(clause, costKind) : []
          for (const { cost, held } of recorded) {
            if (leg === 'return' && !shippedHomeBy(held.org)) {
              reasons.push(
                because(
                  'shipped-by-another',
                  { key: 'recovery.finding.shipped-by-another', params: costItem(cost) },
                  clauseId(terms, clause.key),
                ),
              )
              continue
            }
            add(
              {
                ...lineBase(clause, cost.at),
                lineKey: keyOf(clause, `${leg}:${cost.id}`),
                leg,
                ...described('recovery.line.freight', { leg, ...costItem(cost) }),
                amountMinor: cost.quantity * cost.unitPriceMinor,
                evidence: { costLineIds: [cost.id], eventSeqs: [] },
                decision: decided(costKind ?? 'return-shipping', held.decision),
              },
              held.org,
            )
          }
          const legWork = LEG_WORK[leg]
          if (clause.flatMinor === undefined || !legWork) continue
          const legs = work(legWork)
          // Each creditor is owed the flat rate of its own first leg: a dealer the claim moved to
          // that sends the unit again is owed its leg though the dealer before was owed one.
          const priced = new Set<string | null>()
          for (const done of legs) {
            const held = heldAt(workMoment(done))
            // The flat rate prices a leg nobody recorded; it does not make the debtor pay a leg
            // the decision in force then gave someone else (the customer's courier home).
            if (!held.covered || (costKind && held.decision.payers[costKind] !== held.role)) continue
            const org = held.org
            if (priced.has(org)) continue
            priced.add(org)
            // Nor does it stand in for a courier the creditor of the leg recorded while it held
            // the claim, paid or refused (another currency, with its reason).
            if (
              costKind &&
              facts.costs.some((c) => {
                const recorder = heldAt(c)
                return c.kind === costKind && c.payer === recorder.role && recorder.org === org
              })
            )
              continue
            add(
              {
                ...lineBase(clause, done.at),
                // The claim's first leg keeps the key it has always had, so a line filed before
                // is known again; a later creditor's leg is named by its event.
                lineKey: keyOf(clause, done === legs[0] ? leg : `${leg}:${done.eventSeq}`),
                leg,
                ...described('recovery.line.freight-flat', { leg }),
                amountMinor: clause.flatMinor,
                evidence: { costLineIds: [], eventSeqs: [done.eventSeq] },
                decision: costKind
                  ? decided(costKind, held.decision)
                  : { policy: held.decision.policy, basis: held.decision.basis, payer: null },
              },
              org,
            )
          }
        }
        break
      case 'refund-share':
      case 'replacement-share': {
        // Every refund or replacement is one of its own (a replacement after a repair that
        // failed, a second unit after the first was dead too), each named by its event.
        const done = work(clause.kind === 'refund-share' ? 'refund' : 'replacement')
        if (done.length === 0) break
        if (clause.kind === 'refund-share' && facts.currency !== terms.currency) {
          reasons.push(
            because(
              'currency-mismatch',
              {
                key: 'recovery.finding.refund-currency',
                params: { currency: facts.currency, termsCurrency: terms.currency },
              },
              clauseId(terms, clause.key),
            ),
          )
          break
        }
        for (const event of done) {
          const held = heldAt(workMoment(event))
          if (!held.covered) continue
          const whole =
            clause.kind === 'refund-share' ? (event.amountMinor ?? 0) : (clause.unitCostMinor ?? 0)
          const amount = timesRate(whole, clause.percent, 100)
          if (amount <= 0) continue
          add(
            {
              ...lineBase(clause, event.at),
              lineKey: keyOf(clause, String(event.eventSeq)),
              leg: null,
              ...described(
                clause.kind === 'refund-share'
                  ? 'recovery.line.refund-share'
                  : 'recovery.line.replacement-share',
                { percent: clause.percent },
              ),
              amountMinor: amount,
              evidence: { costLineIds: [], eventSeqs: [event.eventSeq] },
              decision: { policy: held.decision.policy, basis: held.decision.basis, payer: null },
            },
            held.org,
          )
        }
        break
      }
    }
  }
  applyCaps(
    terms,
    lines.map((line) => ({ line, creditorOrgId: owedTo.get(line) ?? '' })),
    filed.filter((l) => l.claimId === facts.claimId && l.clause.startsWith(`${terms.id}#`)),
  )
  if (owedTo.size === 0 && owedToNobody)
    reasons.push(
      because(
        'no-counterparty',
        { key: 'recovery.finding.no-counterparty', params: { terms: terms.id } },
        clauseId(terms, 'creditor'),
      ),
    )
  // A line a cap took to nothing stays, with its reason: otherwise nobody could tell why a
  // cost the terms pay for is missing. A cost of nothing is no line.
  const kept = lines.filter((l) => l.amountMinor > 0 || l.capReasonCode !== undefined)
  const creditors = [...new Set(kept.map((l) => owedTo.get(l) ?? ''))]
  return {
    recoveries: creditors.map((creditorOrgId) => ({
      terms: { id: terms.id, version: terms.version },
      creditorOrgId,
      debtorOrgId: debtorOrg,
      currency: terms.currency,
      returnPart: terms.returnPart,
      lines: kept.filter((l) => owedTo.get(l) === creditorOrgId),
    })),
    reasons,
  }
}

/**
 * A clause's cap is the most its lines of one claim yield together, the per-claim cap the
 * most all lines of the claim yield: each cuts the lines in order once their sum reaches it,
 * down to nothing. A cut line keeps what it would have been and which cap set its amount
 * (the per-claim cap where both would have). Lines filed before are neither cut nor re-priced;
 * they come back as filed and take their share of the caps first.
 */
/**
 * A line's key without its creditor: the cost of the claim it asks for, whoever is owed it. The
 * creditor is cut off as the known end of the key, not at an '@' found in it: an organisation's
 * id is whatever its import named it and may hold an '@' itself.
 */
export function costOfLineKey(lineKey: string, creditorOrgId: string): string {
  const end = `@${creditorOrgId}`
  return lineKey.endsWith(end) ? lineKey.slice(0, -end.length) : lineKey
}

function applyCaps(
  terms: RecoveryTerms,
  owed: ReadonlyArray<{ line: DerivedLine; creditorOrgId: string }>,
  filed: readonly FiledLine[],
): void {
  const clauseLeft = new Map(
    terms.costs.map((c) => [clauseId(terms, c.key), c.capMinor ?? Number.POSITIVE_INFINITY]),
  )
  let claimLeft = terms.perClaimCapMinor ?? Number.POSITIVE_INFINITY
  const take = (clause: string, amount: number) => {
    claimLeft -= amount
    const left = clauseLeft.get(clause)
    if (left !== undefined) clauseLeft.set(clause, left - amount)
  }
  const filedByKey = new Map(filed.map((l) => [l.lineKey, l]))
  const filedCosts = new Set(filed.map((l) => costOfLineKey(l.lineKey, l.creditorOrgId)))
  for (const line of filed) take(line.clause, line.amountMinor)
  for (const { line, creditorOrgId } of owed) {
    const before = filedByKey.get(line.lineKey)
    if (!before && filedCosts.has(costOfLineKey(line.lineKey, creditorOrgId))) {
      line.cappedFromMinor = line.amountMinor
      line.amountMinor = 0
      line.capReasonCode = 'filed-for-another-creditor'
      continue
    }
    if (before) {
      line.amountMinor = before.amountMinor
      if (before.capReasonCode !== undefined && before.cappedFromMinor !== undefined) {
        line.cappedFromMinor = before.cappedFromMinor
        line.capReasonCode = before.capReasonCode
      } else {
        delete line.cappedFromMinor
        delete line.capReasonCode
      }
      continue
    }
    const original = line.amountMinor
    // Never below nothing: lines filed under earlier caps may already have passed these.
    const clauseRoom = Math.max(0, clauseLeft.get(line.clause) ?? Number.POSITIVE_INFINITY)
    const claimRoom = Math.max(0, claimLeft)
    if (original > Math.min(clauseRoom, claimRoom)) {
      line.amountMinor = Math.min(clauseRoom, claimRoom)
      line.cappedFromMinor = original
      line.capReasonCode = claimRoom <= clauseRoom ? 'per-claim-cap' : 'clause-cap'
    }
    take(line.clause, line.amountMinor)
  }
}
