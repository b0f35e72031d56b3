import { minorDigits, minorToDecimal, minorToMajor } from '../../../src/contracts/money.ts'

/**
 * Amounts as people type and read them, and as the API holds them: whole minor units of
 * the currency's own ISO 4217 minor unit (src/contracts/money.ts), the rule the server's
 * quote PDF and e-mails print by. A yen has no decimals, so ¥1,000 typed is 1000 sent; a
 * dollar has two, so $12.50 typed is 1250 sent; a Kuwaiti dinar has three. Every form and
 * page that holds an amount converts here, never with a `* 100` or `/ 100` of its own.
 * Pure, so the arithmetic is tested without a browser; the words for a refusal are the
 * form's (components/money-field.tsx).
 */

export { minorDigits, minorToMajor }

/** Why a typed amount was not taken. */
export type MoneyRefusal = 'empty' | 'not-a-number' | 'negative' | 'too-many-decimals' | 'too-large'

export type TypedAmount = { ok: true; minor: number } | { ok: false; refusal: MoneyRefusal }

/**
 * A decimal as a number input hands it over (`12.5`, `.5`, `1e3`) or a person types it in
 * a text field, full-width digits of a Chinese input method included once normalised.
 * Group separators (`1,000`) are not guessed at: a comma is a decimal point in half the world.
 */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d{1,4}))?$/i

const refuse = (refusal: MoneyRefusal): TypedAmount => ({ ok: false, refusal })

/**
 * What a person typed, in whole minor units of `currency`. Refuses an empty field, what is
 * not a number, a negative amount, more decimals than the currency has (`1000.5` yen,
 * `12.345` dollars: a fraction of a minor unit the API could only round away) and an
 * amount past what a JavaScript number holds exactly. Exact: decimal arithmetic on the
 * digits, no floating point (`Number('0.29') * 100` is 28.999…).
 */
export function toMinorUnits(text: string, currency: string): TypedAmount {
  const typed = text.normalize('NFKC').trim()
  if (typed === '') return refuse('empty')
  const match = DECIMAL.exec(typed)
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match ?? []
  if (!match || (whole === '' && fraction === '')) return refuse('not-a-number')
  if (sign === '-' && /[1-9]/.test(whole + fraction)) return refuse('negative')
  // Move the decimal point by the exponent, padding with zeros on whichever side runs out.
  let digits = whole + fraction
  let point = whole.length + Number(exponent)
  if (point < 0) {
    digits = '0'.repeat(-point) + digits
    point = 0
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length)
  const places = minorDigits(currency)
  const decimals = digits.slice(point).replace(/0+$/, '')
  if (decimals.length > places) return refuse('too-many-decimals')
  const minorText = `${digits.slice(0, point)}${decimals.padEnd(places, '0')}`.replace(/^0+/, '') || '0'
  const minor = Number(minorText)
  if (minorText.length > 16 || !Number.isSafeInteger(minor)) return refuse('too-large')
  return { ok: true, minor }
}

/**
 * Whole minor units as the decimal a person would type, for an input's value, default or
 * bounds: `1000` yen → `1000`, `1250` cents → `12.50`, `1234` fils → `1.234`. No grouping,
 * so `toMinorUnits` reads it back as the same amount.
 */
export function fromMinorUnits(minor: number, currency: string): string {
  return minorToDecimal(minor, currency)
}

/** The smallest amount of a currency as a number input's `step` (and least positive `min`): `1`, `0.01`, `0.001`. */
export function minorStep(currency: string): string {
  return fromMinorUnits(1, currency)
}

/** An example amount in the currency's own decimals, for a refusal's words: `1250`, `12.50`, `12.500`. */
export function exampleAmount(currency: string): string {
  const places = minorDigits(currency)
  return fromMinorUnits(places < 2 ? 1250 : 1250 * 10 ** (places - 2), currency)
}
