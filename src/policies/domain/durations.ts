import { civilFromDay, dayOfDate } from '../../shared/day-numbers.ts'

/** An ISO 8601 date duration: `P2Y`, `P18M`, `P30D`. */
export interface Duration {
  years: number
  months: number
  days: number
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/

export function parseDuration(text: string): Duration | undefined {
  const match = DURATION.exec(text)
  if (match === null || text === 'P') return undefined
  return { years: Number(match[1] ?? 0), months: Number(match[2] ?? 0), days: Number(match[3] ?? 0) }
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

const daysInMonth = (year: number, month: number): number =>
  month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!

/** Adds a duration; a day past the month's end clamps to its last day (29 Feb + 1 year = 28 Feb). */
export function addDuration(dayNumber: number, duration: Duration): number {
  if (duration.years === 0 && duration.months === 0) return dayNumber + duration.days
  const { year, month, day } = civilFromDay(dayNumber)
  return addMonths(year, month, day, duration.years * 12 + duration.months) + duration.days
}

/** Day number of the date `months` calendar months after year-month-day, clamped to that month's last day. */
export function addMonths(year: number, month: number, day: number, months: number): number {
  const monthIndex = year * 12 + (month - 1) + months
  const y = Math.floor(monthIndex / 12)
  const m = (monthIndex % 12) + 1
  return dayOfDate(y, m, Math.min(day, daysInMonth(y, m)))
}
