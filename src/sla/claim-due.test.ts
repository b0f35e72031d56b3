import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { inQueueOrder } from './claim-due.ts'

const instants = fc.constantFrom(
  '2025-03-15T05:00:00.000Z',
  '2025-03-15T09:00:00.000Z',
  '2025-03-16T05:00:00.000Z',
)
/** A claim's clocks, one per kind, often due or stopped at the same moment. */
const clocksOfClaims = fc
  .array(
    fc.tuple(
      fc.constantFrom('C-1', 'C-2'),
      fc.constantFrom('first-response', 'verify', 'forward', 'return'),
      fc.constantFrom('running', 'paused', 'breached', 'met', 'cancelled'),
      instants,
      fc.option(instants, { nil: null }),
    ),
    { maxLength: 8 },
  )
  .map((tuples) =>
    tuples
      .filter(([claim, kind], i) => tuples.findIndex(([c, k]) => c === claim && k === kind) === i)
      .map(([claim_id, kind, status, due_at, stopped_at]) => ({
        claim_id,
        kind,
        status,
        due_at,
        stopped_at,
      })),
  )

test('the clock a claim shows in the work queue does not depend on the order the database returns them', () => {
  fc.assert(
    fc.property(
      clocksOfClaims.chain((rows) =>
        fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length })),
      ),
      ([rows, shuffled]) => {
        const shown = (list: typeof rows) => {
          const picked = new Map<string, string>()
          for (const row of inQueueOrder(list))
            if (!picked.has(row.claim_id)) picked.set(row.claim_id, row.kind)
          return [...picked.entries()].sort()
        }
        assert.deepEqual(shown(shuffled), shown(rows))
      },
    ),
  )
})
