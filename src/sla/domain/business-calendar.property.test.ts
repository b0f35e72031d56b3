import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { DateTime } from 'luxon'
import { CN_MAINLAND, WEEKDAYS_UTC } from './builtin-calendars.ts'
import {
  addBusinessDuration,
  addWorkingTime,
  type BusinessCalendar,
  businessTimeBetween,
  type DurationUnit,
  deriveSupportCalendar,
  findWorklessStretch,
  isWorkingDate,
  isWorkingTime,
  MAX_DAYS_WITHOUT_WORK,
  type Weekday,
} from './business-calendar.ts'
import { BERLIN, CN_WITH_LUNCH } from './test-calendars.ts'

const MINUTE = 60_000

const calendars = fc.constantFrom(CN_MAINLAND, CN_WITH_LUNCH, BERLIN, WEEKDAYS_UTC)
/** Instants over the two years the mainland holiday list covers, to the minute. */
const instants = fc
  .integer({ min: Date.UTC(2025, 0, 1) / MINUTE, max: Date.UTC(2026, 11, 31) / MINUTE })
  .map((minutes) => new Date(minutes * MINUTE))
const units = fc.constantFrom<DurationUnit>('hours', 'days', 'working-hours', 'working-days')
const amounts = fc.integer({ min: 0, max: 40 })

describe('calendar arithmetic invariants', () => {
  test('a due moment is never before its start', () => {
    fc.assert(
      fc.property(calendars, instants, units, amounts, (calendar, start, unit, amount) => {
        assert.ok(addBusinessDuration(calendar, start, { amount, unit }) >= start)
      }),
    )
  })

  test('adding a then b working minutes equals adding a + b', () => {
    fc.assert(
      fc.property(
        calendars,
        instants,
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        (calendar, start, a, b) => {
          const once = addWorkingTime(calendar, start, (a + b) * MINUTE)
          const twice = addWorkingTime(calendar, addWorkingTime(calendar, start, a * MINUTE), b * MINUTE)
          assert.equal(twice.toISOString(), once.toISOString())
        },
      ),
    )
  })

  test('a later start never gives an earlier due moment (zones without daylight saving)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(CN_MAINLAND, CN_WITH_LUNCH, WEEKDAYS_UTC),
        instants,
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        units,
        amounts,
        (calendar, start, laterBy, unit, amount) => {
          const later = new Date(start.getTime() + laterBy * MINUTE)
          assert.ok(
            addBusinessDuration(calendar, later, { amount, unit }) >=
              addBusinessDuration(calendar, start, { amount, unit }),
          )
        },
      ),
    )
  })

  test('the working time between a start and its working-hours due is exactly the amount', () => {
    fc.assert(
      fc.property(calendars, instants, fc.integer({ min: 0, max: 200 }), (calendar, start, hours) => {
        const due = addBusinessDuration(calendar, start, { amount: hours, unit: 'working-hours' })
        assert.equal(businessTimeBetween(calendar, start, due), hours * 60 * MINUTE)
      }),
    )
  })

  test('working time between is additive over a midpoint', () => {
    fc.assert(
      fc.property(calendars, instants, instants, instants, (calendar, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date]
        assert.equal(
          businessTimeBetween(calendar, a, b) + businessTimeBetween(calendar, b, c),
          businessTimeBetween(calendar, a, c),
        )
      }),
      { numRuns: 50 },
    )
  })
})

/**
 * Support that runs to midnight every day, in zones whose clocks change at local midnight
 * (Santiago, Cairo) or in the night (New York, Sydney): the day then has no 00:00, or two.
 */
const toMidnight = (timeZone: string): BusinessCalendar =>
  deriveSupportCalendar(
    { ...WEEKDAYS_UTC, id: `evenings-${timeZone}`, timeZone },
    { from: '18:00', to: '24:00', everyDay: true },
  )
const midnightCalendars = fc.constantFrom(
  ...['America/Santiago', 'Africa/Cairo', 'America/New_York', 'Australia/Sydney'].map(toMidnight),
)
/** Within two days of a change at midnight in Santiago (April, September) or Cairo (April, October). */
const aroundMidnightChanges = fc
  .tuple(
    fc.constantFrom(
      '2025-04-06T03:00Z',
      '2025-09-07T04:00Z',
      '2025-04-24T22:00Z',
      '2025-10-30T21:00Z',
      '2025-11-02T06:00Z',
      '2025-10-05T16:00Z',
    ),
    fc.integer({ min: -48 * 60, max: 48 * 60 }),
  )
  .map(([at, minutes]) => new Date(Date.parse(at) + minutes * MINUTE))

describe('hours that end at midnight', () => {
  test('a due moment lies in working time, or closes it, also on a day without a midnight', () => {
    fc.assert(
      fc.property(
        midnightCalendars,
        aroundMidnightChanges,
        fc.constantFrom<DurationUnit>('working-hours', 'working-days'),
        fc.integer({ min: 1, max: 12 }),
        (calendar, start, unit, amount) => {
          const due = addBusinessDuration(calendar, start, { amount, unit })
          assert.ok(isWorkingTime(calendar, new Date(due.getTime() - 1)), due.toISOString())
          if (unit === 'working-hours') {
            assert.equal(businessTimeBetween(calendar, start, due), amount * 60 * MINUTE)
          }
        },
      ),
    )
  })
})

/** `YYYY-MM-DD` of the day `offset` days after 2025-01-01. */
const dayAt = (offset: number) => new Date(Date.UTC(2025, 0, 1 + offset)).toISOString().slice(0, 10)

/** Calendars closed for long blocks of days, some just under the limit, some just over it. */
const closedCalendars = fc
  .record({
    workingDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    blocks: fc.array(
      fc.record({
        start: fc.integer({ min: 0, max: 1200 }),
        length: fc.oneof(
          fc.integer({ min: 0, max: 900 }),
          fc.integer({ min: MAX_DAYS_WITHOUT_WORK - 8, max: MAX_DAYS_WITHOUT_WORK + 2 }),
        ),
      }),
      { maxLength: 3 },
    ),
    makeUp: fc.array(fc.integer({ min: 0, max: 2100 }), { maxLength: 3 }),
  })
  .map(({ workingDays, blocks, makeUp }): BusinessCalendar => {
    const holidays = new Set(
      blocks.flatMap(({ start, length }) => Array.from({ length }, (_, i) => dayAt(start + i))),
    )
    return {
      ...WEEKDAYS_UTC,
      workingDays: workingDays as Weekday[],
      holidays: [...holidays].sort(),
      makeUpWorkingDays: makeUp.map(dayAt).filter((date) => !holidays.has(date)),
    }
  })

describe('calendars with long closures', () => {
  test('a calendar has a workless stretch exactly when some run of days off is longer than a clock counts across', () => {
    fc.assert(
      fc.property(closedCalendars, (calendar) => {
        let longest = 0
        let run = 0
        for (let offset = -10; offset < 2200; offset += 1) {
          run = isWorkingDate(calendar, dayAt(offset)) ? 0 : run + 1
          longest = Math.max(longest, run)
        }
        assert.equal(findWorklessStretch(calendar) !== undefined, longest > MAX_DAYS_WITHOUT_WORK)
      }),
      { numRuns: 60 },
    )
  })

  test('across the longest closure a calendar may have, a deadline is still counted; one day more and none is', () => {
    const closedFor = (days: number): BusinessCalendar => ({
      ...WEEKDAYS_UTC,
      workingDays: [1, 2, 3, 4, 5, 6, 7],
      holidays: Array.from({ length: days }, (_, i) => dayAt(i)),
    })
    const start = new Date('2024-12-31T23:00:00Z')
    const longest = closedFor(MAX_DAYS_WITHOUT_WORK)
    assert.equal(findWorklessStretch(longest), undefined)
    const due = addBusinessDuration(longest, start, { amount: 1, unit: 'working-days' })
    assert.equal(due.toISOString().slice(0, 10), dayAt(MAX_DAYS_WITHOUT_WORK))
    addBusinessDuration(longest, start, { amount: 1, unit: 'working-hours' })
    const tooLong = closedFor(MAX_DAYS_WITHOUT_WORK + 1)
    assert.equal(findWorklessStretch(tooLong), '2025-01-01')
    assert.throws(() => addBusinessDuration(tooLong, start, { amount: 1, unit: 'working-hours' }), RangeError)
  })
})

/**
 * Zones whose clocks skip an hour in the night (Berlin, New York), skip half an hour (Lord
 * Howe), or skip the hour after midnight (Santiago), with a day or two around each change.
 */
const skippingZones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago']
const aroundSkips = fc
  .tuple(
    fc.constantFrom(
      '2025-03-30T01:00Z', // Berlin, 02:00 → 03:00
      '2025-03-09T07:00Z', // New York, 02:00 → 03:00
      '2025-10-04T15:00Z', // Lord Howe, 02:00 → 02:30
      '2025-09-07T04:00Z', // Santiago, 00:00 → 01:00
    ),
    // Mostly the hours around the change and the same hours a day before, which one day
    // later fall into the skip.
    fc.oneof(
      fc.integer({ min: -25.5 * 60, max: -22.5 * 60 }),
      fc.integer({ min: -90, max: 90 }),
      fc.integer({ min: -50 * 60, max: 26 * 60 }),
    ),
    fc.integer({ min: 0, max: MINUTE - 1 }),
  )
  .map(([at, minutes, ms]) => new Date(Date.parse(at) + minutes * MINUTE + ms))

/** Minutes after local midnight that a wall clock in the zone shows at an instant. */
const wallMinutes = (timeZone: string, at: Date): number => {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at)
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return part('hour') * 60 + part('minute')
}

describe('days on which the clocks skip forward', () => {
  test('a later start never gives an earlier due moment, whatever the unit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...skippingZones),
        aroundSkips,
        fc.integer({ min: 0, max: 90 * MINUTE }),
        units,
        fc.integer({ min: 0, max: 2 }),
        (timeZone, start, laterBy, unit, amount) => {
          const calendar: BusinessCalendar = { ...WEEKDAYS_UTC, id: `skips-${timeZone}`, timeZone }
          const later = new Date(start.getTime() + laterBy)
          const first = addBusinessDuration(calendar, start, { amount, unit })
          const second = addBusinessDuration(calendar, later, { amount, unit })
          assert.ok(second >= first, `${unit} ${amount}: ${later.toISOString()} due ${second.toISOString()}`)
        },
      ),
      { numRuns: 1000 },
    )
  })

  test('a moment counts as working time only when the wall clock then shows a working hour', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...skippingZones),
        aroundSkips,
        fc.constantFrom('00:30', '01:00', '02:00', '02:15', '03:00'),
        fc.constantFrom('00:45', '01:30', '02:15', '02:45', '03:30', '24:00'),
        (timeZone, at, from, to) => {
          fc.pre(from < to)
          const calendar: BusinessCalendar = {
            ...WEEKDAYS_UTC,
            id: `night-${timeZone}`,
            timeZone,
            workingDays: [1, 2, 3, 4, 5, 6, 7],
            workingHours: [{ from, to }],
          }
          if (!isWorkingTime(calendar, at)) return
          const wall = wallMinutes(timeZone, at)
          const [fromMinutes, toMinutes] = [from, to].map(
            (t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)),
          )
          assert.ok(
            (fromMinutes as number) <= wall && wall < (toMinutes as number),
            `${at.toISOString()} shows ${Math.floor(wall / 60)}:${wall % 60} in ${timeZone}, outside ${from}–${to}`,
          )
        },
      ),
      { numRuns: 1000 },
    )
  })
})

/**
 * Zones whose clocks go back an hour in the night (Berlin, New York), half an hour (Lord Howe),
 * two hours (Troll), or at midnight (Santiago, Havana): mostly starts in the time shown twice.
 */
const aroundRepeats = fc
  .tuple(
    fc.constantFrom(
      ['Europe/Berlin', '2025-10-26T01:00Z', 60],
      ['America/New_York', '2025-11-02T06:00Z', 60],
      ['Australia/Lord_Howe', '2025-04-05T15:00Z', 30],
      ['Antarctica/Troll', '2025-10-26T01:00Z', 120],
      ['America/Santiago', '2025-04-06T03:00Z', 60],
      ['America/Havana', '2025-11-02T05:00Z', 60],
    ),
    fc.integer({ min: -150, max: 150 }),
    fc.integer({ min: 0, max: MINUTE - 1 }),
  )
  .map(([[timeZone, at, length], minutes, ms]) => ({
    timeZone: timeZone as string,
    // Within the length of the repeat of the change, either side, and a day before it.
    start: new Date(Date.parse(at as string) + (minutes % (2 * (length as number))) * MINUTE + ms),
  }))

describe('days on which the clocks go back', () => {
  test('a later start never gives an earlier due moment, whatever the unit; none is due before its start', () => {
    fc.assert(
      fc.property(
        aroundRepeats,
        fc.integer({ min: 0, max: 150 * MINUTE }),
        units,
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        ({ timeZone, start }, laterBy, unit, amount, dayBefore) => {
          const calendar: BusinessCalendar = {
            ...WEEKDAYS_UTC,
            id: `repeats-${timeZone}`,
            timeZone,
            workingDays: [1, 2, 3, 4, 5, 6, 7],
          }
          const first = dayBefore ? new Date(start.getTime() - 24 * 60 * MINUTE) : start
          const later = new Date(first.getTime() + laterBy)
          const due = addBusinessDuration(calendar, first, { amount, unit })
          const laterDue = addBusinessDuration(calendar, later, { amount, unit })
          assert.ok(due >= first, `${unit} ${amount}: ${first.toISOString()} due ${due.toISOString()}`)
          assert.ok(
            laterDue >= due,
            `${unit} ${amount}: ${later.toISOString()} due ${laterDue.toISOString()}`,
          )
        },
      ),
      { numRuns: 1000 },
    )
  })
})

/** Calendars as an office might write them: any zone, any working days and hours, holidays anywhere. */
const writtenCalendars = fc
  .record({
    timeZone: fc.constantFrom(
      'Asia/Shanghai',
      'Europe/Berlin',
      'America/New_York',
      'America/Santiago',
      'Australia/Lord_Howe',
      'UTC',
    ),
    workingDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    // Boundaries on the half hour, paired into spans in order: 00:00 to 24:00.
    cuts: fc.uniqueArray(fc.integer({ min: 0, max: 48 }), { minLength: 2, maxLength: 4 }),
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 700 }), { maxLength: 60 }),
  })
  .map(({ timeZone, workingDays, cuts, holidays }): BusinessCalendar => {
    const sorted = [...cuts].sort((a, b) => a - b)
    const at = (halfHours: number) =>
      `${String(Math.floor(halfHours / 2)).padStart(2, '0')}:${halfHours % 2 ? '30' : '00'}`
    const workingHours = []
    for (let i = 0; i + 1 < sorted.length; i += 2)
      workingHours.push({ from: at(sorted[i] as number), to: at(sorted[i + 1] as number) })
    return {
      id: `written-${timeZone}`,
      name: 'written',
      timeZone,
      workingDays: workingDays as Weekday[],
      workingHours,
      holidays: holidays.map(dayAt).sort(),
      makeUpWorkingDays: [],
    }
  })

describe('calendars as written', () => {
  test('N working days after an event end on a working date of that calendar, never on a day off', () => {
    fc.assert(
      fc.property(writtenCalendars, instants, fc.integer({ min: 1, max: 15 }), (calendar, start, amount) => {
        const due = addBusinessDuration(calendar, start, { amount, unit: 'working-days' })
        assert.ok(due > start)
        const lastWorked = new Date(due.getTime() - 1)
        assert.ok(isWorkingTime(calendar, lastWorked), `${due.toISOString()} closes working time`)
      }),
      { numRuns: 300 },
    )
  })

  test('one more holiday never makes a deadline earlier, whatever the unit', () => {
    fc.assert(
      fc.property(
        writtenCalendars,
        instants,
        units,
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 700 }),
        (calendar, start, unit, amount, extra) => {
          const more = { ...calendar, holidays: [...calendar.holidays, dayAt(extra)] }
          assert.ok(
            addBusinessDuration(more, start, { amount, unit }) >=
              addBusinessDuration(calendar, start, { amount, unit }),
          )
        },
      ),
      { numRuns: 300 },
    )
  })
})

/**
 * Night desks in zones whose clocks change: a span from the evening into the next morning
 * (22:00–06:00), sometimes after a day span, on any working days, with holidays anywhere.
 */
const nightZones = [
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'Africa/Cairo',
  'Australia/Lord_Howe',
  'Australia/Sydney',
]
const halfHour = (halfHours: number) =>
  `${String(Math.floor(halfHours / 2)).padStart(2, '0')}:${halfHours % 2 ? '30' : '00'}`
const nightCalendars = fc
  .record({
    timeZone: fc.constantFrom(...nightZones),
    workingDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    // The night starts between 16:00 and 23:30 and ends between 00:30 and 10:00.
    nightFrom: fc.integer({ min: 32, max: 47 }),
    nightTo: fc.integer({ min: 1, max: 20 }),
    day: fc.option(
      fc.record({ after: fc.integer({ min: 0, max: 4 }), before: fc.integer({ min: 0, max: 4 }) }),
    ),
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 700 }), { maxLength: 60 }),
  })
  .map(({ timeZone, workingDays, nightFrom, nightTo, day, holidays }): BusinessCalendar => {
    const workingHours = []
    // A day span between the night's end and its next start, at least half an hour long.
    if (day && nightFrom - day.before - (nightTo + day.after) >= 1)
      workingHours.push({ from: halfHour(nightTo + day.after), to: halfHour(nightFrom - day.before) })
    workingHours.push({ from: halfHour(nightFrom), to: halfHour(nightTo) })
    return {
      id: `night-${timeZone}`,
      name: 'night desk',
      timeZone,
      workingDays: workingDays as Weekday[],
      workingHours,
      holidays: holidays.map(dayAt).sort(),
      makeUpWorkingDays: [],
    }
  })
/** Within two days of a change of the clocks in the night zones, forward and back. */
const aroundChanges = fc
  .tuple(
    fc.constantFrom(
      '2025-03-30T01:00Z', // Berlin forward
      '2025-10-26T01:00Z', // Berlin back
      '2025-03-09T07:00Z', // New York forward
      '2025-11-02T06:00Z', // New York back
      '2025-09-07T04:00Z', // Santiago forward at midnight
      '2025-04-06T03:00Z', // Santiago back
      '2025-04-24T22:00Z', // Cairo forward at midnight
      '2025-10-30T21:00Z', // Cairo back
      '2025-10-04T15:00Z', // Lord Howe forward half an hour
      '2025-04-05T16:00Z', // Sydney back
    ),
    fc.integer({ min: -48 * 60, max: 48 * 60 }),
    fc.integer({ min: 0, max: MINUTE - 1 }),
  )
  .map(([at, minutes, ms]) => new Date(Date.parse(at) + minutes * MINUTE + ms))
const nightInstants = fc.oneof(aroundChanges, instants)

describe('hours that run past midnight, where clocks change', () => {
  test('working time across a night equals the time before midnight plus the time after it', () => {
    fc.assert(
      fc.property(
        nightCalendars,
        nightInstants,
        fc.integer({ min: 0, max: 30 * 60 }),
        (calendar, a, length) => {
          const c = new Date(a.getTime() + length * MINUTE)
          // The first moment of the date after a's, where the night is cut in two.
          const midnight = DateTime.fromJSDate(a, { zone: calendar.timeZone })
            .plus({ days: 1 })
            .startOf('day')
          const m = new Date(Math.min(midnight.toMillis(), c.getTime()))
          assert.equal(
            businessTimeBetween(calendar, a, m) + businessTimeBetween(calendar, m, c),
            businessTimeBetween(calendar, a, c),
          )
        },
      ),
      { numRuns: 400 },
    )
  })

  test('a deadline is never inside non-working time: the moment before it is worked', () => {
    fc.assert(
      fc.property(
        nightCalendars,
        nightInstants,
        fc.constantFrom<DurationUnit>('working-hours', 'working-days'),
        fc.integer({ min: 1, max: 30 }),
        (calendar, start, unit, amount) => {
          const due = addBusinessDuration(calendar, start, { amount, unit })
          assert.ok(due > start)
          assert.ok(
            isWorkingTime(calendar, new Date(due.getTime() - 1)),
            `${unit} ${amount}: ${due.toISOString()}`,
          )
          if (unit === 'working-hours')
            assert.equal(businessTimeBetween(calendar, start, due), amount * 60 * MINUTE)
        },
      ),
      { numRuns: 400 },
    )
  })

  test('adding working time is monotonic: in the time added, and in the start for every unit', () => {
    fc.assert(
      fc.property(
        nightCalendars,
        nightInstants,
        fc.integer({ min: 0, max: 3 * 24 * 60 * MINUTE }),
        fc.integer({ min: 0, max: 3 * 24 * 60 * MINUTE }),
        fc.integer({ min: 0, max: 20 * 60 * MINUTE }),
        fc.constantFrom<DurationUnit>('hours', 'days', 'working-hours', 'working-days'),
        fc.integer({ min: 0, max: 10 }),
        (calendar, start, x, y, laterBy, unit, amount) => {
          const [less, more] = x <= y ? [x, y] : [y, x]
          assert.ok(addWorkingTime(calendar, start, less) <= addWorkingTime(calendar, start, more))
          const later = new Date(start.getTime() + laterBy)
          const first = addBusinessDuration(calendar, start, { amount, unit })
          const second = addBusinessDuration(calendar, later, { amount, unit })
          assert.ok(second >= first, `${unit} ${amount}: ${later.toISOString()} due ${second.toISOString()}`)
        },
      ),
      { numRuns: 400 },
    )
  })

  test('a moment is worked only when the wall clock shows the night of a working date, or its day span', () => {
    fc.assert(
      fc.property(nightCalendars, nightInstants, (calendar, at) => {
        // In the hour the clocks repeat, a span that starts in it starts at its first showing,
        // and the second time round the wall clock shows times before the span's start.
        const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone: calendar.timeZone }).offset
        fc.pre(offsetAt(at.getTime() - 3 * 60 * MINUTE) <= offsetAt(at.getTime() + 3 * 60 * MINUTE))
        if (!isWorkingTime(calendar, at)) return
        const local = DateTime.fromJSDate(at, { zone: calendar.timeZone })
        const wall = local.hour * 60 + local.minute
        const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))
        const night = calendar.workingHours[calendar.workingHours.length - 1] as { from: string; to: string }
        const day = calendar.workingHours.length > 1 ? calendar.workingHours[0] : undefined
        const today = local.toISODate() as string
        const yesterday = local.minus({ days: 1 }).toISODate() as string
        const shown =
          (isWorkingDate(calendar, today) &&
            (wall >= toMinutes(night.from) ||
              (day !== undefined && toMinutes(day.from) <= wall && wall < toMinutes(day.to)))) ||
          (isWorkingDate(calendar, yesterday) && wall < toMinutes(night.to))
        assert.ok(shown, `${at.toISOString()} shows ${local.toFormat('HH:mm')} on ${today}`)
      }),
      { numRuns: 600 },
    )
  })
})
