import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Settings } from 'luxon'
import { CN_MAINLAND, WEEKDAYS_UTC } from './builtin-calendars.ts'
import {
  addBusinessDuration,
  type BusinessCalendar,
  type BusinessDuration,
  businessTimeBetween,
  deriveSupportCalendar,
  isWorkingDate,
  isWorkingTime,
} from './business-calendar.ts'
import { BERLIN, CN_WITH_LUNCH } from './test-calendars.ts'

const HOUR = 3_600_000

/** Local Shanghai time to an instant. */
const sh = (local: string) => new Date(`${local}+08:00`)

const deadlines: Array<{
  name: string
  calendar: BusinessCalendar
  start: Date
  duration: BusinessDuration
  due: string
}> = [
  {
    name: 'verify in 12 h: received Friday 17:00 Shanghai, due Saturday 05:00 (elapsed hours ignore the weekend)',
    calendar: CN_MAINLAND,
    start: sh('2025-03-14T17:00'),
    duration: { amount: 12, unit: 'hours' },
    due: '2025-03-14T21:00:00.000Z',
  },
  {
    name: 'back in 3 working days: decided Thursday 25 Sep 2025, Sunday 28 is a make-up day, due Monday 29 at close',
    calendar: CN_MAINLAND,
    start: sh('2025-09-25T15:00'),
    duration: { amount: 3, unit: 'working-days' },
    due: '2025-09-29T10:00:00.000Z',
  },
  {
    name: 'back in 3 working days: decided Tuesday 30 Sep 2025, National Day Oct 1–8 off, due Saturday 11 Oct (make-up) at close',
    calendar: CN_MAINLAND,
    start: sh('2025-09-30T10:00'),
    duration: { amount: 3, unit: 'working-days' },
    due: '2025-10-11T10:00:00.000Z',
  },
  {
    name: 'back in 3 working days: decided Thursday 24 Sep 2026 before Mid-Autumn Sep 25–27, due Wednesday 30 at close',
    calendar: CN_MAINLAND,
    start: sh('2026-09-24T11:00'),
    duration: { amount: 3, unit: 'working-days' },
    due: '2026-09-30T10:00:00.000Z',
  },
  {
    name: 'back in 3 working days: received on the make-up Saturday 11 Oct 2025, the start day never counts, due Wednesday 15',
    calendar: CN_MAINLAND,
    start: sh('2025-10-11T10:00'),
    duration: { amount: 3, unit: 'working-days' },
    due: '2025-10-15T10:00:00.000Z',
  },
  {
    name: '4 working hours from the make-up Saturday 11 Oct 2025 17:00: 1 h on Saturday, 3 h on Monday',
    calendar: CN_MAINLAND,
    start: sh('2025-10-11T17:00'),
    duration: { amount: 4, unit: 'working-hours' },
    due: '2025-10-13T04:00:00.000Z',
  },
  {
    name: '3 working days from Friday night 20:00: Monday, Tuesday, Wednesday at close',
    calendar: CN_MAINLAND,
    start: sh('2025-03-14T20:00'),
    duration: { amount: 3, unit: 'working-days' },
    due: '2025-03-19T10:00:00.000Z',
  },
  {
    name: '1 working day from New Year’s Eve 2025: Jan 1–3 2026 off, Sunday 4 Jan is a make-up day',
    calendar: CN_MAINLAND,
    start: sh('2025-12-31T10:00'),
    duration: { amount: 1, unit: 'working-days' },
    due: '2026-01-04T10:00:00.000Z',
  },
  {
    name: '8 working hours from Friday 13 Feb 2026 16:00: 2 h Friday, 6 h on make-up Saturday 14 before Spring Festival',
    calendar: CN_MAINLAND,
    start: sh('2026-02-13T16:00'),
    duration: { amount: 8, unit: 'working-hours' },
    due: '2026-02-14T07:00:00.000Z',
  },
  {
    name: '1 working day from Saturday 14 Feb 2026: Spring Festival Feb 15–23 off, due Tuesday 24 at close',
    calendar: CN_MAINLAND,
    start: sh('2026-02-14T10:00'),
    duration: { amount: 1, unit: 'working-days' },
    due: '2026-02-24T10:00:00.000Z',
  },
  {
    name: 'working hours across the lunch break: 11:00 + 2 h is 14:30',
    calendar: CN_WITH_LUNCH,
    start: sh('2025-03-10T11:00'),
    duration: { amount: 2, unit: 'working-hours' },
    due: '2025-03-10T06:30:00.000Z',
  },
  {
    name: 'a start inside the lunch break counts from 13:30',
    calendar: CN_WITH_LUNCH,
    start: sh('2025-03-10T12:15'),
    duration: { amount: 1, unit: 'working-hours' },
    due: '2025-03-10T06:30:00.000Z',
  },
  {
    name: 'a deadline that uses up the day lands on 18:00, not the next morning',
    calendar: CN_WITH_LUNCH,
    start: sh('2025-03-10T09:00'),
    duration: { amount: 7.5, unit: 'working-hours' },
    due: '2025-03-10T10:00:00.000Z',
  },
  {
    name: 'weekdays-utc: Friday 16:00 + 2 working hours is Monday 10:00',
    calendar: WEEKDAYS_UTC,
    start: new Date('2025-03-14T16:00:00Z'),
    duration: { amount: 2, unit: 'working-hours' },
    due: '2025-03-17T10:00:00.000Z',
  },
  {
    name: 'calendar days keep the local time across a daylight-saving change (Berlin, 23 h later)',
    calendar: BERLIN,
    start: new Date('2026-03-28T09:00:00Z'),
    duration: { amount: 1, unit: 'days' },
    due: '2026-03-29T08:00:00.000Z',
  },
  {
    name: 'working hours keep 09:00 local after the clocks go forward (Berlin)',
    calendar: BERLIN,
    start: new Date('2026-03-27T15:00:00Z'),
    duration: { amount: 2, unit: 'working-hours' },
    due: '2026-03-30T08:00:00.000Z',
  },
  {
    name: 'zero working days is the start itself',
    calendar: CN_MAINLAND,
    start: sh('2025-03-15T10:00'),
    duration: { amount: 0, unit: 'working-days' },
    due: '2025-03-15T02:00:00.000Z',
  },
]

describe('addBusinessDuration', () => {
  for (const row of deadlines) {
    test(row.name, () => {
      assert.equal(addBusinessDuration(row.calendar, row.start, row.duration).toISOString(), row.due)
    })
  }

  test('refuses negative and fractional day amounts', () => {
    assert.throws(
      () => addBusinessDuration(CN_MAINLAND, new Date(), { amount: -1, unit: 'hours' }),
      RangeError,
    )
    assert.throws(
      () => addBusinessDuration(CN_MAINLAND, new Date(), { amount: 1.5, unit: 'working-days' }),
      RangeError,
    )
  })

  test('a calendar without any working time fails instead of looping', () => {
    const never: BusinessCalendar = { ...WEEKDAYS_UTC, id: 'never', workingDays: [] }
    assert.throws(
      () => addBusinessDuration(never, new Date(), { amount: 1, unit: 'working-hours' }),
      RangeError,
    )
  })
})

describe('isWorkingTime and isWorkingDate', () => {
  const rows: Array<[string, BusinessCalendar, Date, boolean]> = [
    ['a plain Monday 10:00', CN_MAINLAND, sh('2025-03-10T10:00'), true],
    ['09:00 opens', CN_MAINLAND, sh('2025-03-10T09:00'), true],
    ['18:00 is closed (end is exclusive)', CN_MAINLAND, sh('2025-03-10T18:00'), false],
    ['National Day Wednesday 1 Oct 2025', CN_MAINLAND, sh('2025-10-01T10:00'), false],
    ['Oct 8 2025, the extra day off for Mid-Autumn', CN_MAINLAND, sh('2025-10-08T10:00'), false],
    ['the make-up Sunday 28 Sep 2025', CN_MAINLAND, sh('2025-09-28T10:00'), true],
    ['the make-up Sunday 26 Jan 2025 before Spring Festival', CN_MAINLAND, sh('2025-01-26T10:00'), true],
    ['an ordinary Saturday', CN_MAINLAND, sh('2025-03-15T10:00'), false],
    ['the lunch break', CN_WITH_LUNCH, sh('2025-03-10T12:30'), false],
    ['Monday 02:00 UTC is Monday 10:00 in Shanghai', CN_MAINLAND, new Date('2025-03-10T02:00:00Z'), true],
    ['Sunday 20:00 UTC is Monday 04:00 in Shanghai', CN_MAINLAND, new Date('2025-03-09T20:00:00Z'), false],
  ]
  for (const [name, calendar, at, expected] of rows) {
    test(name, () => assert.equal(isWorkingTime(calendar, at), expected))
  }

  test('2026 holidays and make-up days as officially announced', () => {
    const off = [
      '2026-01-02',
      '2026-02-16',
      '2026-02-23',
      '2026-04-06',
      '2026-05-05',
      '2026-06-19',
      '2026-09-25',
    ]
    const on = [
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
      '2026-10-08',
    ]
    for (const date of off) assert.equal(isWorkingDate(CN_MAINLAND, date), false, date)
    for (const date of on) assert.equal(isWorkingDate(CN_MAINLAND, date), true, date)
  })
})

describe('businessTimeBetween', () => {
  test('Friday 17:00 to Monday 10:00 is two working hours', () => {
    assert.equal(businessTimeBetween(CN_MAINLAND, sh('2025-03-14T17:00'), sh('2025-03-17T10:00')), 2 * HOUR)
  })
  test('is negative when the end comes first', () => {
    assert.equal(businessTimeBetween(CN_MAINLAND, sh('2025-03-17T10:00'), sh('2025-03-14T17:00')), -2 * HOUR)
  })
  test('skips the lunch break and a whole holiday week', () => {
    assert.equal(
      businessTimeBetween(CN_WITH_LUNCH, sh('2025-09-30T11:00'), sh('2025-10-09T14:00')),
      1 * HOUR + 4.5 * HOUR + 3 * HOUR + 0.5 * HOUR,
    )
  })
})

describe('support hours', () => {
  const support = deriveSupportCalendar(CN_MAINLAND, { from: '08:00', to: '20:00', everyDay: true })
  test('7x12 support answers on a public holiday and a Sunday', () => {
    assert.equal(isWorkingTime(support, sh('2025-10-01T19:30')), true)
    assert.equal(isWorkingTime(support, sh('2025-03-16T08:00')), true)
    assert.equal(isWorkingTime(support, sh('2025-03-16T20:00')), false)
  })
  test('a claim opened at 22:00 with 2 support hours is due at 10:00 next day', () => {
    assert.equal(
      addBusinessDuration(support, sh('2025-10-01T22:00'), {
        amount: 2,
        unit: 'working-hours',
      }).toISOString(),
      '2025-10-02T02:00:00.000Z',
    )
  })
  test('support hours on working days only keep the holidays', () => {
    const weekdays = deriveSupportCalendar(CN_MAINLAND, { from: '08:00', to: '20:00', everyDay: false })
    assert.equal(isWorkingTime(weekdays, sh('2025-10-01T10:00')), false)
    assert.equal(isWorkingTime(weekdays, sh('2025-10-09T19:00')), true)
  })
})

describe('hours that run past midnight', () => {
  // A night desk on the mainland calendar: 22:00 to 06:00 the next morning, on working days.
  const night = deriveSupportCalendar(CN_MAINLAND, { from: '22:00', to: '06:00', everyDay: false })

  test('the night belongs to the day it starts on: its being a working day decides it', () => {
    // Friday night runs into Saturday; Saturday night is off, so is Sunday's.
    assert.equal(isWorkingTime(night, sh('2025-03-15T03:00')), true)
    assert.equal(isWorkingTime(night, sh('2025-03-15T06:00')), false)
    assert.equal(isWorkingTime(night, sh('2025-03-16T03:00')), false)
    assert.equal(isWorkingTime(night, sh('2025-03-18T03:00')), true)
    // 30 September is a working day and 1 October a holiday: the first night of the holidays
    // is worked, the second is not.
    assert.equal(isWorkingTime(night, sh('2025-10-01T03:00')), true)
    assert.equal(isWorkingTime(night, sh('2025-10-02T03:00')), false)
  })

  test('8 working hours from Friday 23:00 are Friday night and one hour of Monday night', () => {
    const due = addBusinessDuration(night, sh('2025-03-14T23:00'), { amount: 8, unit: 'working-hours' })
    assert.equal(due.toISOString(), sh('2025-03-17T23:00').toISOString())
    assert.equal(businessTimeBetween(night, sh('2025-03-14T23:00'), due), 8 * HOUR)
    // Friday 20:00 to Saturday 20:00 holds Friday's whole night.
    assert.equal(businessTimeBetween(night, sh('2025-03-14T20:00'), sh('2025-03-15T20:00')), 8 * HOUR)
  })

  test("working days count from the night a moment belongs to: received at 03:00, it came in on the evening before's shift", () => {
    // Tuesday 03:00 is Monday's night; one working day on is the end of Tuesday's night.
    const due = addBusinessDuration(night, sh('2025-03-18T03:00'), { amount: 1, unit: 'working-days' })
    assert.equal(due.toISOString(), sh('2025-03-19T06:00').toISOString())
    // Tuesday 07:00 is in no night; Tuesday is its day, and Wednesday's night the one that counts.
    const later = addBusinessDuration(night, sh('2025-03-18T07:00'), { amount: 1, unit: 'working-days' })
    assert.equal(later.toISOString(), sh('2025-03-20T06:00').toISOString())
  })

  test('hours to 24:00 end where the next day starts', () => {
    const evenings = deriveSupportCalendar(CN_MAINLAND, { from: '18:00', to: '24:00', everyDay: true })
    assert.equal(isWorkingTime(evenings, sh('2025-03-16T23:59')), true)
    assert.equal(isWorkingTime(evenings, sh('2025-03-17T00:00')), false)
    assert.equal(businessTimeBetween(evenings, sh('2025-03-16T12:00'), sh('2025-03-17T12:00')), 6 * HOUR)
  })
})

describe('the hour the clocks show twice', () => {
  // Berlin goes back from 03:00 CEST to 02:00 CET on Sunday 26 October 2025 (01:00Z).
  const everyDay: BusinessCalendar = { ...BERLIN, workingDays: [1, 2, 3, 4, 5, 6, 7] }
  const nightDesk: BusinessCalendar = { ...everyDay, workingHours: [{ from: '02:30', to: '06:00' }] }
  /** The same computation as if run on a summer day and on a winter day. */
  const inBothSeasons = <T>(compute: () => T): [T, T] => {
    const now = Settings.now
    try {
      Settings.now = () => Date.parse('2026-07-01T12:00:00Z')
      const summer = compute()
      Settings.now = () => Date.parse('2026-12-01T12:00:00Z')
      return [summer, compute()]
    } finally {
      Settings.now = now
    }
  }

  test('a wall time shown twice is its first showing, whatever the season the deadline is computed in', () => {
    const [summer, winter] = inBothSeasons(() =>
      addBusinessDuration(everyDay, new Date('2025-10-25T00:50:00Z'), {
        amount: 1,
        unit: 'days',
      }).toISOString(),
    )
    // Saturday 02:50 CEST, one day on: the first 02:50 of Sunday, still in summer time.
    assert.equal(summer, '2025-10-26T00:50:00.000Z')
    assert.equal(winter, summer)
  })

  test('N days from a start in that hour: the same wall time N days on, never before an earlier start', () => {
    const days = (at: string, amount: number) =>
      addBusinessDuration(everyDay, new Date(at), { amount, unit: 'days' }).toISOString()
    // The first 02:50 (CEST) is due at 02:50 CET the next day: 25 hours, the day being that long.
    assert.equal(days('2025-10-26T00:50:00Z', 1), '2025-10-27T01:50:00.000Z')
    // The second 02:10 (CET) came in after it: due at 03:00, when the clocks went back, not at 02:10.
    assert.equal(days('2025-10-26T01:10:00Z', 1), '2025-10-27T02:00:00.000Z')
    assert.equal(days('2025-10-26T01:10:00Z', 3), '2025-10-29T02:00:00.000Z')
    // Past the repeated hour the wall time is the start's again.
    assert.equal(days('2025-10-26T02:10:00Z', 1), '2025-10-27T02:10:00.000Z')
    // No days: due at the start, not at the first showing of its wall time an hour before.
    assert.equal(days('2025-10-26T01:10:00Z', 0), '2025-10-26T01:10:00.000Z')
  })

  test('a span that starts in that hour starts at its first showing, whatever the season', () => {
    const [summer, winter] = inBothSeasons(() => [
      isWorkingTime(nightDesk, new Date('2025-10-26T00:40:00Z')),
      businessTimeBetween(nightDesk, new Date('2025-10-25T22:00:00Z'), new Date('2025-10-26T12:00:00Z')),
    ])
    // 02:30 CEST to 06:00 CET: the half hour to the change, the repeated hour, three more.
    assert.deepEqual(summer, [true, 4.5 * HOUR])
    assert.deepEqual(winter, summer)
  })
})

describe('calendars read again from storage', () => {
  // A server reads a claim's calendar from its row for every clock: a new object each time,
  // sometimes after staff changed it. What it counted for one reading must not answer another
  // that says something else.
  const copy = (calendar: BusinessCalendar): BusinessCalendar => structuredClone(calendar)

  test('a copy of the same calendar answers as the calendar does', () => {
    const start = new Date('2026-09-30T09:00:00Z')
    const duration: BusinessDuration = { amount: 3, unit: 'working-days' }
    const first = addBusinessDuration(CN_MAINLAND, start, duration)
    assert.deepEqual(addBusinessDuration(copy(CN_MAINLAND), start, duration), first)
    assert.equal(businessTimeBetween(copy(BERLIN), start, first), businessTimeBetween(BERLIN, start, first))
  })

  test('the same calendar with a holiday added counts the holiday, though its dates were counted before', () => {
    const start = new Date('2026-03-02T08:00:00Z') // a Monday, 09:00 in Berlin
    const duration: BusinessDuration = { amount: 2, unit: 'working-days' }
    const before = addBusinessDuration(copy(BERLIN), start, duration)
    assert.equal(isWorkingDate(copy(BERLIN), '2026-03-03'), true)
    const edited = { ...copy(BERLIN), holidays: [...BERLIN.holidays, '2026-03-03'] }
    assert.equal(isWorkingDate(edited, '2026-03-03'), false)
    const after = addBusinessDuration(edited, start, duration)
    assert.equal(after.getTime() - before.getTime(), 24 * HOUR)
    // and the calendar as it was still answers as before
    assert.deepEqual(addBusinessDuration(copy(BERLIN), start, duration), before)
  })

  test('the same calendar with other hours counts the new hours on dates already counted', () => {
    const start = new Date('2026-03-02T08:00:00Z')
    const hours: BusinessDuration = { amount: 4, unit: 'working-hours' }
    const usual = addBusinessDuration(copy(BERLIN), start, hours)
    const late = { ...copy(BERLIN), workingHours: [{ from: '12:00', to: '20:00' }] }
    assert.notDeepEqual(addBusinessDuration(late, start, hours), usual)
    assert.equal(isWorkingTime(late, new Date('2026-03-02T18:30:00Z')), true)
    assert.equal(isWorkingTime(copy(BERLIN), new Date('2026-03-02T18:30:00Z')), false)
  })
})
