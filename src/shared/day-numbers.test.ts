import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { addDays, civilFromDay, dayOfDate, daysBetween, formatDay, parseDay } from './day-numbers.ts'

const DAY_MS = 86_400_000
/** Days from 1000-01-01 to 9999-12-31: every date written with four digits of year. */
const anyDay = fc.integer({ min: -354_285, max: 2_932_896 })
const utcDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10)

describe('calendar days as numbers', () => {
  test('read and write dates as the calendar has them, inside the table of years and outside it (generated)', () => {
    fc.assert(
      fc.property(anyDay, (day) => {
        const text = utcDate(day)
        assert.equal(parseDay(text), day)
        assert.equal(formatDay(day), text)
        const { year, month, day: dayOfMonth } = civilFromDay(day)
        assert.equal(dayOfDate(year, month, dayOfMonth), day)
      }),
    )
  })

  test('count days on the calendar, across month, year and leap-day ends (generated)', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: -5_000, max: 5_000 }), (day, days) => {
        fc.pre(day + days >= -354_285 && day + days <= 2_932_896)
        const from = utcDate(day)
        const to = addDays(from, days)
        assert.equal(to, utcDate(day + days))
        assert.equal(daysBetween(from, to), days)
        assert.equal(addDays(to, -days), from)
      }),
    )
  })

  test('know the leap days', () => {
    assert.equal(addDays('2024-02-28', 1), '2024-02-29')
    assert.equal(addDays('2023-02-28', 1), '2023-03-01')
    assert.equal(addDays('2100-02-28', 1), '2100-03-01')
    assert.equal(addDays('2000-02-28', 1), '2000-02-29')
    assert.equal(daysBetween('2026-12-31', '2026-01-01'), -364)
  })
})
