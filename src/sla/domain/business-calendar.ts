import { DateTime, IANAZone } from 'luxon'
import { civilFromDay, formatDay, parseDay } from '../../shared/day-numbers.ts'
import { firstInstantAtWallTime } from '../../shared/wall-time.ts'

/** ISO weekday: 1 is Monday, 7 is Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7

/**
 * One span of working time on a working day, local `HH:MM`; `to` may be `24:00` for the end of
 * the day. A `to` earlier than `from` ends on the next date (a night desk, 22:00–06:00): the
 * span belongs to the date it starts on, whose being a working date or not decides it whole.
 */
export interface WorkingHours {
  from: string
  to: string
}

/**
 * A business calendar as data: which local moments count as working time.
 * A date is a working date when it is a make-up working day, or when its weekday is a
 * working day and it is not a public holiday. A calendar never lists a date as both.
 */
export interface BusinessCalendar {
  id: string
  name: string
  /** IANA time zone the hours and dates are read in, e.g. `Asia/Shanghai`. */
  timeZone: string
  workingDays: Weekday[]
  /**
   * Sorted, non-overlapping spans, e.g. 09:00–12:00 and 13:30–18:00 around a lunch break; only
   * the last may cross midnight, ending no later than the first starts.
   */
  workingHours: WorkingHours[]
  /** Local dates off (`YYYY-MM-DD`), e.g. public holidays. */
  holidays: string[]
  /** Weekend dates that are working dates (China's adjusted working days, 调休). */
  makeUpWorkingDays: string[]
  /** Where the holiday list comes from, and when it must be extended. */
  source?: string
}

/**
 * How SLA targets measure time:
 * - `hours`: elapsed clock hours, night and weekend included ("within 12 hours").
 * - `days`: calendar days, due at the same local time of day N days later (not N × 24 h: across
 *   a change of the clocks the day is 23 or 25 hours long). A start in the hour the clocks show
 *   a second time is due at the time they went back from (03:00), so that it is due no earlier
 *   than a start in the first showing of that hour.
 * - `working-hours`: only time inside working hours on working dates counts; a start outside
 *   working time starts counting at the next working moment.
 * - `working-days`: due at the end of business of the Nth working date after the start date;
 *   the start date itself never counts, whatever the time of the start ("back within 3
 *   working days after receipt": received Friday, due Wednesday at close).
 */
export type DurationUnit = 'hours' | 'days' | 'working-hours' | 'working-days'

export interface BusinessDuration {
  amount: number
  unit: DurationUnit
}

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
const MINUTES_PER_DAY = 1440
/** A calendar that has no working date for this many consecutive days is treated as broken rather than looped over forever. */
export const MAX_DAYS_WITHOUT_WORK = 800

interface CompiledCalendar {
  zone: string
  workingDays: ReadonlySet<number>
  holidays: ReadonlySet<string>
  makeUp: ReadonlySet<string>
  /** Minutes from the date's local midnight, [from, to); past 1440 on the next date. */
  spans: ReadonlyArray<readonly [number, number]>
  /** The working spans of the dates asked so far (`spansOfDate`): a pure function of the calendar and the date. */
  spansByDate: Map<string, ReadonlyArray<readonly [number, number]>>
}

/** Dates whose spans a calendar keeps; past it, they are counted afresh. */
const SPANS_KEPT_PER_CALENDAR = 4096
/** Calendars kept by their content. */
const CALENDARS_KEPT = 256

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>()
/**
 * The same calendars by what they say: a server reads a claim's calendar from its row for every
 * clock it starts or measures, a new object each time, and counting its spans again (zone
 * offsets, holidays) for each was most of a clock's cost.
 */
const compiledByContent = new Map<string, CompiledCalendar>()

/** Minutes after local midnight of `HH:MM`; `24:00` is the end of the day. Throws on anything else. */
export function parseClockTime(text: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text)
  const hours = Number(match?.[1])
  const minutes = Number(match?.[2])
  if (!match || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw new RangeError(`"${text}" is not a time of day HH:MM`)
  }
  return hours * 60 + minutes
}

function compile(calendar: BusinessCalendar): CompiledCalendar {
  const cached = compiled.get(calendar)
  if (cached) return cached
  const content = JSON.stringify([
    calendar.timeZone,
    calendar.workingDays,
    calendar.workingHours.map(({ from, to }) => [from, to]),
    calendar.holidays,
    calendar.makeUpWorkingDays,
  ])
  const same = compiledByContent.get(content)
  if (same) {
    compiled.set(calendar, same)
    return same
  }
  const result: CompiledCalendar = {
    zone: calendar.timeZone,
    workingDays: new Set(calendar.workingDays),
    holidays: new Set(calendar.holidays),
    makeUp: new Set(calendar.makeUpWorkingDays),
    spans: calendar.workingHours
      .map((span) => [parseClockTime(span.from), parseClockTime(span.to)] as const)
      .filter(([from, to]) => to !== from)
      .map(([from, to]) => [from, to > from ? to : to + MINUTES_PER_DAY] as const)
      .sort((a, b) => a[0] - b[0]),
    spansByDate: new Map(),
  }
  compiled.set(calendar, result)
  if (compiledByContent.size >= CALENDARS_KEPT) compiledByContent.clear()
  compiledByContent.set(content, result)
  return result
}

/** The local date (`YYYY-MM-DD`) of an instant in the calendar's zone. */
export function localDateOf(calendar: BusinessCalendar, at: Date): string {
  return DateTime.fromJSDate(at, { zone: calendar.timeZone }).toISODate() ?? invalidZone(calendar)
}

function invalidZone(calendar: BusinessCalendar): never {
  throw new RangeError(`Calendar ${calendar.id}: unknown time zone "${calendar.timeZone}"`)
}

/**
 * The latest wall time the zone's clocks have shown by `ms`, as milliseconds of the UTC
 * calendar: the time they show, except in the hour they show a second time after going back
 * (03:00 to 02:00), when they have already shown up to 03:00. A claim received at the second
 * 02:10 came in after one received at the first 02:50, and is due no earlier.
 */
function latestWallTimeShown(zone: string, ms: number): number {
  const offsets = IANAZone.create(zone)
  const offsetAt = (t: number) => Math.round(offsets.offset(t) * 60_000)
  const offset = offsetAt(ms)
  // No zone has turned its clocks back by more than a few hours at once.
  let before = ms - 6 * HOUR_MS
  if (offsetAt(before) <= offset) return ms + offset
  let after = ms
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2)
    if (offsetAt(middle) > offset) before = middle
    else after = middle
  }
  // Until `after` the clocks ran on the earlier offset, up to the wall time they went back from.
  return Math.max(ms + offset, after + offsetAt(before))
}

function nextDate(date: string): string {
  return isPlainDate(date)
    ? formatDay(parseDay(date) + 1)
    : (DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate() as string)
}

/** A date of the years 1000–8999, which day numbers read and write exactly, the day before and after included; luxon takes the rest. */
const isPlainDate = (date: string): boolean =>
  date.length === 10 && date.charCodeAt(0) >= 49 /* 1 */ && date.charCodeAt(0) <= 56 /* 8 */

/**
 * The first date of a run of more than `MAX_DAYS_WITHOUT_WORK` dates in a row with no working
 * date, or undefined when there is none. Deadlines cannot be counted across such a run, so a
 * calendar that has one is refused when it is written rather than failing every clock on it.
 * The calendar has a working weekday (its schema's rule), so a run longer than a week needs
 * holidays: only the dates around holidays are walked.
 */
export function findWorklessStretch(calendar: {
  workingDays: readonly number[]
  holidays: readonly string[]
  makeUpWorkingDays: readonly string[]
}): string | undefined {
  const workingDays = new Set(calendar.workingDays)
  const holidays = new Set(calendar.holidays.map(parseDay))
  const makeUp = new Set(calendar.makeUpWorkingDays.map(parseDay))
  // Day 0, 1970-01-01, was a Thursday (ISO weekday 4).
  const weekday = (day: number) => ((((day + 3) % 7) + 7) % 7) + 1
  const isOff = (day: number) => !makeUp.has(day) && (holidays.has(day) || !workingDays.has(weekday(day)))
  let walkedTo = Number.NEGATIVE_INFINITY
  for (const holiday of [...holidays].sort((a, b) => a - b)) {
    if (holiday <= walkedTo || makeUp.has(holiday)) continue
    let first = holiday
    while (isOff(first - 1) && holiday - first <= MAX_DAYS_WITHOUT_WORK) first -= 1
    let last = holiday
    while (isOff(last + 1) && last - first < MAX_DAYS_WITHOUT_WORK) last += 1
    if (last - first + 1 > MAX_DAYS_WITHOUT_WORK) return formatDay(first)
    walkedTo = last
  }
  return undefined
}

export function isWorkingDate(calendar: BusinessCalendar, date: string): boolean {
  const c = compile(calendar)
  if (c.makeUp.has(date)) return true
  if (c.holidays.has(date)) return false
  // Day 0, 1970-01-01, was a Thursday (ISO weekday 4).
  const weekday = isPlainDate(date)
    ? ((((parseDay(date) + 3) % 7) + 7) % 7) + 1
    : DateTime.fromISO(date, { zone: 'UTC' }).weekday
  return c.workingDays.has(weekday)
}

/** The working spans of one local date as UTC milliseconds [start, end), empty on a day off. */
function spansOfDate(calendar: BusinessCalendar, date: string): ReadonlyArray<readonly [number, number]> {
  const c = compile(calendar)
  const known = c.spansByDate.get(date)
  if (known) return known
  const spans = Object.freeze(countSpansOfDate(calendar, c, date))
  if (c.spansByDate.size >= SPANS_KEPT_PER_CALENDAR) c.spansByDate.clear()
  c.spansByDate.set(date, spans)
  return spans
}

function countSpansOfDate(
  calendar: BusinessCalendar,
  c: CompiledCalendar,
  date: string,
): Array<readonly [number, number]> {
  if (!isWorkingDate(calendar, date)) return []
  if (!DateTime.fromISO(date, { zone: c.zone }).isValid) invalidZone(calendar)
  // Wall-clock times, not minutes after midnight: on a daylight-saving day 09:00 is still 09:00.
  // 24:00 is where the next date starts, not this date's start plus a day: where clocks jump
  // at midnight (Santiago, Cairo) a date can start at 01:00, and a day after that is 01:00.
  const wallAt = (day: string, minutes: number): number => {
    const [year, month, dayOfMonth] = day.split('-').map(Number) as [number, number, number]
    return firstInstantAtWallTime(c.zone, {
      year,
      month,
      day: dayOfMonth,
      hour: Math.floor(minutes / 60),
      minute: minutes % 60,
    })
  }
  // Past midnight (24:00, or the end of a night span) is a wall time of the next date.
  const at = (minutes: number): number =>
    minutes >= MINUTES_PER_DAY ? wallAt(nextDate(date), minutes - MINUTES_PER_DAY) : wallAt(date, minutes)
  return c.spans.map(([from, to]) => Object.freeze([at(from), at(to)] as const)).filter(([s, e]) => e > s)
}

function previousDate(date: string): string {
  return isPlainDate(date)
    ? formatDay(parseDay(date) - 1)
    : (DateTime.fromISO(date, { zone: 'UTC' }).minus({ days: 1 }).toISODate() as string)
}

/**
 * Working spans that end after `fromMs`, in order, the first clipped to start at `fromMs`. Endless.
 * Walking starts a date early, where a night span that started the evening before may still run.
 * A span is clipped to start where the one before it ended, so no moment counts twice even
 * where a night span runs into the next date's first span (a calendar not written in order).
 */
function* workingSpansFrom(calendar: BusinessCalendar, fromMs: number): Generator<[number, number]> {
  let date = previousDate(localDateOf(calendar, new Date(fromMs)))
  let reached = fromMs
  let idle = 0
  for (;;) {
    const spans = spansOfDate(calendar, date)
    if (spans.length === 0 && ++idle > MAX_DAYS_WITHOUT_WORK) {
      throw new RangeError(`Calendar ${calendar.id} has no working time after ${date}`)
    }
    for (const [s, e] of spans) {
      idle = 0
      if (e <= reached) continue
      yield [Math.max(s, reached), e]
      reached = e
    }
    date = nextDate(date)
  }
}

/** The working span an instant is in, if any: one of its date's, or the night span of the date before. */
function spanAround(
  calendar: BusinessCalendar,
  at: Date,
): { date: string; span: readonly [number, number] } | undefined {
  const ms = at.getTime()
  const date = localDateOf(calendar, at)
  for (const day of [date, previousDate(date)]) {
    const span = spansOfDate(calendar, day).find(([s, e]) => s <= ms && ms < e)
    if (span) return { date: day, span }
  }
  return undefined
}

export function isWorkingTime(calendar: BusinessCalendar, at: Date): boolean {
  return spanAround(calendar, at) !== undefined
}

/**
 * The moment after `start` when `ms` of working time have passed. A deadline that uses up a
 * span exactly lands on its end (18:00), not on the next morning.
 */
export function addWorkingTime(calendar: BusinessCalendar, start: Date, ms: number): Date {
  if (!(ms > 0)) return new Date(start.getTime())
  let remaining = Math.round(ms)
  for (const [s, e] of workingSpansFrom(calendar, start.getTime())) {
    if (remaining <= e - s) return new Date(s + remaining)
    remaining -= e - s
  }
  throw new Error('unreachable: working spans are endless')
}

/** Working time, in milliseconds, between two instants; negative when `b` is before `a`. */
export function businessTimeBetween(calendar: BusinessCalendar, a: Date, b: Date): number {
  const from = a.getTime()
  const to = b.getTime()
  if (to < from) return -businessTimeBetween(calendar, b, a)
  let total = 0
  for (const [s, e] of workingSpansFrom(calendar, from)) {
    if (s >= to) break
    total += Math.min(e, to) - s
  }
  return total
}

/**
 * End of business on the Nth working date after the date of `start` (see DurationUnit). A start
 * inside a night span is on the date that span started on: received at 03:00 on a desk that
 * works 22:00–06:00, it came in on the evening before's shift.
 */
function addWorkingDays(calendar: BusinessCalendar, start: Date, days: number): Date {
  if (days === 0) return new Date(start.getTime())
  let date = spanAround(calendar, start)?.date ?? localDateOf(calendar, start)
  let counted = 0
  let idle = 0
  for (;;) {
    date = nextDate(date)
    const spans = spansOfDate(calendar, date)
    const last = spans.reduce<readonly [number, number] | undefined>(
      (a, b) => (a && a[1] >= b[1] ? a : b),
      undefined,
    )
    if (!last) {
      if (++idle > MAX_DAYS_WITHOUT_WORK) {
        throw new RangeError(`Calendar ${calendar.id} has no working time after ${date}`)
      }
      continue
    }
    idle = 0
    if (++counted === days) return new Date(last[1])
  }
}

/** The due moment of a duration started at `start`, measured as its unit says (see DurationUnit). */
export function addBusinessDuration(
  calendar: BusinessCalendar,
  start: Date,
  duration: BusinessDuration,
): Date {
  const { amount, unit } = duration
  if (!Number.isFinite(amount) || amount < 0) {
    throw new RangeError(`A duration must be a finite amount of at least 0, got ${amount}`)
  }
  if ((unit === 'days' || unit === 'working-days') && !Number.isInteger(amount)) {
    throw new RangeError(`A duration in ${unit} must be a whole number, got ${amount}`)
  }
  switch (unit) {
    case 'hours':
      return new Date(start.getTime() + Math.round(amount * HOUR_MS))
    case 'days': {
      if (amount === 0) return new Date(start.getTime())
      if (!IANAZone.isValidZone(calendar.timeZone)) invalidZone(calendar)
      const wall = latestWallTimeShown(calendar.timeZone, start.getTime())
      const dayNumber = Math.floor(wall / DAY_MS)
      const { year, month, day } = civilFromDay(dayNumber + amount)
      const ms = wall - dayNumber * DAY_MS
      return new Date(
        firstInstantAtWallTime(calendar.timeZone, {
          year,
          month,
          day,
          hour: Math.floor(ms / HOUR_MS),
          minute: Math.floor(ms / 60_000) % 60,
          second: Math.floor(ms / 1000) % 60,
          millisecond: ms % 1000,
        }),
      )
    }
    case 'working-hours':
      return addWorkingTime(calendar, start, amount * HOUR_MS)
    case 'working-days':
      return addWorkingDays(calendar, start, amount)
  }
}

/** Whether a unit counts only working time (then pauses and time left are measured on the calendar). */
export const countsWorkingTime = (unit: DurationUnit): boolean =>
  unit === 'working-hours' || unit === 'working-days'

/** Time that counts for a clock of this unit between two instants: working time, or elapsed time. */
export function measureTime(calendar: BusinessCalendar, unit: DurationUnit, a: Date, b: Date): number {
  return countsWorkingTime(unit) ? businessTimeBetween(calendar, a, b) : b.getTime() - a.getTime()
}

/** `at` moved later by `ms` of the time a clock of this unit counts. */
export function addTime(calendar: BusinessCalendar, unit: DurationUnit, at: Date, ms: number): Date {
  return countsWorkingTime(unit) ? addWorkingTime(calendar, at, ms) : new Date(at.getTime() + Math.round(ms))
}

/** Support hours of a policy (seed 002: 7x12 h telephone support). */
export interface SupportHours {
  from: string
  to: string
  everyDay: boolean
}

/**
 * The calendar a first-response clock runs on: the base calendar with its hours replaced by
 * the support hours; when support is every day (7x12), holidays and weekends count too.
 */
export function deriveSupportCalendar(base: BusinessCalendar, support: SupportHours): BusinessCalendar {
  const hours = [{ from: support.from, to: support.to }]
  if (!support.everyDay) return { ...base, id: `${base.id}+support`, workingHours: hours }
  return {
    ...base,
    id: `${base.id}+support`,
    name: `${base.name} (support ${support.from}–${support.to} every day)`,
    workingDays: [1, 2, 3, 4, 5, 6, 7],
    workingHours: hours,
    holidays: [],
    makeUpWorkingDays: [],
  }
}
