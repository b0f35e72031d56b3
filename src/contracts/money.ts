/**
 * What a minor unit is. Money travels and is stored as whole minor units (`amountMinor`,
 * `unitPriceMinor`, …) of the currency's own ISO 4217 minor unit, as the runtime's ICU
 * knows it: cents for USD and EUR, fen for CNY, whole yen for JPY and won for KRW (no
 * decimals), fils for KWD and BHD (three decimals). The server's documents, e-mails and
 * terminal texts and the web app's forms and pages all convert here, so a yen typed in a
 * form is the yen printed on the quote. Pure: no I/O.
 *
 * A code the runtime does not know but that is well formed (`ABC`) gets two decimals from
 * Intl itself; a malformed one (`X1`, ``) makes Intl throw, and keeps two decimals too.
 */

/** Decimals of a currency Intl cannot tell us about. */
const FALLBACK_DIGITS = 2
/** A well-formed code: only these are remembered, so junk codes cannot grow the caches. */
const WELL_FORMED = /^[A-Za-z]{3}$/

const digitsByCurrency = new Map<string, number>()
const formatters = new Map<string, Intl.NumberFormat | null>()

/** The runtime's currency format, or null when the code is not one Intl accepts. */
function currencyFormat(locale: string, currency: string): Intl.NumberFormat | null {
  const key = `${locale}|${currency}`
  const kept = formatters.get(key)
  if (kept !== undefined) return kept
  let format: Intl.NumberFormat | null = null
  try {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency })
  } catch {
    // RangeError: not a well-formed currency code.
  }
  if (WELL_FORMED.test(currency)) formatters.set(key, format)
  return format
}

/** Digits after the decimal point of a currency: 2 for USD, EUR and CNY, 0 for JPY and KRW, 3 for KWD and BHD. */
export function minorDigits(currency: string): number {
  const kept = digitsByCurrency.get(currency)
  if (kept !== undefined) return kept
  const digits = currencyFormat('en', currency)?.resolvedOptions().maximumFractionDigits ?? FALLBACK_DIGITS
  if (WELL_FORMED.test(currency)) digitsByCurrency.set(currency, digits)
  return digits
}

/** Minor units as an amount in major units (a number, for charts and `Intl` formats): 1250 USD cents → 12.5. */
export function minorToMajor(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency)
}

/**
 * Minor units as the decimal a person writes, with the currency's own digits and no
 * grouping: `1250` USD → `12.50`, `1000` JPY → `1000`, `1234` KWD → `1.234`, `-5` CNY →
 * `-0.05`. Exact for whole amounts (string arithmetic, no floating point).
 */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = minorDigits(currency)
  if (!Number.isSafeInteger(minor)) return minorToMajor(minor, currency).toFixed(digits)
  const sign = minor < 0 ? '-' : ''
  const text = String(Math.abs(minor)).padStart(digits + 1, '0')
  if (digits === 0) return `${sign}${text}`
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`
}

/**
 * Minor units in a reader's locale with the currency's sign: `¥1,000`, `US$12.50`,
 * `KWD 1.234`. A code Intl refuses is written as the plain decimal and the code (`12.50 X1`).
 */
export function formatMinorIn(locale: string, minor: number, currency: string): string {
  const format = currencyFormat(locale, currency)
  return format
    ? format.format(minorToMajor(minor, currency))
    : `${minorToDecimal(minor, currency)} ${currency}`
}
