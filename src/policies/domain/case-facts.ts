import {
  EVIDENCE_KINDS,
  type EvidenceKind,
  FINDINGS,
  type Finding,
  type PartKind,
  type Preference,
  type ProblemKind,
  type WarrantyCase,
} from '../../contracts/case.ts'
import type { Basis, Handler, Remedy } from '../../contracts/decision.ts'
import { type Duration, parseDay, parseDuration } from './day-numbers.ts'

/** Bit of each finding and evidence item, so sets become integers tested with `&`. */
export const FINDING_BIT = Object.fromEntries(FINDINGS.map((f, i) => [f, 1 << i])) as Record<Finding, number>
export const EVIDENCE_BIT = Object.fromEntries(EVIDENCE_KINDS.map((e, i) => [e, 1 << i])) as Record<
  EvidenceKind,
  number
>

export const maskOf = <T extends string>(bits: Record<T, number>, items: readonly T[]): number => {
  let mask = 0
  for (const item of items) mask |= bits[item]
  return mask
}

/** The facts of a case, read once: dates as day numbers (NaN when absent), sets as bit masks. */
export interface CaseFacts {
  claimed: number
  purchased: number
  shipped: number
  delivered: number
  activated: number
  part: PartKind
  category: string | undefined
  productTerm: Duration | undefined
  problem: ProblemKind
  channel: WarrantyCase['purchase']['channel']
  brand: WarrantyCase['purchase']['brand']
  shippedBy: WarrantyCase['purchase']['shippedBy']
  proofOfPurchase: boolean
  warrantyCard: boolean
  secondHand: boolean
  hasSerial: boolean
  packagingDamaged: boolean
  urgentFreight: boolean
  preference: Preference | undefined
  evidence: number
  inspected: boolean
  faultConfirmed: boolean
  manufacturingDefect: boolean
  findings: number
  missingItems: number
}

/** What the engine has concluded so far; later clauses (payers, evidence) read it. */
export interface Verdict {
  warrantyStart: number
  warrantyEnd: number
  inWarranty: boolean
  /** 0 within the warranty (or without one), 1 in the first year beyond it, and so on. */
  yearsBeyond: number
  covered: boolean
  basis: Basis
  firstRemedy: Remedy | undefined
  handler: Handler
}

const durationCache = new Map<string, Duration | undefined>()

function readDuration(text: string | undefined): Duration | undefined {
  if (text === undefined) return undefined
  let duration = durationCache.get(text)
  if (duration === undefined && !durationCache.has(text)) {
    duration = parseDuration(text)
    durationCache.set(text, duration)
  }
  return duration
}

/** Reads a validated case into facts. */
export function readCaseFacts(input: WarrantyCase): CaseFacts {
  const { product, purchase, problem, inspection } = input
  return {
    claimed: parseDay(input.claimedOn),
    purchased: parseDay(purchase.purchasedOn),
    shipped: parseDay(purchase.shippedOn),
    delivered: parseDay(purchase.deliveredOn),
    activated: parseDay(purchase.activatedOn),
    part: product.part,
    category: product.category,
    productTerm: readDuration(product.warrantyTerm),
    problem: problem.kind,
    channel: purchase.channel,
    brand: purchase.brand ?? 'own',
    shippedBy: purchase.shippedBy,
    proofOfPurchase: purchase.proofOfPurchase !== false,
    warrantyCard: purchase.warrantyCard !== false,
    secondHand: purchase.secondHand === true,
    hasSerial: product.serial !== undefined && product.serial !== '',
    packagingDamaged: problem.packagingDamaged === true,
    urgentFreight: problem.urgentFreight === true,
    preference: input.preference,
    evidence: input.evidence === undefined ? 0 : maskOf(EVIDENCE_BIT, input.evidence),
    inspected: inspection !== undefined,
    // Provisional decisions presume no adverse finding (ADJUDICATION.md, Conventions).
    faultConfirmed: inspection?.faultConfirmed !== false,
    manufacturingDefect: inspection?.manufacturingDefect !== false,
    findings: inspection?.findings === undefined ? 0 : maskOf(FINDING_BIT, inspection.findings),
    missingItems: inspection?.missingItems?.length ?? 0,
  }
}
