/**
 * Calendar dates written `YYYY-MM-DD`, as the engine writes them in decisions and their
 * explanations. Pure and free of the DOM: the server's e-mails and the web pages read them
 * alike, so a message and the page name one day the same way.
 */

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * A date in running text: standing alone, not part of a longer word or number, nor of a code
 * joined by hyphens (a serial `SN-2026-01-15`, a batch `2026-01-15-B`), which is no date.
 */
const DATE_IN_TEXT = /(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])/g

/** Noon UTC of a calendar date, or null when `YYYY-MM-DD` names no day (`2026-02-30`). */
export function noonOfCalendarDate(date: string): Date | null {
  const match = CALENDAR_DATE.exec(date)
  if (!match) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const noon = new Date(Date.UTC(2000, month - 1, day, 12))
  // Date.UTC reads years 0–99 as 1900–1999; the year is set on its own.
  noon.setUTCFullYear(year, month - 1, day)
  const real = noon.getUTCFullYear() === year && noon.getUTCMonth() === month - 1 && noon.getUTCDate() === day
  return real ? noon : null
}

/** Whether the value is a day of the calendar written `YYYY-MM-DD`. */
export const isCalendarDate = (value: string): boolean => noonOfCalendarDate(value) !== null

/**
 * The text with each calendar date standing in it written by `write` (the reader's "13 Apr
 * 2028"); a token that names no day, or that is part of a code, is left as it was written.
 */
export const withReadableDates = (text: string, write: (day: string) => string): string =>
  text.replace(DATE_IN_TEXT, (day) => (isCalendarDate(day) ? write(day) : day))
