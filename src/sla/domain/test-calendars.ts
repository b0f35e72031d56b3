import { CN_MAINLAND, WEEKDAYS_UTC } from './builtin-calendars.ts'
import type { BusinessCalendar } from './business-calendar.ts'

/** Calendars the SLA tests share, beside the built-in ones. */

/** A Shenzhen office with a lunch break, otherwise the mainland calendar. */
export const CN_WITH_LUNCH: BusinessCalendar = {
  ...CN_MAINLAND,
  id: 'cn-lunch',
  workingHours: [
    { from: '09:00', to: '12:00' },
    { from: '13:30', to: '18:00' },
  ],
}

/** Weekdays in Berlin: daylight saving changes at 02:00 local, inside the night. */
export const BERLIN: BusinessCalendar = { ...WEEKDAYS_UTC, id: 'berlin', timeZone: 'Europe/Berlin' }
