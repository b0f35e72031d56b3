import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { isCalendarDate, noonOfCalendarDate, withReadableDates } from './calendar-date.ts'

const mark = (day: string) => `<${day}>`

test('a date standing in text is rewritten; a code holding one, or a day that does not exist, is not', () => {
  assert.equal(
    withReadableDates('From 2026-01-01 to 2026-02-28 (2028-02-29), until 2026-03-01.', mark),
    'From <2026-01-01> to <2026-02-28> (<2028-02-29>), until <2026-03-01>.',
  )
  for (const kept of [
    'SN-2026-01-15',
    '2026-01-15-B',
    'x2026-01-15',
    '2026-01-150',
    '2026-02-30',
    '2027-02-29',
  ])
    assert.equal(withReadableDates(`see ${kept} now`, mark), `see ${kept} now`)
  assert.equal(withReadableDates('2026年2026-04-13日', mark), '2026年<2026-04-13>日')
})

test('every real day is a calendar date and reads back as itself; others are none', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
      (at) => {
        const day = at.toISOString().slice(0, 10)
        assert.ok(isCalendarDate(day))
        assert.equal(noonOfCalendarDate(day)?.toISOString().slice(0, 10), day)
        assert.equal(withReadableDates(`on ${day}.`, mark), `on <${day}>.`)
      },
    ),
  )
  for (const none of ['2026-13-01', '2026-00-10', '2026-04-31', '26-04-01', '2026-4-01'])
    assert.equal(isCalendarDate(none), false, none)
})
