const formatters = new Map<string, Intl.DateTimeFormat>()
const lastByZone = new Map<string, { minute: number; date: string }>()

/** 1972-01-01T00:00:00Z: since then every zone's offset from UTC is a whole number of minutes. */
const WHOLE_MINUTE_OFFSETS_SINCE = Date.UTC(1972, 0, 1)

/**
 * The calendar date `YYYY-MM-DD` of an instant in a time zone. Policies count their days
 * in their own zone (the adjudication contract), so a claim opened at 01:00 in Shanghai is
 * dated that day, not the previous UTC day.
 *
 * Formatting costs a few microseconds and hot paths (every warranty look-up) ask for the
 * same zone again and again; a local date can only change where a UTC minute does, so the
 * last answer per zone is reused within its minute.
 */
export function localDate(instant: Date, timeZone: string): string {
  const time = instant.getTime()
  const minute = Math.floor(time / 60_000)
  const last = lastByZone.get(timeZone)
  if (last !== undefined && last.minute === minute) return last.date
  let format = formatters.get(timeZone)
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formatters.set(timeZone, format)
  }
  const date = format.format(instant)
  if (time >= WHOLE_MINUTE_OFFSETS_SINCE) lastByZone.set(timeZone, { minute, date })
  return date
}

/**
 * The zone whose date is the latest on Earth (UTC+14). Its date is "today" for a check that
 * must not refuse anyone's own today wherever they are, such as "not in the future".
 */
export const LATEST_TIME_ZONE = 'Pacific/Kiritimati'

/** The zone whose date is the earliest on Earth (UTC-12): its date is the first day an instant fell on anywhere. */
export const EARLIEST_TIME_ZONE = 'Etc/GMT+12'
