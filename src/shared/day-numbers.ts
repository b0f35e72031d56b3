/**
 * Calendar dates as integer day numbers (days since 1970-01-01), so dates compare and add
 * as numbers: the policy engine's, and every other count of days between `YYYY-MM-DD`
 * dates. Civil-date arithmetic after Howard Hinnant's algorithms; no Date objects, no time
 * zones: the dates are already those of the zone they count in (a policy's, for a case).
 */

/** Day number of `YYYY-MM-DD`, or NaN when absent. Assumes the text was validated at the edge. */
export function parseDay(text: string | undefined): number {
  if (text === undefined) return Number.NaN
  const y =
    (text.charCodeAt(0) - 48) * 1000 +
    (text.charCodeAt(1) - 48) * 100 +
    (text.charCodeAt(2) - 48) * 10 +
    (text.charCodeAt(3) - 48)
  const m = (text.charCodeAt(5) - 48) * 10 + (text.charCodeAt(6) - 48)
  const d = (text.charCodeAt(8) - 48) * 10 + (text.charCodeAt(9) - 48)
  return dayOfDate(y, m, d)
}

/** Day number of a calendar date: a table look-up over the years cases live in. */
export function dayOfDate(year: number, month: number, day: number): number {
  const index = (year - TABLE_FIRST_YEAR) * 12 + month - 1
  if (index >= 0 && index < MONTH_STARTS.length) return MONTH_STARTS[index]! + day - 1
  return dayFromCivil(year, month, day)
}

export function dayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (month + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

export function civilFromDay(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

// Day numbers of the first of every month over the years cases live in: parsing a date
// is then a table look-up (called five times per decision).
const TABLE_FIRST_YEAR = 1970
const MONTH_STARTS = new Int32Array(12 * 200)
for (let i = 0; i < MONTH_STARTS.length; i++) {
  MONTH_STARTS[i] = dayFromCivil(TABLE_FIRST_YEAR + Math.floor(i / 12), (i % 12) + 1, 1)
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)

// Decisions format the same few thousand days over and over; a dense cache spares the work.
const FORMAT_CACHE_SIZE = 1 << 17
const formatted: (string | undefined)[] = new Array(FORMAT_CACHE_SIZE)

export function formatDay(dayNumber: number): string {
  const cacheable = dayNumber >= 0 && dayNumber < FORMAT_CACHE_SIZE
  if (cacheable) {
    const hit = formatted[dayNumber]
    if (hit !== undefined) return hit
  }
  const { year, month, day } = civilFromDay(dayNumber)
  const text = `${year}-${pad2(month)}-${pad2(day)}`
  if (cacheable) formatted[dayNumber] = text
  return text
}

/**
 * The date `days` calendar days after `YYYY-MM-DD` (before it when negative). Counting on
 * a calendar date, not adding 24-hour days to an instant, keeps a daylight-saving change
 * from moving the result by a day.
 */
export function addDays(isoDay: string, days: number): string {
  return formatDay(parseDay(isoDay) + days)
}

/** Calendar days from `from` to `to`, both `YYYY-MM-DD`: negative when `to` comes first. */
export function daysBetween(from: string, to: string): number {
  return parseDay(to) - parseDay(from)
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

const daysInMonth = (year: number, month: number): number =>
  month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!

/** Day number of the date `months` calendar months after year-month-day, clamped to that month's last day. */
export function addMonths(year: number, month: number, day: number, months: number): number {
  const monthIndex = year * 12 + (month - 1) + months
  const y = Math.floor(monthIndex / 12)
  const m = (monthIndex % 12) + 1
  return dayOfDate(y, m, Math.min(day, daysInMonth(y, m)))
}
