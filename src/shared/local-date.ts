const formatters = new Map<string, Intl.DateTimeFormat>()

/**
 * The calendar date `YYYY-MM-DD` of an instant in a time zone. Policies count their days
 * in their own zone (the adjudication contract), so a claim opened at 01:00 in Shanghai is
 * dated that day, not the previous UTC day.
 */
export function localDate(instant: Date, timeZone: string): string {
  let format = formatters.get(timeZone)
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formatters.set(timeZone, format)
  }
  return format.format(instant)
}
