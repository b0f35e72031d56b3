/** One cost line as a total reads it: its currency, its payer, its amount, and whether it was spent. */
export interface CostLineAmount {
  currency: string
  payer: string
  amountMinor: number
  spent: boolean
}

/** What a claim's spent lines come to in one currency, overall and per payer. */
export interface CostLineTotal {
  amountMinor: number
  byPayer: Record<string, number>
}

/**
 * The totals of a claim's cost lines, by currency (amounts are never added across currencies):
 * only the lines spent count (`costLineSpent`). A line of a quote the customer has not accepted
 * is listed, so staff see what was quoted, but nobody owes or bore it, and a total that counted
 * it would say the claim cost what was only offered. A currency whose lines were all unspent
 * has no total.
 */
export function totalSpentCostLines(lines: readonly CostLineAmount[]): Record<string, CostLineTotal> {
  const totals: Record<string, CostLineTotal> = {}
  for (const line of lines) {
    if (!line.spent) continue
    totals[line.currency] ??= { amountMinor: 0, byPayer: {} }
    const total = totals[line.currency] as CostLineTotal
    total.amountMinor += line.amountMinor
    total.byPayer[line.payer] = (total.byPayer[line.payer] ?? 0) + line.amountMinor
  }
  return totals
}
