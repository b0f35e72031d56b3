/**
 * The "what if" warranty term as a manager types it (a number and a unit) and as the API
 * reads it, an ISO 8601 duration (`P3Y`, `P18M`, `P90D`), which no one should have to know.
 */
export const TERM_UNITS = ['years', 'months', 'days'] as const
export type TermUnit = (typeof TERM_UNITS)[number]

export interface TypedTerm {
  count: number
  unit: TermUnit
}

const LETTER: Record<TermUnit, string> = { years: 'Y', months: 'M', days: 'D' }

/** The longest term the report takes (99 years, as a policy's terms: MAX_TERM_DAYS), in each unit. */
export const TERM_MAX: Record<TermUnit, number> = { years: 99, months: 1188, days: 36_234 }

/** The API's duration of a typed term; null when the count is not a whole number from 1 to the unit's TERM_MAX. */
export function toIsoTerm(count: string | number, unit: TermUnit): string | null {
  const text = String(count).trim()
  if (!/^\d+$/.test(text)) return null
  const whole = Number(text)
  if (!Number.isSafeInteger(whole) || whole <= 0 || whole > TERM_MAX[unit]) return null
  return `P${whole}${LETTER[unit]}`
}

/**
 * A duration back as one number and unit: years and months together are months (`P1Y6M`
 * is 18 months); days stand only alone. Null for anything else, which the form then leaves
 * for the person to type again.
 */
export function readIsoTerm(iso: string | null | undefined): TypedTerm | null {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(iso ?? '')
  if (!match) return null
  const [, years, months, days] = match.map((part) => (part === undefined ? undefined : Number(part)))
  if (days !== undefined)
    return years === undefined && months === undefined && days > 0 ? { count: days, unit: 'days' } : null
  if (years === undefined && months === undefined) return null
  if (months === undefined) return years ? { count: years, unit: 'years' } : null
  const total = (years ?? 0) * 12 + months
  return total > 0 ? { count: total, unit: 'months' } : null
}

const INTL_UNIT: Record<TermUnit, string> = { years: 'year', months: 'month', days: 'day' }

/** A term in words in a language (`3 years`, `18 个月`); the duration as it is when it reads as none. */
export function formatTerm(iso: string, locale: string): string {
  const term = readIsoTerm(iso)
  if (!term) return iso
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: INTL_UNIT[term.unit],
    unitDisplay: 'long',
  }).format(term.count)
}
