/**
 * Money times a rate, to the minor unit. Rates come from terms files as decimals (`0.29` hours,
 * `125` %); in binary floating point 0.29 × 750 is 217.49999…, which rounds a cent away, and
 * products past 2^53 lose whole units. These work on the decimal as written, in whole numbers.
 */

/** The digits of a finite non-negative number as written (`0.29` is 29 over 10^2). */
function decimalOf(value: number): { digits: bigint; scale: number } {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`A rate must be a finite number of at least 0, got ${value}`)
  }
  // String() gives the shortest decimal that reads back as the same number: the one a file wrote.
  const [mantissa = '0', exponent = '0'] = String(value).split('e')
  const [whole = '0', fraction = ''] = mantissa.split('.')
  const scale = fraction.length - Number(exponent)
  const digits = BigInt(`${whole}${fraction}`)
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 }
}

/** `minor × rate ÷ divisor`, rounded half up to a whole minor unit; no amount below nothing. */
export function timesRate(minor: number, rate: number, divisor = 1): number {
  if (!Number.isSafeInteger(minor) || minor < 0) {
    throw new RangeError(`An amount must be whole minor units of at least 0, got ${minor}`)
  }
  if (!Number.isSafeInteger(divisor) || divisor <= 0) {
    throw new RangeError(`A divisor must be a whole number above 0, got ${divisor}`)
  }
  const { digits, scale } = decimalOf(rate)
  const numerator = BigInt(minor) * digits
  const denominator = 10n ** BigInt(scale) * BigInt(divisor)
  return Number((2n * numerator + denominator) / (2n * denominator))
}
