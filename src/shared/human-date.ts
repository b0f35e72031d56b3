import { isCalendarDate, noonOfCalendarDate as noonOf } from '../contracts/calendar-date.ts'
import type { MessageLanguage } from './messages/translate.ts'

/**
 * Dates and times as a reader writes them, for what people read: e-mails and printed
 * documents. Data, APIs and warranty decisions keep ISO dates; only their readers' copies
 * are written here.
 *
 * The words come from the runtime's ICU (Node ships it in full), never from tables of our
 * own; the shape around them is fixed here, so a newer ICU that joins date and time with
 * "at" instead of a comma does not change a message.
 */

/** The runtime locale that writes each of our languages: the one place dates, countries and names agree on. */
export const INTL_LOCALE: Record<MessageLanguage, string> = { en: 'en-GB', zh: 'zh-CN' }

/** An ISO timestamp that says its offset: one without would be read in the machine's zone. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i

const formatters = new Map<string, Intl.DateTimeFormat>()

const PARTS = {
  day: { year: 'numeric', month: 'long', day: 'numeric' },
  month: { year: 'numeric', month: 'long' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'long' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>

function formatter(
  language: MessageLanguage,
  timeZone: string,
  part: keyof typeof PARTS,
): Intl.DateTimeFormat {
  const key = `${language}\u0000${timeZone}\u0000${part}`
  let format = formatters.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[language], { timeZone, ...PARTS[part] })
    formatters.set(key, format)
  }
  return format
}

export { isCalendarDate }

/** Whether the value is an ISO timestamp with its offset (`…Z` or `…+08:00`) naming a real instant. */
export const isIsoInstant = (value: string): boolean =>
  ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))

/**
 * Whether the runtime knows the IANA time zone (`Asia/Shanghai`, `UTC`). Kept per zone: every
 * claim e-mail queued checks its zone, and making a formatter to ask costs about 0.2 ms.
 */
export function isTimeZone(value: string): boolean {
  let known = checkedZones.get(value)
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value })
      known = true
    } catch {
      known = false
    }
    // Bounded: names come from policies and stored rows, but a caller could send many.
    if (checkedZones.size < 1000) checkedZones.set(value, known)
  }
  return known
}
const checkedZones = new Map<string, boolean>()

/**
 * A calendar date `YYYY-MM-DD` for a reader: `3 December 2026`, `2026年12月3日`.
 * A date is a day, not an instant: it is written at noon UTC in UTC, so no machine's zone
 * can move it to the day before or after. Throws a RangeError for anything but a real day.
 */
export function humanDate(date: string, language: MessageLanguage): string {
  const noon = noonOf(date)
  if (!noon) throw new RangeError(`Not a calendar date YYYY-MM-DD: "${date}"`)
  return formatter(language, 'UTC', 'day').format(noon)
}

/**
 * A calendar month `YYYY-MM` for a reader: `November 2025`, `2025年11月`. Throws a
 * RangeError for anything but a month.
 */
export function humanMonth(month: string, language: MessageLanguage): string {
  const noon = /^\d{4}-\d{2}$/.test(month) ? noonOf(`${month}-01`) : null
  if (!noon) throw new RangeError(`Not a month YYYY-MM: "${month}"`)
  return formatter(language, 'UTC', 'month').format(noon)
}

/**
 * An instant for a reader, as the clock reads in the time zone, with the zone named in the
 * reader's language: `3 December 2026, 22:05 (China Standard Time)`,
 * `2026年12月3日 22:05（中国标准时间）`. Without a zone it is UTC, named in words.
 * A string must be an ISO timestamp with its offset; throws a RangeError otherwise, and for
 * a zone the runtime does not know.
 */
export function humanTimestamp(instant: Date | string, language: MessageLanguage, timeZone = 'UTC'): string {
  if (typeof instant === 'string' && !isIsoInstant(instant))
    throw new RangeError(`Not an ISO timestamp with its offset: "${instant}"`)
  const at = typeof instant === 'string' ? new Date(instant) : instant
  if (Number.isNaN(at.getTime())) throw new RangeError('Not a valid instant')
  const day = formatter(language, timeZone, 'day').format(at)
  const { hour, minute, zone } = timeParts(language, timeZone, at)
  return language === 'zh' ? `${day} ${hour}:${minute}（${zone}）` : `${day}, ${hour}:${minute} (${zone})`
}

function timeParts(language: MessageLanguage, timeZone: string, at: Date) {
  const parts = formatter(language, timeZone, 'time').formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  let zone = part('timeZoneName')
  // A zone without a name of its own is written as an offset from GMT (`GMT-12:00`); a
  // Chinese reader gets the offset after UTC's own Chinese name rather than three Latin letters.
  if (language === 'zh' && zone.startsWith('GMT')) zone = `${utcName('zh')}${zone.slice(3)}`
  return { hour: part('hour'), minute: part('minute'), zone }
}

const utcName = (language: MessageLanguage): string =>
  formatter(language, 'UTC', 'time')
    .formatToParts(0)
    .find((p) => p.type === 'timeZoneName')?.value ?? 'UTC'
