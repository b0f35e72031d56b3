import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { DateTime, IANAZone } from 'luxon'
import { firstInstantAtWallTime } from '../../shared/wall-time.ts'
import {
  addBusinessDuration,
  addWorkingTime,
  type BusinessCalendar,
  businessTimeBetween,
  type DurationUnit,
  isWorkingDate,
  isWorkingTime,
  type Weekday,
  type WorkingHours,
} from './business-calendar.ts'
import { dueAfterPauses, planDeadlines, resumeDeadlines, timeLeft } from './clock-rules.ts'

/**
 * Calendars in any zone the runtime knows, with hours as offices write them (a lunch break,
 * a night desk, a day to 24:00), started mostly within hours of a change of the clocks or of a
 * holiday. What holds for every clock of every calendar, whatever the zone does.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Zones that change their clocks in unusual ways, beside every zone the runtime lists. */
const NOTABLE_ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Shanghai',
  'Australia/Lord_Howe',
  'Australia/Sydney',
  'America/Santiago',
  'America/Havana',
  'Africa/Cairo',
  'Antarctica/Troll',
  'Asia/Gaza',
  'Pacific/Chatham',
  'America/Asuncion',
]
const zones = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NOTABLE_ZONES) },
  { weight: 1, arbitrary: fc.constantFrom(...Intl.supportedValuesOf('timeZone')) },
)

const FROM = Date.UTC(2025, 0, 1)
const TO = Date.UTC(2026, 11, 31)

const transitionsByZone = new Map<string, number[]>()
/** The instants in 2025–2026 at which the zone's offset changes. */
function transitionsOf(zone: string): number[] {
  const known = transitionsByZone.get(zone)
  if (known) return known
  const offsets = IANAZone.create(zone)
  const found: number[] = []
  for (let t = FROM; t < TO; t += 6 * HOUR) {
    if (offsets.offset(t) === offsets.offset(t + 6 * HOUR)) continue
    let before = t
    let after = t + 6 * HOUR
    while (after - before > 1000) {
      const middle = Math.floor((before + after) / 2)
      if (offsets.offset(middle) === offsets.offset(t)) before = middle
      else after = middle
    }
    found.push(after)
  }
  transitionsByZone.set(zone, found)
  return found
}

/** An instant in 2025–2026: near a change of the zone's clocks when it has one, or anywhere. */
const instantsIn = (zone: string) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.nat(),
          // Mostly within the hours the clocks skip or repeat, sometimes a day or so either side.
          fc.oneof(
            { weight: 3, arbitrary: fc.integer({ min: -150, max: 150 }) },
            { weight: 1, arbitrary: fc.integer({ min: -30 * 60, max: 30 * 60 }) },
          ),
          fc.integer({ min: 0, max: MINUTE - 1 }),
        )
        .map(([pick, minutes, ms]) => {
          const changes = transitionsOf(zone)
          const at =
            changes.length > 0 ? (changes[pick % changes.length] as number) : FROM + (pick % 700) * DAY
          return new Date(at + minutes * MINUTE + ms)
        }),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: FROM, max: TO }).map((ms) => new Date(ms)),
    },
  )

const clockTime = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

/**
 * Sorted spans on the quarter hour, the last possibly to 24:00; or with a night span last,
 * from the evening past midnight, ending no later than the first span starts.
 */
const workingHours = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 2, maxLength: 6 }),
    fc.option(fc.tuple(fc.integer({ min: 1, max: 95 }), fc.integer({ min: 0, max: 95 }))),
  )
  .map(([cuts, night]): WorkingHours[] => {
    const sorted = [...cuts].sort((a, b) => a - b).map((q) => q * 15)
    const spans: Array<[number, number]> = []
    for (let i = 0; i + 1 < sorted.length; i += 2) spans.push([sorted[i] as number, sorted[i + 1] as number])
    if (night) {
      // A night from after the last day span to before the first one starts.
      const lastEnd = spans.length > 0 ? (spans[spans.length - 1] as [number, number])[1] : 0
      const firstStart = spans.length > 0 ? (spans[0] as [number, number])[0] : 24 * 60
      const from = Math.max(night[0] * 15, lastEnd)
      const to = Math.min(night[1] * 15, firstStart)
      if (from < 24 * 60 && to < from && to > 0) spans.push([from, to])
    }
    return spans.map(([from, to]) => ({ from: clockTime(from), to: clockTime(to) }))
  })
  .filter((spans) => spans.length > 0)

const calendars = fc
  .record({
    timeZone: zones,
    workingDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    workingHours,
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 730 }), { maxLength: 40 }),
    makeUpWorkingDays: fc.uniqueArray(fc.integer({ min: 0, max: 730 }), { maxLength: 10 }),
  })
  .map(({ timeZone, workingDays, workingHours, holidays, makeUpWorkingDays }): BusinessCalendar => {
    const date = (d: number) => new Date(FROM + d * DAY).toISOString().slice(0, 10)
    return {
      id: `generated-${timeZone}`,
      name: 'generated',
      timeZone,
      workingDays: [...workingDays].sort() as Weekday[],
      workingHours,
      holidays: holidays.map(date).sort(),
      // A date is a holiday or a make-up working day, never both (the calendar body refuses it).
      makeUpWorkingDays: makeUpWorkingDays
        .filter((d) => !holidays.includes(d))
        .map(date)
        .sort(),
    }
  })

const withStart = calendars.chain((calendar) =>
  fc.tuple(fc.constant(calendar), instantsIn(calendar.timeZone)),
)
const units = fc.constantFrom<DurationUnit>('hours', 'days', 'working-hours', 'working-days')
const RUNS = { numRuns: Number(process.env.SLA_RUNS ?? 300) }

describe('any zone, any hours: deadlines', () => {
  test('a due moment is never before its start, nor earlier for a later start', () => {
    fc.assert(
      fc.property(
        withStart,
        units,
        fc.integer({ min: 0, max: 12 }),
        fc.oneof(fc.integer({ min: 0, max: 2 * HOUR }), fc.integer({ min: 0, max: 6 * HOUR })),
        ([calendar, start], unit, amount, laterBy) => {
          const due = addBusinessDuration(calendar, start, { amount, unit })
          const later = new Date(start.getTime() + laterBy)
          const laterDue = addBusinessDuration(calendar, later, { amount, unit })
          assert.ok(due >= start, `${unit} ${amount} from ${start.toISOString()}: ${due.toISOString()}`)
          assert.ok(
            laterDue >= due,
            `${unit} ${amount} from ${later.toISOString()}: ${laterDue.toISOString()}`,
          )
        },
      ),
      RUNS,
    )
  })

  test('a deadline in working units never lands inside a closed period: the moment before it is worked', () => {
    fc.assert(
      fc.property(
        withStart,
        fc.constantFrom<DurationUnit>('working-hours', 'working-days'),
        fc.integer({ min: 1, max: 12 }),
        ([calendar, start], unit, amount) => {
          const due = addBusinessDuration(calendar, start, { amount, unit })
          assert.ok(
            isWorkingTime(calendar, new Date(due.getTime() - 1)),
            `${unit} ${amount}: ${due.toISOString()}`,
          )
          if (unit === 'working-hours') assert.equal(businessTimeBetween(calendar, start, due), amount * HOUR)
        },
      ),
      RUNS,
    )
  })

  test('working time between two moments is never negative, and adds up over a moment between them', () => {
    fc.assert(
      fc.property(
        withStart,
        fc.integer({ min: 0, max: 3 * DAY }),
        fc.integer({ min: 0, max: 3 * DAY }),
        ([calendar, a], x, y) => {
          const b = new Date(a.getTime() + x)
          const c = new Date(b.getTime() + y)
          const ab = businessTimeBetween(calendar, a, b)
          const bc = businessTimeBetween(calendar, b, c)
          assert.ok(ab >= 0 && bc >= 0)
          assert.ok(ab <= x, `${ab} worked in ${x}`)
          assert.equal(ab + bc, businessTimeBetween(calendar, a, c))
        },
      ),
      RUNS,
    )
  })

  test('a pause of X working time, then the resumption, moves the due moment by exactly X working time', () => {
    fc.assert(
      fc.property(
        withStart,
        fc.constantFrom<DurationUnit>('working-hours', 'working-days'),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 2 * DAY }),
        fc.integer({ min: 0, max: 2 * DAY }),
        ([calendar, start], unit, amount, before, length) => {
          const plan = planDeadlines(calendar, start, { amount, unit })
          const from = new Date(start.getTime() + before)
          const to = new Date(from.getTime() + length)
          const paused = businessTimeBetween(calendar, from, to)
          const { dueAt, pausedMs } = dueAfterPauses(
            calendar,
            unit,
            { startedAt: start, dueAt: plan.dueAt },
            [{ from, to }],
          )
          assert.equal(pausedMs, paused)
          assert.ok(dueAt >= plan.dueAt)
          assert.equal(businessTimeBetween(calendar, plan.dueAt, dueAt), paused)
          if (paused > 0)
            assert.ok(isWorkingTime(calendar, new Date(dueAt.getTime() - 1)), dueAt.toISOString())
          assert.equal(addWorkingTime(calendar, plan.dueAt, paused).getTime(), dueAt.getTime())
        },
      ),
      RUNS,
    )
  })
})

/** The local date of an instant in a zone, and the date after a local date. */
const dateIn = (zone: string, at: Date) => DateTime.fromJSDate(at, { zone }).toISODate() as string
const dayAfter = (date: string) =>
  DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate() as string

describe('any zone, any hours: adding working time', () => {
  test('adding a then b equals adding a + b; the result is worked up to it and never earlier for more time', () => {
    fc.assert(
      fc.property(
        withStart,
        fc.integer({ min: 0, max: 40 * HOUR }),
        fc.integer({ min: 0, max: 40 * HOUR }),
        ([calendar, start], a, b) => {
          const once = addWorkingTime(calendar, start, a + b)
          const first = addWorkingTime(calendar, start, a)
          const twice = addWorkingTime(calendar, first, b)
          const shown = `${a} then ${b} from ${start.toISOString()}`
          assert.equal(twice.toISOString(), once.toISOString(), shown)
          assert.ok(first <= once, shown)
          if (a > 0) assert.ok(isWorkingTime(calendar, new Date(first.getTime() - 1)), shown)
          assert.equal(businessTimeBetween(calendar, start, first), a, shown)
        },
      ),
      RUNS,
    )
  })
})

describe('any zone, any hours: working days and pauses', () => {
  test('N working days after a start end on the Nth working date after its date, at that date’s close', () => {
    fc.assert(
      fc.property(withStart, fc.integer({ min: 1, max: 10 }), ([calendar, start], amount) => {
        const due = addBusinessDuration(calendar, start, { amount, unit: 'working-days' })
        // A start inside a night span came in on the shift of the date that span started on.
        const localDate = dateIn(calendar.timeZone, start)
        const dateBefore = DateTime.fromISO(localDate, { zone: 'UTC' })
          .minus({ days: 1 })
          .toISODate() as string
        const startDate = startsNightShiftAround(calendar, dateBefore, start) ? dateBefore : localDate
        // Counted the plain way: each date after the start date whose weekday works and is no holiday.
        let counted = 0
        let date = startDate
        let lastWorking = startDate
        for (let guard = 0; counted < amount && guard < 400; guard++) {
          date = dayAfter(date)
          if (isWorkingDate(calendar, date) && closeOf(calendar, date) !== undefined) {
            counted += 1
            lastWorking = date
          }
        }
        assert.equal(counted, amount)
        assert.equal(due.getTime(), closeOf(calendar, lastWorking), `${amount} from ${start.toISOString()}`)
        assert.ok(!calendar.holidays.includes(lastWorking), `${lastWorking} is a holiday`)
      }),
      RUNS,
    )
  })

  test('pausing and resuming never changes the time a clock has left, whatever the unit and zone', () => {
    fc.assert(
      fc.property(
        withStart,
        units,
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 4 * DAY }),
        ([calendar, start], unit, amount, share, length) => {
          const plan = planDeadlines(calendar, start, { amount, unit })
          // A pause while the clock still runs, at or before its due moment.
          const pausedAt = new Date(
            start.getTime() + Math.floor((plan.dueAt.getTime() - start.getTime()) * share),
          )
          const resumedAt = new Date(pausedAt.getTime() + length)
          const leftWhenPaused = timeLeft(calendar, unit, { dueAt: plan.dueAt, pausedAt }, resumedAt)
          const resumed = resumeDeadlines(
            calendar,
            unit,
            { dueAt: plan.dueAt, warnAt: plan.warnAt, pausedAt },
            resumedAt,
          )
          const leftWhenResumed = timeLeft(
            calendar,
            unit,
            { dueAt: resumed.dueAt, pausedAt: null },
            resumedAt,
          )
          // Plus zero: no time left either side of a due moment is 0 one way and -0 the other.
          assert.equal(
            leftWhenResumed + 0,
            leftWhenPaused + 0,
            `${unit} ${amount}, paused ${pausedAt.toISOString()}`,
          )
          assert.ok(resumed.dueAt >= plan.dueAt && resumed.warnAt >= plan.warnAt)
        },
      ),
      RUNS,
    )
  })
})

/** The moment a working date closes (the latest end of its spans), or undefined on a day off. */
function closeOf(calendar: BusinessCalendar, date: string): number | undefined {
  if (!isWorkingDate(calendar, date)) return undefined
  let close: number | undefined
  for (const { from, to } of calendar.workingHours) {
    const toDate = to <= from ? dayAfter(date) : date
    const fromAt = wallInstant(calendar.timeZone, date, from)
    const end = wallInstant(calendar.timeZone, toDate, to)
    if (end > fromAt && (close === undefined || end > close)) close = end
  }
  return close
}

/** Whether `at` lies in the night span that starts on `date`. */
function startsNightShiftAround(calendar: BusinessCalendar, date: string, at: Date): boolean {
  if (!isWorkingDate(calendar, date)) return false
  return calendar.workingHours.some(({ from, to }) => {
    if (to > from || to === '24:00') return false
    const s = wallInstant(calendar.timeZone, date, from)
    const e = wallInstant(calendar.timeZone, dayAfter(date), to)
    return s <= at.getTime() && at.getTime() < e
  })
}

/** The first instant the zone's clocks show `time` on `date` (the next date's start for 24:00). */
function wallInstant(zone: string, date: string, time: string): number {
  if (time === '24:00') return wallInstant(zone, dayAfter(date), '00:00')
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const [hour, minute] = time.split(':').map(Number) as [number, number]
  return firstInstantAtWallTime(zone, { year, month, day, hour, minute })
}
