import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { levelOfClock, readSlaLevel } from './sla-level.ts'

const HOUR = 3_600_000
const instants = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) })

describe('the level a due time is shown at', () => {
  test('a clock paused while the claim waits on the customer is never shown overdue for the time it stood', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 60 * 24 * HOUR }), (due, waited) => {
        const now = due + waited
        assert.notEqual(readSlaLevel(new Date(due).toISOString(), 'paused', now), 'breached')
      }),
    )
  })

  test('an open clock is shown as the server coloured it, due soon exactly from red, whatever the time now; paused late is late', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('running', 'paused', 'breached'),
        fc.constantFrom('green', 'amber', 'red', 'breached'),
        instants,
        instants,
        (status, colour, due, now) => {
          const level = readSlaLevel(new Date(due).toISOString(), levelOfClock({ status, colour }), now)
          const expected =
            colour === 'breached'
              ? 'breached'
              : status === 'paused'
                ? 'paused'
                : colour === 'red'
                  ? 'warning'
                  : 'ok'
          assert.equal(level, expected)
        },
      ),
    )
  })
})
