import type { Basis, CostKind, Handler, Party, Payers } from '../../contracts/decision.ts'
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
}

/** Work done on the claim, from its events: what makes a share, a leg or labour payable. */
export interface WorkRecord {
  type: 'repair' | 'replacement' | 'refund' | 'forward' | 'back' | 'return-shipped'
  at: string
  eventSeq: number
  amountMinor?: number
}

/** Everything the derivation needs to know of one claim; built by the store, no database here. */
export interface RecoveryFacts {
  claimId: string
  policyId: string
  /** The sale date that chooses the terms version (purchase, else delivery, else the claim's opening). */
  soldOn: string
  currency: string
  channel: 'direct' | 'dealer'
  brand: 'own' | 'agent'
  category: string | null
  decision: {
    policy: string
    covered: boolean
    basis: Basis
    handler: Handler
    payers: Payers
  } | null
  orgs: { dealer: string | null; seller: string | null; brand: string | null }
  costs: CostRecord[]
  work: WorkRecord[]
}

export type RecoveryLineKind = CostClause['kind']

export interface DerivedLine {
  /** Unique per claim, terms, clause and cost: what makes deriving twice harmless. */
  lineKey: string
  claimId: string
  clause: string
  kind: RecoveryLineKind
  leg: FreightLeg | null
  description: string
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
>

export interface DerivedRecovery {
  terms: { id: string; version: string }
  creditorOrgId: string
  debtorOrgId: string
  currency: string
  returnPart: boolean
  lines: DerivedLine[]
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
] as const
export type NoneReasonCode = (typeof NONE_REASON_CODES)[number]

/**
 * Why a line is smaller than its cost, or nothing: `clause-cap`, its clause's `capMinor`,
 * reached by the clause's lines of the claim before it; `per-claim-cap`, the terms'
 * `perClaimCapMinor`, reached by the claim's lines before it.
 */
export const CAP_REASON_CODES = ['clause-cap', 'per-claim-cap'] as const
export type CapReasonCode = (typeof CAP_REASON_CODES)[number]

export interface NoneReason {
  code: NoneReasonCode
  /** `TERMS#KEY` of the clause behind the reason, when one is. */
  clause?: string
  message: string
}

export interface Derivation {
  recoveries: DerivedRecovery[]
  reasons: NoneReason[]
}

const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
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

function matches(terms: RecoveryTerms, facts: RecoveryFacts): boolean {
  const a = terms.appliesTo
  const d = facts.decision
  if (!a.policies.includes(facts.policyId)) return false
  if (a.brandOrgs && !(facts.orgs.brand && a.brandOrgs.includes(facts.orgs.brand))) return false
  if (a.channels && !a.channels.includes(facts.channel)) return false
  if (a.brands && !a.brands.includes(facts.brand)) return false
  if (a.handlers && !(d && a.handlers.includes(d.handler))) return false
  if (a.bases && !(d && a.bases.includes(d.basis))) return false
  return true
}

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
  // The order is the store's (costs by when recorded then id, events by number), whatever
  // order the caller holds them in: the per-claim cap cuts in that order, and "the repair"
  // or "the refund" is the first of its events.
  const facts: RecoveryFacts = {
    ...input,
    costs: [...input.costs].sort((a, b) => compare(a.at, b.at) || compare(a.id, b.id)),
    work: [...input.work].sort((a, b) => a.eventSeq - b.eventSeq),
  }
  const decision = facts.decision
  if (!decision)
    return {
      recoveries: [],
      reasons: [{ code: 'no-decision', message: 'The claim has no warranty decision to recover against' }],
    }
  const applicable = termsInForce(allTerms, facts.soldOn).filter((t) => matches(t, facts))
  if (applicable.length === 0)
    return {
      recoveries: [],
      reasons: [
        {
          code: 'no-terms',
          message: `No recovery terms in force on ${facts.soldOn} apply to a ${facts.policyId} claim handled by the ${decision.handler}`,
        },
      ],
    }
  const recoveries: DerivedRecovery[] = []
  const reasons: NoneReason[] = []
  for (const terms of applicable) {
    const result = deriveUnderTerms(terms, facts, decision, filed)
    reasons.push(...result.reasons)
    if (result.recovery && result.recovery.lines.length > 0) recoveries.push(result.recovery)
  }
  if (recoveries.length === 0 && reasons.length === 0)
    reasons.push({ code: 'nothing-borne', message: 'No reimbursable cost has been borne on this claim yet' })
  return { recoveries, reasons }
}

function deriveUnderTerms(
  terms: RecoveryTerms,
  facts: RecoveryFacts,
  decision: NonNullable<RecoveryFacts['decision']>,
  filed: readonly FiledLine[],
): { recovery?: DerivedRecovery; reasons: NoneReason[] } {
  const reasons: NoneReason[] = []
  const creditor = creditorOf(terms, facts, decision.handler)
  const debtorOrg = terms.debtor === 'brand' ? facts.orgs.brand : terms.debtor.org
  if (!creditor.org || !debtorOrg || creditor.org === debtorOrg) {
    return {
      reasons: [
        {
          code: 'no-counterparty',
          clause: clauseId(terms, 'creditor'),
          message: `Under ${terms.id} the party that bore the cost is the one that owes it: nothing to recover`,
        },
      ],
    }
  }
  for (const never of terms.never) {
    if (neverMatchesClaim(never, decision)) {
      return {
        reasons: [{ code: 'never-paid', clause: clauseId(terms, never.key), message: never.text }],
      }
    }
  }
  const ownCommitment = terms.never.find((n) => 'ownCommitment' in n.when)
  const lines: DerivedLine[] = []
  const work = (type: WorkRecord['type']) => facts.work.filter((w) => w.type === type)
  const lineBase = (clause: CostClause, at: string) => {
    const workOn = at.slice(0, 10)
    return {
      claimId: facts.claimId,
      clause: clauseId(terms, clause.key),
      kind: clause.kind,
      workOn,
      deadline: addDays(workOn, terms.submitWithinDays),
    }
  }
  const keyOf = (clause: CostClause, part: string) => `${facts.claimId}:${terms.id}:${clause.key}:${part}`
  const decided = (kind: CostKind) => ({
    policy: decision.policy,
    basis: decision.basis,
    payer: decision.payers[kind] ?? null,
  })

  /** Recorded costs of a kind the creditor bore; those the decision did not give it are its own commitment. */
  const borne = (clause: CostClause, kind: CostKind): CostRecord[] => {
    const own = facts.costs.filter((c) => c.kind === kind && c.payer === creditor.role)
    const assigned = decision.payers[kind] === creditor.role
    if (!assigned) {
      for (const cost of own) {
        reasons.push({
          code: 'own-commitment',
          ...(ownCommitment ? { clause: clauseId(terms, ownCommitment.key) } : {}),
          message: `${cost.description} (${kind}) was borne by the ${creditor.role} although the decision names ${decision.payers[kind] ?? 'no payer'}: ${ownCommitment?.text ?? 'the terms pay only what the decision assigns'}`,
        })
      }
      return []
    }
    return own.filter((cost) => {
      if (cost.currency === terms.currency) return true
      reasons.push({
        code: 'currency-mismatch',
        clause: clauseId(terms, clause.key),
        message: `${cost.description} is in ${cost.currency}; the terms pay in ${terms.currency}`,
      })
      return false
    })
  }

  for (const clause of terms.costs) {
    switch (clause.kind) {
      case 'parts':
        for (const cost of borne(clause, 'parts')) {
          const recorded = cost.quantity * cost.unitPriceMinor
          const amount = clause.price === 'list' ? timesRate(recorded, clause.listPercent, 100) : recorded
          lines.push({
            ...lineBase(clause, work('repair')[0]?.at ?? cost.at),
            lineKey: keyOf(clause, cost.id),
            leg: null,
            description: `${cost.description} × ${cost.quantity} at ${clause.price}`,
            amountMinor: amount,
            evidence: { costLineIds: [cost.id], eventSeqs: work('repair').map((w) => w.eventSeq) },
            decision: decided('parts'),
          })
        }
        break
      case 'labour': {
        const repair = work('repair')[0]
        borne(clause, 'labour')
        if (!repair || decision.payers.labour !== creditor.role) break
        const code =
          clause.repairCodes.find((c) => facts.category && c.categories?.includes(facts.category)) ??
          clause.repairCodes.find((c) => c.categories === undefined)
        if (!code) {
          reasons.push({
            code: 'no-repair-code',
            clause: clauseId(terms, clause.key),
            message: `No repair code of ${terms.id} covers the category ${facts.category ?? '(none)'}`,
          })
          break
        }
        lines.push({
          ...lineBase(clause, repair.at),
          lineKey: keyOf(clause, 'standard-time'),
          leg: null,
          description: `Labour ${code.code}: ${code.hours} h standard time`,
          amountMinor: timesRate(clause.ratePerHourMinor, code.hours),
          repairCode: code.code,
          evidence: { costLineIds: [], eventSeqs: [repair.eventSeq] },
          decision: decided('labour'),
        })
        break
      }
      case 'freight':
        for (const leg of clause.legs) {
          const costKind = FREIGHT_COST[leg]
          const recorded = costKind ? borne(clause, costKind) : []
          for (const cost of recorded) {
            lines.push({
              ...lineBase(clause, cost.at),
              lineKey: keyOf(clause, `${leg}:${cost.id}`),
              leg,
              description: `Freight, ${leg} leg: ${cost.description}`,
              amountMinor: cost.quantity * cost.unitPriceMinor,
              evidence: { costLineIds: [cost.id], eventSeqs: [] },
              decision: decided(costKind ?? 'return-shipping'),
            })
          }
          // The flat rate prices a leg nobody recorded; it does not make the debtor pay a leg the
          // decision gave someone else (the customer's courier home), nor stand in for a courier
          // the creditor recorded and that was refused (another currency, with its reason).
          if (
            costKind &&
            (decision.payers[costKind] !== creditor.role ||
              facts.costs.some((c) => c.kind === costKind && c.payer === creditor.role))
          )
            continue
          const legWork = LEG_WORK[leg]
          const done = legWork ? work(legWork)[0] : undefined
          if (clause.flatMinor !== undefined && done) {
            lines.push({
              ...lineBase(clause, done.at),
              lineKey: keyOf(clause, leg),
              leg,
              description: `Freight, ${leg} leg (flat rate of the terms)`,
              amountMinor: clause.flatMinor,
              evidence: { costLineIds: [], eventSeqs: [done.eventSeq] },
              decision: costKind
                ? decided(costKind)
                : { policy: decision.policy, basis: decision.basis, payer: null },
            })
          }
        }
        break
      case 'refund-share':
      case 'replacement-share': {
        const done = work(clause.kind === 'refund-share' ? 'refund' : 'replacement')[0]
        if (!done) break
        const whole = clause.kind === 'refund-share' ? (done.amountMinor ?? 0) : (clause.unitCostMinor ?? 0)
        if (clause.kind === 'refund-share' && facts.currency !== terms.currency) {
          reasons.push({
            code: 'currency-mismatch',
            clause: clauseId(terms, clause.key),
            message: `The refund is in ${facts.currency}; the terms pay in ${terms.currency}`,
          })
          break
        }
        const amount = timesRate(whole, clause.percent, 100)
        if (amount <= 0) break
        lines.push({
          ...lineBase(clause, done.at),
          lineKey: keyOf(clause, String(done.eventSeq)),
          leg: null,
          description: `${clause.percent} % of the ${clause.kind === 'refund-share' ? 'refund' : 'replacement unit'}`,
          amountMinor: amount,
          evidence: { costLineIds: [], eventSeqs: [done.eventSeq] },
          decision: { policy: decision.policy, basis: decision.basis, payer: null },
        })
        break
      }
    }
  }
  applyCaps(
    terms,
    lines,
    filed.filter((l) => l.claimId === facts.claimId && l.clause.startsWith(`${terms.id}#`)),
  )
  return {
    recovery: {
      terms: { id: terms.id, version: terms.version },
      creditorOrgId: creditor.org,
      debtorOrgId: debtorOrg,
      currency: terms.currency,
      returnPart: terms.returnPart,
      // A line a cap took to nothing stays, with its reason: otherwise nobody could tell why
      // a cost the terms pay for is missing. A cost of nothing is no line.
      lines: lines.filter((l) => l.amountMinor > 0 || l.capReasonCode !== undefined),
    },
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
function applyCaps(terms: RecoveryTerms, lines: DerivedLine[], filed: readonly FiledLine[]): void {
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
  for (const line of filed) take(line.clause, line.amountMinor)
  for (const line of lines) {
    const before = filedByKey.get(line.lineKey)
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
