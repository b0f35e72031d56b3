import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { claimIdPrefixOf, claimNumberOf } from './claim-number.ts'

describe('claim numbers', () => {
  it('the number of an id, typed in any case with spaces around it, names the start of that id', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.boolean(),
        fc.stringMatching(/^[ \t]{0,3}$/),
        fc.stringMatching(/^[ \t]{0,3}$/),
        (id, lower, before, after) => {
          const number = claimNumberOf(id)
          const typed = `${before}${lower ? number.toLowerCase() : number}${after}`
          assert.equal(claimIdPrefixOf(typed), id.slice(0, 8))
          assert.ok(id.startsWith(claimIdPrefixOf(typed) ?? '-'))
        },
      ),
    )
  })

  it('reads a number typed in full-width characters', () => {
    assert.equal(claimIdPrefixOf('Ｃ－０ＣＡ９Ｅ５４Ａ'), '0ca9e54a')
  })

  it('an id, or anything but C- and eight hex digits, is not a number', () => {
    for (const text of [
      randomUUID(),
      'C-0CA9E54',
      'C-0CA9E54AB',
      'C0CA9E54A',
      'C-0CA9E54G',
      'X-0CA9E54A',
      '',
    ])
      assert.equal(claimIdPrefixOf(text), undefined, text)
  })
})
