import type {
  EvidenceKind,
  Finding,
  PartKind,
  Preference,
  ProblemKind,
  WarrantyCase,
} from '../../contracts/case.ts'
import type { Basis, Handler, Remedy } from '../../contracts/decision.ts'
import { EVIDENCE_KINDS, FINDINGS } from '../../contracts/vocabulary.ts'
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

/** Facts with every field present, so a reused facts object keeps one shape. */
export function blankCaseFacts(): CaseFacts {
  return {
    claimed: Number.NaN,
    purchased: Number.NaN,
    shipped: Number.NaN,
    delivered: Number.NaN,
    activated: Number.NaN,
    part: 'host',
    category: undefined,
    productTerm: undefined,
    problem: 'malfunction',
    channel: 'direct',
    brand: 'own',
    shippedBy: undefined,
    proofOfPurchase: true,
    warrantyCard: true,
    secondHand: false,
    hasSerial: false,
    packagingDamaged: false,
    urgentFreight: false,
    preference: undefined,
    evidence: 0,
    inspected: false,
    faultConfirmed: true,
    manufacturingDefect: true,
    findings: 0,
    missingItems: 0,
  }
}

/**
 * Reads a validated case into facts: into a fresh object, or over `into` (the compiled
 * policy reuses one per policy, since a decision is made synchronously and keeps no
 * reference to its facts).
 */
export function readCaseFacts(input: WarrantyCase, into: CaseFacts = blankCaseFacts()): CaseFacts {
  const { product, purchase, problem, inspection } = input
  const f = into
  f.claimed = parseDay(input.claimedOn)
  f.purchased = parseDay(purchase.purchasedOn)
  f.shipped = parseDay(purchase.shippedOn)
  f.delivered = parseDay(purchase.deliveredOn)
  f.activated = parseDay(purchase.activatedOn)
  f.part = product.part
  f.category = product.category
  f.productTerm = readDuration(product.warrantyTerm)
  f.problem = problem.kind
  f.channel = purchase.channel
  f.brand = purchase.brand ?? 'own'
  f.shippedBy = purchase.shippedBy
  f.proofOfPurchase = purchase.proofOfPurchase !== false
  f.warrantyCard = purchase.warrantyCard !== false
  f.secondHand = purchase.secondHand === true
  f.hasSerial = product.serial !== undefined && product.serial !== ''
  f.packagingDamaged = problem.packagingDamaged === true
  f.urgentFreight = problem.urgentFreight === true
  f.preference = input.preference
  f.evidence = input.evidence === undefined ? 0 : maskOf(EVIDENCE_BIT, input.evidence)
  f.inspected = inspection !== undefined
  // Provisional decisions presume no adverse finding (ADJUDICATION.md, Conventions).
  f.faultConfirmed = inspection?.faultConfirmed !== false
  f.manufacturingDefect = inspection?.manufacturingDefect !== false
  f.findings = inspection?.findings === undefined ? 0 : maskOf(FINDING_BIT, inspection.findings)
  f.missingItems = inspection?.missingItems?.length ?? 0
  return f
}

/** Copies every field of `from` over `into` (both made by `blankCaseFacts`, so of one shape). */
export const copyCaseFacts = (from: CaseFacts, into: CaseFacts): CaseFacts => Object.assign(into, from)

/** A verdict before any clause is weighed. */
export function blankVerdict(): Verdict {
  return resetVerdict({} as Verdict)
}

/** Sets every field of a verdict back to "nothing concluded yet", in one fixed order. */
export function resetVerdict(v: Verdict): Verdict {
  v.warrantyStart = Number.NaN
  v.warrantyEnd = Number.NaN
  v.inWarranty = false
  v.yearsBeyond = 0
  v.covered = false
  v.basis = 'none'
  v.firstRemedy = undefined
  v.handler = 'vendor'
  return v
}

const missingLists: (readonly EvidenceKind[])[] = []
for (let mask = 0; mask < 1 << EVIDENCE_KINDS.length; mask++) {
  missingLists.push(Object.freeze(EVIDENCE_KINDS.filter((item) => (mask & EVIDENCE_BIT[item]) !== 0)))
}

/** The evidence items of a mask, in the contract's order, as one frozen list per mask. */
export const evidenceListOf = (mask: number): readonly EvidenceKind[] => missingLists[mask]!
