import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { nameWarningReference, readWarningReference } from './warning-reference.ts'

test('a reference curve read back from the name the report gives it is the same curve', () => {
  const month = fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }))
    .map(([y, m]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`)
  const curve = fc.oneof(
    month.map((before) => ({ kind: 'history' as const, before })),
    fc.constant({ kind: 'other-batches' as const }),
    fc.constant({ kind: 'all-data' as const }),
  )
  fc.assert(fc.property(curve, (c) => assert.deepEqual(readWarningReference(nameWarningReference(c)), c)))
  assert.deepEqual(readWarningReference('a curve of another kind'), { kind: 'curve' })
})
