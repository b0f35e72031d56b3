import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { addDays } from '../../shared/day-numbers.ts'
import { instantNearLocalMidnight } from '../../shared/near-local-midnight.test-support.ts'
import { submittedAfterDeadline } from './submission-deadline.ts'

test('a submission is late exactly when its day in the deadline’s zone is after the deadline', () => {
  fc.assert(
    fc.property(
      instantNearLocalMidnight,
      fc.integer({ min: -2, max: 2 }),
      ({ timeZone, at, localDay }, shift) => {
        const deadline = addDays(localDay, shift)
        assert.equal(submittedAfterDeadline(at, deadline, [timeZone]), localDay > deadline)
      },
    ),
    { numRuns: 300 },
  )
})
