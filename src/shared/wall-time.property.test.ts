import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import fc from 'fast-check'
import { IANAZone, Settings } from 'luxon'
import { addDays } from './day-numbers.ts'
import { startOfLocalDay } from './wall-time.ts'

/**
 * Where a date begins in a zone whose clocks skip or repeat midnight. SLA clocks started by an
 * event count from the end of its day and reports select claims by their policy's days, both
 * through `startOfLocalDay`; an hour off there dates a claim on the wrong day.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** Zones that change their clocks at midnight (skipping it, or showing it twice), and one that does not. */
const ZONES = [
  'America/Havana',
  'America/Santiago',
  'Asia/Beirut',
  'Africa/Cairo',
  'America/Asuncion',
  'Europe/Berlin',
]

const format = (timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
const dateIn = (timeZone: string, ms: number) => format(timeZone).format(new Date(ms))

/** The local dates on which the zone changed its clocks in 2020–2035, and the dates either side. */
function changeDays(timeZone: string): string[] {
  const offsets = IANAZone.create(timeZone)
  const days = new Set<string>()
  for (let t = Date.UTC(2020, 0, 1); t < Date.UTC(2036, 0, 1); t += 6 * HOUR) {
    if (offsets.offset(t) === offsets.offset(t + 6 * HOUR)) continue
    const day = dateIn(timeZone, t + 6 * HOUR)
    for (const d of [-1, 0, 1]) days.add(addDays(day, d))
  }
  return [...days]
}
const CHANGE_DAYS = new Map(ZONES.map((zone) => [zone, changeDays(zone)]))

/**
 * The oracle, by brute force: the first whole minute whose local date is `day`. Offsets and
 * their changes are whole minutes since 1972, so the first instant of a date is a whole minute.
 */
function firstMinuteOf(day: string, timeZone: string): number {
  const formatter = format(timeZone)
  const utcMidnight = Date.parse(`${day}T00:00:00Z`)
  for (let t = utcMidnight - 15 * HOUR; t <= utcMidnight + 15 * HOUR; t += MINUTE)
    if (formatter.format(new Date(t)) === day) return t
  throw new Error(`${day} never begins in ${timeZone}`)
}

const zoneAndDay = fc.constantFrom(...ZONES).chain((zone) =>
  fc.tuple(
    fc.constant(zone),
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...(CHANGE_DAYS.get(zone) ?? [])) },
      {
        weight: 1,
        arbitrary: fc
          .date({
            min: new Date(Date.UTC(2020, 0, 1)),
            max: new Date(Date.UTC(2035, 11, 31)),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString().slice(0, 10)),
      },
    ),
  ),
)

/** The day the code runs on: luxon read an ambiguous local time by the zone's offset at that moment. */
const runsOn = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 0, 1) })

describe('the start of a local day', () => {
  const realNow = Settings.now
  after(() => {
    Settings.now = realNow
  })

  test('is the first instant whose local date is that day, and no instant of that day comes before it', () => {
    fc.assert(
      fc.property(zoneAndDay, runsOn, fc.integer({ min: 0, max: 26 * 60 }), ([zone, day], now, minutes) => {
        Settings.now = () => now
        const start = startOfLocalDay(day, zone).getTime()
        assert.equal(dateIn(zone, start), day, `${day} in ${zone} starts at ${new Date(start).toISOString()}`)
        assert.equal(start, firstMinuteOf(day, zone), `${day} in ${zone}`)
        // Every instant of the day is at or after its start.
        const instant = firstMinuteOf(day, zone) + minutes * MINUTE
        if (dateIn(zone, instant) === day) assert.ok(start <= instant)
      }),
      { numRuns: 300 },
    )
  })

  test('midnight shown twice or skipped, read in winter and in summer alike', () => {
    for (const now of [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)]) {
      Settings.now = () => now
      // Havana goes back from 01:00 to 00:00: midnight comes first at 04:00 UTC.
      assert.equal(startOfLocalDay('2026-11-01', 'America/Havana').toISOString(), '2026-11-01T04:00:00.000Z')
      // Havana and Santiago go forward from 00:00 to 01:00: the day begins at the jump.
      assert.equal(startOfLocalDay('2026-03-08', 'America/Havana').toISOString(), '2026-03-08T05:00:00.000Z')
      assert.equal(
        startOfLocalDay('2026-09-06', 'America/Santiago').toISOString(),
        '2026-09-06T04:00:00.000Z',
      )
      // Beirut goes back from 00:00 to 23:00 the day before: the hour before midnight repeats, not midnight.
      assert.equal(startOfLocalDay('2026-10-25', 'Asia/Beirut').toISOString(), '2026-10-24T22:00:00.000Z')
    }
  })
})
