import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { daysBetween } from '../shared/day-numbers.ts'
import { localDate } from '../shared/local-date.ts'
import { quoteValidUntil } from './send-quote.ts'

describe('how long a quote holds', () => {
  test('counts its days where the policy counts them', () => {
    // 01:00 on 2 December in Shanghai; still 1 December in UTC.
    const sentAt = '2026-12-01T17:00:00.000Z'
    assert.equal(quoteValidUntil(sentAt, 30, 'Asia/Shanghai'), '2027-01-01')
    assert.equal(quoteValidUntil(sentAt, 30, 'UTC'), '2026-12-31')
  })

  test('agrees between zones once both have turned the day', () => {
    const sentAt = '2026-12-01T09:00:00.000Z'
    assert.equal(quoteValidUntil(sentAt, 14, 'Asia/Shanghai'), '2026-12-15')
    assert.equal(quoteValidUntil(sentAt, 14, 'UTC'), '2026-12-15')
  })
})

describe('how long a quote holds across a change of the clocks', () => {
  test('ends on the same calendar day whether or not a clock goes forward in between', () => {
    // 23:30 on 6 March 2026 in New York (EST); the clocks go forward on 8 March.
    const sentAt = '2026-03-07T04:30:00.000Z'
    assert.equal(quoteValidUntil(sentAt, 2, 'America/New_York'), '2026-03-08')
    assert.equal(quoteValidUntil(sentAt, 30, 'America/New_York'), '2026-04-05')
  })

  test('ends on the same calendar day when a clock goes back in between', () => {
    // 00:30 on 31 October 2026 in New York (EDT); the clocks go back on 1 November.
    const sentAt = '2026-10-31T04:30:00.000Z'
    assert.equal(quoteValidUntil(sentAt, 2, 'America/New_York'), '2026-11-02')
  })

  test('is the day it was sent, counted on by the days, in any zone (generated)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 365 }),
        fc.constantFrom(
          'UTC',
          'Asia/Shanghai',
          'America/New_York',
          'Europe/Berlin',
          'Australia/Sydney',
          'America/Santiago',
        ),
        (sent, days, zone) => {
          const validUntil = quoteValidUntil(sent.toISOString(), days, zone)
          assert.equal(daysBetween(localDate(sent, zone), validUntil), days)
        },
      ),
    )
  })
})
