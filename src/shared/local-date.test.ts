import assert from 'node:assert/strict'
import { test } from 'node:test'
import { localDate } from './local-date.ts'

test('an instant falls on the calendar date of the policy time zone', () => {
  const instant = new Date('2026-03-01T17:30:00Z')
  assert.equal(localDate(instant, 'UTC'), '2026-03-01')
  assert.equal(localDate(instant, 'Asia/Shanghai'), '2026-03-02')
  assert.equal(localDate(instant, 'America/Los_Angeles'), '2026-03-01')
  assert.equal(localDate(new Date('2026-01-01T03:00:00Z'), 'America/New_York'), '2025-12-31')
})
