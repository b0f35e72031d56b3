import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { createSharedJsonValues } from './checked-json.ts'

describe('JSON texts parsed once and shared', () => {
  test('any texts, in any order, under any bound: the value equals a fresh parse, and the bound holds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 600 }),
        (values, bound) => {
          const shared = createSharedJsonValues({ maxChars: bound })
          for (const value of [...values, ...values]) {
            const text = JSON.stringify(value)
            assert.deepEqual(shared.parse(text), JSON.parse(text))
            assert.ok(shared.size() <= bound, `${shared.size()} characters held, bound ${bound}`)
          }
        },
      ),
    )
  })

  test('readers of one text share one value that nobody can change in place', () => {
    const shared = createSharedJsonValues({ maxChars: 10_000 })
    const text = JSON.stringify({ covered: true, remedies: ['repair'], payers: { parts: 'vendor' } })
    const first = shared.parse<{ covered: boolean; remedies: string[]; payers: { parts: string } }>(text)
    // Another string object with the same characters, as a row read again holds.
    assert.equal(shared.parse(`${text} `.trimEnd()), first)
    assert.throws(() => {
      first.covered = false
    }, TypeError)
    assert.throws(() => first.remedies.push('refund'), TypeError)
    assert.throws(() => {
      first.payers.parts = 'customer'
    }, TypeError)
    assert.equal(shared.parse<typeof first>(text).covered, true)
  })

  test('a text that is not JSON fails its reader and is not kept', () => {
    const shared = createSharedJsonValues({ maxChars: 10_000 })
    assert.throws(() => shared.parse('{"covered":'), SyntaxError)
    assert.equal(shared.size(), 0)
  })
})
