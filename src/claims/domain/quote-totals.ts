import type { CostKind, Party, Payers } from '../../contracts/decision.ts'

/** An ISO 4217 code (`USD`, `CNY`, `JPY`), as policy files must write their currency. */
export type Currency = string
const ISO_CODE = /^[A-Z]{3}$/

/** One cost of the service; amounts in minor units (cents, fen) so sums are exact. */
export interface CostLine {
  kind: CostKind
  description: string
  quantity: number
  unitPriceMinor: number
  payer: Party
}

export interface QuoteTotals {
  currency: Currency
  /** Everything the service costs. */
  totalMinor: number
  /** What the customer is charged: only the lines the customer pays. */
  customerMinor: number
  /** What each other party absorbs. */
  absorbedMinor: { vendor: number; dealer: number; manufacturer: number }
}

/**
 * The payer of a cost line: the one named on the line, else the decision's payer for its
 * kind; where the policy says nothing the seller absorbs it rather than charge the customer
 * for a cost no clause gives them.
 */
export function choosePayer(kind: CostKind, payers: Payers | null, explicit?: Party): Party {
  return explicit ?? payers?.[kind] ?? 'vendor'
}

export const lineAmountMinor = (line: Pick<CostLine, 'quantity' | 'unitPriceMinor'>): number =>
  line.quantity * line.unitPriceMinor

/** Seed 002, years one and two beyond the warranty: "the cost of components and parts will be charged, free of labor costs". */
export function computeQuoteTotals(lines: readonly CostLine[], currency: Currency): QuoteTotals {
  const totals: QuoteTotals = {
    currency,
    totalMinor: 0,
    customerMinor: 0,
    absorbedMinor: { vendor: 0, dealer: 0, manufacturer: 0 },
  }
  for (const line of lines) {
    const amount = lineAmountMinor(line)
    totals.totalMinor += amount
    if (line.payer === 'customer') totals.customerMinor += amount
    else totals.absorbedMinor[line.payer] += amount
  }
  return totals
}

/**
 * A claim is in the currency its policy names, whichever it is (a seller in Japan quotes in
 * yen); only a claim whose policy names none, or no well-formed code, falls back to USD.
 */
export const toCurrency = (value: string | undefined): Currency =>
  value !== undefined && ISO_CODE.test(value) ? value : 'USD'
