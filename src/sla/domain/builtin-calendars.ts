import { DateTime } from 'luxon'
import type { BusinessCalendar } from './business-calendar.ts'
import { cnStatutoryHolidays } from './cn-statutory-holidays.ts'

/** Every date from `first` to `last`, both included (`YYYY-MM-DD`). */
function datesFrom(first: string, last: string): string[] {
  const dates: string[] = []
  for (let d = DateTime.fromISO(first, { zone: 'UTC' }); d.toISODate()! <= last; d = d.plus({ days: 1 })) {
    dates.push(d.toISODate()!)
  }
  return dates
}

/**
 * Public holidays and adjusted working days of mainland China, as published each November
 * by the General Office of the State Council (国务院办公厅关于部分节假日安排的通知):
 * 2025 — 国办发明电〔2024〕12号 of 2024-11-12; 2026 — the notice of 2025-11-04.
 * Each holiday lists every day of the break, weekends included, as the notice does.
 * MUST be extended every year when the next notice comes out; until then a later year keeps
 * the days the law fixes (cn-statutory-holidays.ts), solar and lunar, without the bridging
 * days and make-up working days only the notice sets.
 */
const CN_HOLIDAYS: Record<string, { off: string[]; makeUp: string[] }> = {
  'New Year 2025': { off: ['2025-01-01'], makeUp: [] },
  'Spring Festival 2025': {
    off: datesFrom('2025-01-28', '2025-02-04'),
    makeUp: ['2025-01-26', '2025-02-08'],
  },
  'Qingming 2025': { off: datesFrom('2025-04-04', '2025-04-06'), makeUp: [] },
  'Labour Day 2025': { off: datesFrom('2025-05-01', '2025-05-05'), makeUp: ['2025-04-27'] },
  'Dragon Boat 2025': { off: datesFrom('2025-05-31', '2025-06-02'), makeUp: [] },
  'National Day and Mid-Autumn 2025': {
    off: datesFrom('2025-10-01', '2025-10-08'),
    makeUp: ['2025-09-28', '2025-10-11'],
  },
  'New Year 2026': { off: datesFrom('2026-01-01', '2026-01-03'), makeUp: ['2026-01-04'] },
  'Spring Festival 2026': {
    off: datesFrom('2026-02-15', '2026-02-23'),
    makeUp: ['2026-02-14', '2026-02-28'],
  },
  'Qingming 2026': { off: datesFrom('2026-04-04', '2026-04-06'), makeUp: [] },
  'Labour Day 2026': { off: datesFrom('2026-05-01', '2026-05-05'), makeUp: ['2026-05-09'] },
  'Dragon Boat 2026': { off: datesFrom('2026-06-19', '2026-06-21'), makeUp: [] },
  'Mid-Autumn 2026': { off: datesFrom('2026-09-25', '2026-09-27'), makeUp: [] },
  'National Day 2026': { off: datesFrom('2026-10-01', '2026-10-07'), makeUp: ['2026-09-20', '2026-10-10'] },
}

const holidaysOf = Object.values(CN_HOLIDAYS)

/** The years whose State Council notice the calendar holds whole. */
const LAST_NOTICE_YEAR = 2026
export const CN_NOTICE_YEARS = [2025, LAST_NOTICE_YEAR] as const
/** How many years past the last notice the law's days are kept. */
const STATUTORY_YEARS_AHEAD = 10
const statutoryAfterNotices = Array.from({ length: STATUTORY_YEARS_AHEAD }, (_, i) =>
  cnStatutoryHolidays(LAST_NOTICE_YEAR + 1 + i),
).flat()

/**
 * Mainland China office hours in Shenzhen (seed 002), with the official holidays of 2025 and
 * 2026 and, after them, the statutory days the law fixes, solar and lunar.
 */
export const CN_MAINLAND: BusinessCalendar = {
  id: 'cn-mainland',
  name: 'Mainland China (Mon–Fri 09:00–18:00, official public holidays)',
  timeZone: 'Asia/Shanghai',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: [{ from: '09:00', to: '18:00' }],
  holidays: [...holidaysOf.flatMap((h) => h.off), ...statutoryAfterNotices].sort(),
  makeUpWorkingDays: holidaysOf.flatMap((h) => h.makeUp).sort(),
  source:
    'State Council General Office holiday notices for 2025 (国办发明电〔2024〕12号) and 2026 (2025-11-04); later years: the statutory days of 全国年节及纪念日放假办法 (New Year, the eve and first three days of the Spring Festival, Qingming, 1–2 May, the Dragon Boat Festival, Mid-Autumn, 1–3 October), without the bridging and make-up days of the notice, until their notice is added; extend every November.',
}

/** A neutral calendar for policies without one: Monday–Friday 09:00–17:00 UTC, no holidays. */
export const WEEKDAYS_UTC: BusinessCalendar = {
  id: 'weekdays-utc',
  name: 'Weekdays 09:00–17:00 UTC',
  timeZone: 'UTC',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: [{ from: '09:00', to: '17:00' }],
  holidays: [],
  makeUpWorkingDays: [],
}

export const BUILTIN_CALENDARS: ReadonlyMap<string, BusinessCalendar> = new Map(
  [CN_MAINLAND, WEEKDAYS_UTC].map((c) => [c.id, c]),
)
export const BUILTIN_CALENDAR_IDS: ReadonlySet<string> = new Set(BUILTIN_CALENDARS.keys())

/**
 * The calendar of a clock whose calendar is neither built in nor stored (a policy naming one
 * is refused at start, but a restored backup may lack the row): Monday to Friday 09:00–18:00
 * in the policy's time zone, so clocks still run rather than fail the claim event that starts them.
 */
export function fallbackCalendar(id: string, timeZone: string): BusinessCalendar {
  return {
    id,
    name: `${id} (not defined: Mon–Fri 09:00–18:00)`,
    timeZone,
    workingDays: [1, 2, 3, 4, 5],
    workingHours: [{ from: '09:00', to: '18:00' }],
    holidays: [],
    makeUpWorkingDays: [],
  }
}
