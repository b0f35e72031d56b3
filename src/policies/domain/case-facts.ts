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
import { parseDay } from '../../shared/day-numbers.ts'
import { type Duration, parseDuration } from './durations.ts'

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
  /** The findings that caused the fault (`inspection.faultCausedBy`); every finding when the case does not say. */
  causes: number
  missingItems: number
}

/** What the engine has concluded so far; later clauses (payers, evidence) read it. */
export interface Verdict {
  warrantyStart: number
  warrantyEnd: number
  inWarranty: boolean
  /** 0 within the warranty (or without one), 1 in the first year beyond it, and so on. */
  yearsBeyond: number
  /**
   * The claim falls within the standard term's end only by a product's own longer term that
   * the policy reads as an extension signed beside it (`productTermIsExtension`).
   */
  inExtension: boolean
  /** Where `inExtension`: the last day the standard term alone would have covered; else NaN. */
  standardEnd: number
  /** The claim's dates fall within a window that fits its problem and conditions. */
  withinWindow: boolean
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
    causes: 0,
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
  // A proof offered and not yet weighed is weighed as shown until the case is inspected, as
  // evidence still to come is: the first answer neither denies nor warns for want of it.
  f.proofOfPurchase =
    purchase.proofOfPurchase !== false ||
    (purchase.proofOfPurchasePending === true && inspection === undefined)
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
  f.causes =
    inspection?.faultCausedBy === undefined ? f.findings : maskOf(FINDING_BIT, inspection.faultCausedBy)
  f.missingItems = inspection?.missingItems?.length ?? 0
  return f
}

/**
 * The facts of many cases, kept in columns of numbers instead of an object each: a batch
 * reads every case before deciding any, and a hundred thousand facts objects cost it more
 * to allocate, promote and walk again (about a tenth of the batch, measured) than filling
 * these typed arrays and reading them back. Values that are not numbers (kinds, a category,
 * a term) are kept once each and stored as their index.
 */
export class CaseFactsTable {
  private readonly days: Float64Array[] = []
  private readonly codes: Int32Array[] = []
  private readonly values: unknown[] = []
  private readonly valueIndex = new Map<unknown, number>()
  private readonly scratch = blankCaseFacts()
  length = 0

  /** Reads a validated case (as `readCaseFacts` does) onto the end of the table. */
  add(input: WarrantyCase): void {
    const f = readCaseFacts(input, this.scratch)
    const block = this.length >>> BLOCK_SHIFT
    if (block === this.days.length) {
      this.days.push(new Float64Array(DAY_COLUMNS << BLOCK_SHIFT))
      this.codes.push(new Int32Array(CODE_COLUMNS << BLOCK_SHIFT))
    }
    const d = this.days[block]!
    const c = this.codes[block]!
    const row = this.length & BLOCK_MASK
    let at = row * DAY_COLUMNS
    d[at] = f.claimed
    d[at + 1] = f.purchased
    d[at + 2] = f.shipped
    d[at + 3] = f.delivered
    d[at + 4] = f.activated
    at = row * CODE_COLUMNS
    c[at] = this.indexOf(f.part)
    c[at + 1] = this.indexOf(f.category)
    c[at + 2] = this.indexOf(f.productTerm)
    c[at + 3] = this.indexOf(f.problem)
    c[at + 4] = this.indexOf(f.channel)
    c[at + 5] = this.indexOf(f.brand)
    c[at + 6] = this.indexOf(f.shippedBy)
    c[at + 7] = this.indexOf(f.preference)
    c[at + 8] =
      (f.proofOfPurchase ? 1 : 0) |
      (f.warrantyCard ? 2 : 0) |
      (f.secondHand ? 4 : 0) |
      (f.hasSerial ? 8 : 0) |
      (f.packagingDamaged ? 16 : 0) |
      (f.urgentFreight ? 32 : 0) |
      (f.inspected ? 64 : 0) |
      (f.faultConfirmed ? 128 : 0) |
      (f.manufacturingDefect ? 256 : 0)
    c[at + 9] = f.evidence
    c[at + 10] = f.findings
    c[at + 11] = f.missingItems
    c[at + 12] = f.causes
    this.length++
  }

  /** Writes the facts of the `index`th case over `into`, every field of it. */
  readInto(index: number, into: CaseFacts): CaseFacts {
    const d = this.days[index >>> BLOCK_SHIFT]!
    const c = this.codes[index >>> BLOCK_SHIFT]!
    const row = index & BLOCK_MASK
    const f = into
    let at = row * DAY_COLUMNS
    f.claimed = d[at]!
    f.purchased = d[at + 1]!
    f.shipped = d[at + 2]!
    f.delivered = d[at + 3]!
    f.activated = d[at + 4]!
    at = row * CODE_COLUMNS
    const values = this.values
    f.part = values[c[at]!] as CaseFacts['part']
    f.category = values[c[at + 1]!] as CaseFacts['category']
    f.productTerm = values[c[at + 2]!] as CaseFacts['productTerm']
    f.problem = values[c[at + 3]!] as CaseFacts['problem']
    f.channel = values[c[at + 4]!] as CaseFacts['channel']
    f.brand = values[c[at + 5]!] as CaseFacts['brand']
    f.shippedBy = values[c[at + 6]!] as CaseFacts['shippedBy']
    f.preference = values[c[at + 7]!] as CaseFacts['preference']
    const flags = c[at + 8]!
    f.proofOfPurchase = (flags & 1) !== 0
    f.warrantyCard = (flags & 2) !== 0
    f.secondHand = (flags & 4) !== 0
    f.hasSerial = (flags & 8) !== 0
    f.packagingDamaged = (flags & 16) !== 0
    f.urgentFreight = (flags & 32) !== 0
    f.inspected = (flags & 64) !== 0
    f.faultConfirmed = (flags & 128) !== 0
    f.manufacturingDefect = (flags & 256) !== 0
    f.evidence = c[at + 9]!
    f.findings = c[at + 10]!
    f.missingItems = c[at + 11]!
    f.causes = c[at + 12]!
    return f
  }

  /** The index of a value kept once: a kind, a category, a parsed term (one object per text, see `readDuration`) or `undefined`. */
  private indexOf(value: unknown): number {
    let index = this.valueIndex.get(value)
    if (index === undefined) {
      index = this.values.length
      this.values.push(value)
      this.valueIndex.set(value, index)
    }
    return index
  }
}

/**
 * Where each field of the facts is kept in the table. A new field fails to compile here
 * until it is given a place; the table's round-trip test then checks it is stored there.
 */
const FACT_COLUMNS = {
  claimed: 'day',
  purchased: 'day',
  shipped: 'day',
  delivered: 'day',
  activated: 'day',
  part: 'value',
  category: 'value',
  productTerm: 'value',
  problem: 'value',
  channel: 'value',
  brand: 'value',
  shippedBy: 'value',
  preference: 'value',
  proofOfPurchase: 'flag',
  warrantyCard: 'flag',
  secondHand: 'flag',
  hasSerial: 'flag',
  packagingDamaged: 'flag',
  urgentFreight: 'flag',
  inspected: 'flag',
  faultConfirmed: 'flag',
  manufacturingDefect: 'flag',
  evidence: 'number',
  findings: 'number',
  causes: 'number',
  missingItems: 'number',
} as const satisfies Record<keyof CaseFacts, 'day' | 'value' | 'flag' | 'number'>

const columnsOf = (kind: (typeof FACT_COLUMNS)[keyof CaseFacts]): number =>
  Object.values(FACT_COLUMNS).filter((k) => k === kind).length
/** Day numbers, one column each. */
const DAY_COLUMNS = columnsOf('day')
/** Value indexes and numbers, one column each, and one word of flags. */
const CODE_COLUMNS = columnsOf('value') + columnsOf('number') + 1
/** Cases to a block of columns: small blocks, so the table grows without copying what it holds. */
const BLOCK_SHIFT = 12
const BLOCK_MASK = (1 << BLOCK_SHIFT) - 1

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
  v.inExtension = false
  v.standardEnd = Number.NaN
  v.withinWindow = false
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
