import { addMonths, civilFromDay } from '../../shared/day-numbers.ts'

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

/** Adds a duration; a day past the month's end clamps to its last day (29 Feb + 1 year = 28 Feb). */
export function addDuration(dayNumber: number, duration: Duration): number {
  if (duration.years === 0 && duration.months === 0) return dayNumber + duration.days
  const { year, month, day } = civilFromDay(dayNumber)
  return addMonths(year, month, day, duration.years * 12 + duration.months) + duration.days
}
