import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
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
