import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { AppError } from './errors.ts'
import { parseWholeNumber } from './validate.ts'

const refusedNaming = (field: string) => (e: unknown) =>
  e instanceof AppError && e.field === field && e.message.startsWith(`${field}: must be a whole number`)

test('a whole number is read from decimal digits only, never from the other ways JavaScript writes numbers (generated)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 65535 }), (n) => {
      assert.equal(parseWholeNumber(String(n), '--port', { min: 0, max: 65535 }), n)
      assert.equal(parseWholeNumber(` ${n} `, '--port', { min: 0, max: 65535 }), n)
      for (const written of [
        `0x${n.toString(16)}`,
        `0b${n.toString(2)}`,
        `0o${n.toString(8)}`,
        `${n}.0`,
        `${n}e0`,
        `+${n}`,
      ])
        assert.throws(
          () => parseWholeNumber(written, '--port', { min: 0, max: 65535 }),
          refusedNaming('--port'),
        )
    }),
    { numRuns: 100 },
  )
  assert.equal(parseWholeNumber('-3', 'X', { min: -5 }), -3)
  for (const raw of ['1e3', '9007199254740993', '', ' ', 'Infinity'])
    assert.throws(() => parseWholeNumber(raw, '--limit', { min: 1 }), refusedNaming('--limit'), raw)
})
