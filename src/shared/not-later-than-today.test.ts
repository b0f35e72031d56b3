import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { AppError } from './errors.ts'
import { localDate } from './local-date.ts'
import { isLaterThanToday, latestToday, refuseLaterThanToday } from './not-later-than-today.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Kiritimati has kept UTC+14 since it skipped 31 December 1994. */
const SINCE = Date.UTC(1995, 0, 2)

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)

/**
 * Instants at the times of day where an answer could turn: each side of UTC midnight, each
 * side of 10:00 UTC (midnight at UTC+14), midday, and anywhere in between.
 */
const instant = fc
  .tuple(
    fc.integer({ min: 0, max: Math.floor((Date.UTC(2040, 0, 1) - SINCE) / DAY) }),
    fc.oneof(
      fc.constantFrom(0, 1, DAY - 1, 10 * HOUR - 1, 10 * HOUR, 10 * HOUR + 1, 12 * HOUR),
      fc.integer({ min: 0, max: DAY - 1 }),
    ),
  )
  .map(([day, ms]) => new Date(SINCE + day * DAY + ms))

const ZONES = [
  'Etc/GMT+12',
  'Pacific/Pago_Pago',
  'America/Los_Angeles',
  'UTC',
  'Asia/Kolkata',
  'Asia/Shanghai',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Tongatapu',
  'Pacific/Kiritimati',
]

describe('not later than today', () => {
  test('the day turns at 10:00 UTC, midnight where it is latest', () => {
    assert.equal(latestToday(new Date('2026-03-01T09:59:59.999Z')), '2026-03-01')
    assert.equal(latestToday(new Date('2026-03-01T10:00:00.000Z')), '2026-03-02')
    assert.equal(latestToday('2026-12-31T23:00:00.000Z'), '2027-01-01')
    assert.equal(isLaterThanToday('2026-03-02', '2026-03-01T09:59:59.999Z'), true)
    assert.equal(isLaterThanToday('2026-03-02', '2026-03-01T10:00:00.000Z'), false)
    assert.equal(isLaterThanToday('2026-03-03', '2026-03-01T23:59:59.999Z'), true)
  })

  test('a day around the UTC date is later than today exactly when it is after the date at UTC+14', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -2, max: 2 }), (at, offset) => {
        const day = addDays(at.toISOString().slice(0, 10), offset)
        const latest = new Date(at.getTime() + 14 * HOUR).toISOString().slice(0, 10)
        assert.equal(isLaterThanToday(day, at), day > latest, `${day} at ${at.toISOString()}`)
        assert.equal(isLaterThanToday(day, at.toISOString()), day > latest)
      }),
      { numRuns: 2000 },
    )
  })

  test("no one's own today is refused, wherever they are, and the day after the latest is", () => {
    fc.assert(
      fc.property(instant, (at) => {
        for (const zone of ZONES) assert.equal(isLaterThanToday(localDate(at, zone), at), false, zone)
        assert.equal(isLaterThanToday(addDays(latestToday(at), 1), at), true)
      }),
      { numRuns: 500 },
    )
  })

  test('a refusal is a validation error naming the field, in the catalogue', () => {
    const at = '2026-03-01T12:00:00.000Z'
    assert.doesNotThrow(() => refuseLaterThanToday('paidOn', '2026-03-02', at))
    assert.throws(
      () => refuseLaterThanToday('paidOn', '2026-03-03', at),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'validation' &&
        error.field === 'paidOn' &&
        error.text?.key === 'validation.not-future' &&
        error.text.params?.field === 'paidOn',
    )
  })
})
