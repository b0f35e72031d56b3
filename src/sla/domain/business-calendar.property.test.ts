import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { CN_MAINLAND, WEEKDAYS_UTC } from './builtin-calendars.ts'
import {
  addBusinessDuration,
  addWorkingTime,
  businessTimeBetween,
  type DurationUnit,
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
