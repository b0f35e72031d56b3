/**
 * A payment for a whole recovery claim split over its lines in proportion to what was accepted
 * of each, in whole minor units that add up to the payment exactly (largest remainder): rounding
 * each share on its own gives a unit too many or too few once the lines are many or equal.
 * A line accepted at nothing gets nothing; the remainder goes first to the largest fractions,
 * a tie to the earlier line, so the same lines in the same order always split the same way.
 * Shares never pass what was accepted of their line; a payment above what was accepted in all
 * is credited only up to it.
 */
export function splitPayment(paidMinor: number, acceptedMinor: readonly number[]): number[] {
  for (const value of [paidMinor, ...acceptedMinor])
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`An amount must be whole minor units of at least 0, got ${value}`)
  const whole = acceptedMinor.reduce((sum, a) => sum + BigInt(a), 0n)
  if (whole === 0n) return acceptedMinor.map(() => 0)
  const paid = BigInt(paidMinor) < whole ? BigInt(paidMinor) : whole
  // Past 2^53 a product of two amounts loses units: the shares are worked out in whole numbers.
  const exact = acceptedMinor.map((a, index) => ({
    index,
    share: (paid * BigInt(a)) / whole,
    fraction: (paid * BigInt(a)) % whole,
  }))
  let left = paid - exact.reduce((sum, e) => sum + e.share, 0n)
  const byFraction = [...exact].sort((a, b) =>
    a.fraction === b.fraction ? a.index - b.index : a.fraction > b.fraction ? -1 : 1,
  )
  for (const entry of byFraction) {
    if (left === 0n) break
    if (entry.fraction === 0n) continue
    entry.share += 1n
    left -= 1n
  }
  return exact.map((e) => Number(e.share))
}
