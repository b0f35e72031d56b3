import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { localDate } from './local-date.ts'

test('an instant falls on the calendar date of the policy time zone', () => {
  const instant = new Date('2026-03-01T17:30:00Z')
  assert.equal(localDate(instant, 'UTC'), '2026-03-01')
  assert.equal(localDate(instant, 'Asia/Shanghai'), '2026-03-02')
  assert.equal(localDate(instant, 'America/Los_Angeles'), '2026-03-01')
  assert.equal(localDate(new Date('2026-01-01T03:00:00Z'), 'America/New_York'), '2025-12-31')
})

test('reusing the last date within a minute answers as formatting afresh, across midnights and DST changes', () => {
  const zones = [
    'UTC',
    'Asia/Shanghai',
    'America/New_York',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
  ]
  const fresh = (instant: Date, timeZone: string) =>
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      instant,
    )
  // Instants clustered around local midnights (and the seconds either side), in sequence.
  const instant = fc
    .tuple(
      fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2040, 0, 1) }),
      fc.integer({ min: -90_000, max: 90_000 }),
    )
    .map(([day, ms]) => new Date(Math.floor(day / 900_000) * 900_000 + ms))
  fc.assert(
    fc.property(
      fc.array(fc.tuple(instant, fc.constantFrom(...zones)), { minLength: 1, maxLength: 30 }),
      (calls) => {
        for (const [at, zone] of calls)
          assert.equal(localDate(at, zone), fresh(at, zone), `${at.toISOString()} ${zone}`)
      },
    ),
    { numRuns: 300 },
  )
})
