import type { Inspection, WarrantyCase } from '../../contracts/case.ts'
import {
  BRANDS,
  CHANNELS,
  EVIDENCE_KINDS,
  FINDINGS,
  MAX_TERM_DAYS,
  PART_KINDS,
  PREFERENCES,
  PROBLEM_KINDS,
  SHIPPERS,
  termDays,
} from '../../contracts/vocabulary.ts'

/**
 * A hand-written check of the case contract for the batch path, where `caseSchema`
 * (Zod, ~40 µs a case) would cost more than deciding. It accepts only what `caseSchema`
 * surely accepts and returns what `caseSchema.parse` would (defaults applied, unknown
 * keys dropped). On anything else it answers `undefined` without saying why: the caller
 * then validates with `caseSchema`, the reference, so every error message is Zod's own.
 * `check-case.test.ts` holds the two to the same verdicts.
 */
export function checkCase(raw: unknown): WarrantyCase | undefined {
  if (!isRecord(raw)) return undefined
  const { product, purchase, problem, inspection } = raw
  const policy = raw.policy
  if (typeof policy !== 'string' || policy.length === 0) return undefined
  if (!isDate(raw.claimedOn)) return undefined
  if (!isRecord(product) || !isRecord(purchase) || !isRecord(problem)) return undefined

  if (!isOneOf(PART_KINDS, product.part)) return undefined
  if (!isOptionalString(product.category) || !isOptionalString(product.serial)) return undefined
  if (!isOptionalString(product.model)) return undefined
  if (product.warrantyTerm !== undefined && !isDuration(product.warrantyTerm)) return undefined

  if (!isOneOf(CHANNELS, purchase.channel)) return undefined
  if (purchase.brand !== undefined && !isOneOf(BRANDS, purchase.brand)) return undefined
  if (purchase.shippedBy !== undefined && !isOneOf(SHIPPERS, purchase.shippedBy)) return undefined
  if (!isOptionalDate(purchase.purchasedOn) || !isOptionalDate(purchase.shippedOn)) return undefined
  if (!isOptionalDate(purchase.deliveredOn) || !isOptionalDate(purchase.activatedOn)) return undefined
  if (!isOptionalBoolean(purchase.proofOfPurchase) || !isOptionalBoolean(purchase.warrantyCard)) {
    return undefined
  }
  if (!isOptionalBoolean(purchase.secondHand) || !isOptionalBoolean(purchase.proofOfPurchasePending)) {
    return undefined
  }

  if (!isOneOf(PROBLEM_KINDS, problem.kind)) return undefined
  if (!isOptionalBoolean(problem.packagingDamaged) || !isOptionalBoolean(problem.urgentFreight)) {
    return undefined
  }
  if (!isOptionalString(problem.description)) return undefined

  if (raw.preference !== undefined && !isOneOf(PREFERENCES, raw.preference)) return undefined
  if (raw.evidence !== undefined && !isSetOf(EVIDENCE_KINDS, raw.evidence)) return undefined

  let checkedInspection: Inspection | undefined
  if (inspection !== undefined) {
    checkedInspection = checkInspection(inspection)
    if (checkedInspection === undefined) return undefined
  }

  // Built in the schema's key order, optional keys only when given, as Zod's output is.
  const checkedProduct: Record<string, unknown> = { part: product.part }
  if (product.category !== undefined) checkedProduct.category = product.category
  if (product.serial !== undefined) checkedProduct.serial = product.serial
  if (product.model !== undefined) checkedProduct.model = product.model
  if (product.warrantyTerm !== undefined) checkedProduct.warrantyTerm = product.warrantyTerm
  const checkedPurchase: Record<string, unknown> = {
    channel: purchase.channel,
    brand: purchase.brand ?? 'own',
  }
  if (purchase.shippedBy !== undefined) checkedPurchase.shippedBy = purchase.shippedBy
  if (purchase.purchasedOn !== undefined) checkedPurchase.purchasedOn = purchase.purchasedOn
  if (purchase.shippedOn !== undefined) checkedPurchase.shippedOn = purchase.shippedOn
  if (purchase.deliveredOn !== undefined) checkedPurchase.deliveredOn = purchase.deliveredOn
  if (purchase.activatedOn !== undefined) checkedPurchase.activatedOn = purchase.activatedOn
  checkedPurchase.proofOfPurchase = purchase.proofOfPurchase ?? true
  if (purchase.proofOfPurchasePending !== undefined)
    checkedPurchase.proofOfPurchasePending = purchase.proofOfPurchasePending
  checkedPurchase.warrantyCard = purchase.warrantyCard ?? true
  checkedPurchase.secondHand = purchase.secondHand ?? false
  const checkedProblem: Record<string, unknown> = {
    kind: problem.kind,
    packagingDamaged: problem.packagingDamaged ?? false,
    urgentFreight: problem.urgentFreight ?? false,
  }
  if (problem.description !== undefined) checkedProblem.description = problem.description
  const result: Record<string, unknown> = {
    policy,
    claimedOn: raw.claimedOn,
    product: checkedProduct,
    purchase: checkedPurchase,
    problem: checkedProblem,
  }
  if (raw.preference !== undefined) result.preference = raw.preference
  result.evidence = raw.evidence === undefined ? [] : (raw.evidence as string[]).slice()
  if (checkedInspection !== undefined) result.inspection = checkedInspection
  return result as WarrantyCase
}

function checkInspection(raw: unknown): Inspection | undefined {
  if (!isRecord(raw)) return undefined
  const { faultConfirmed, manufacturingDefect, findings, missingItems, faultCausedBy } = raw
  if (!isOptionalBoolean(faultConfirmed) || !isOptionalBoolean(manufacturingDefect)) return undefined
  if (findings !== undefined && !isSetOf(FINDINGS, findings)) return undefined
  if (faultCausedBy !== undefined) {
    // Each cause must be one of the findings (none can be, without findings).
    if (!isSetOf(FINDINGS, faultCausedBy) || findings === undefined) return undefined
    for (const cause of faultCausedBy as string[])
      if (!(findings as string[]).includes(cause)) return undefined
  }
  if (missingItems !== undefined) {
    if (!Array.isArray(missingItems)) return undefined
    for (const item of missingItems) if (typeof item !== 'string') return undefined
  }
  const result: Inspection = {}
  if (faultConfirmed !== undefined) result.faultConfirmed = faultConfirmed as boolean
  if (manufacturingDefect !== undefined) result.manufacturingDefect = manufacturingDefect as boolean
  if (findings !== undefined) result.findings = (findings as NonNullable<Inspection['findings']>).slice()
  if (missingItems !== undefined) result.missingItems = (missingItems as string[]).slice()
  if (faultCausedBy !== undefined)
    result.faultCausedBy = (faultCausedBy as NonNullable<Inspection['faultCausedBy']>).slice()
  return result
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isOneOf = (values: readonly string[], value: unknown): boolean =>
  typeof value === 'string' && values.includes(value)

const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string'
const isOptionalBoolean = (value: unknown): boolean => value === undefined || typeof value === 'boolean'
const isOptionalDate = (value: unknown): boolean => value === undefined || isDate(value)

/** An array of distinct members of `values`. */
function isSetOf(values: readonly string[], list: unknown): boolean {
  if (!Array.isArray(list)) return false
  for (let i = 0; i < list.length; i++) {
    if (!isOneOf(values, list[i])) return false
    for (let j = 0; j < i; j++) if (list[j] === list[i]) return false
  }
  return true
}

const DURATION = /^P(\d+Y)?(\d+M)?(\d+D)?$/
const isDuration = (value: unknown): boolean =>
  typeof value === 'string' && value !== 'P' && DURATION.test(value) && termDays(value) <= MAX_TERM_DAYS

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** The number written by the digits of `text` from `start` to `end`, or -1 when one is not a digit. */
function digitsAt(text: string, start: number, end: number): number {
  let n = 0
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at) - 48
    if (code < 0 || code > 9) return -1
    n = n * 10 + code
  }
  return n
}

/**
 * `YYYY-MM-DD` naming a real day of the Gregorian calendar from 1900 to 9999, the
 * contract's bounds; anything else is left to the schema, which says what is wrong.
 */
function isDate(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== 10) return false
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false
  const year = digitsAt(value, 0, 4)
  const month = digitsAt(value, 5, 7)
  const day = digitsAt(value, 8, 10)
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)
}
