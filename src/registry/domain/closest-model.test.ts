import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { closestModel, editDistance } from './closest-model.ts'
import { normalizeModelKey } from './model-key.ts'

const catalogue = ['Ares-M PRO', 'Ares-C PRO', 'Poseidon-M PRO', 'Filter Wheel 7x36'].map((name) => ({
  key: normalizeModelKey(name),
  name,
}))

describe('closestModel', () => {
  test('suggests the model one typo away', () => {
    assert.equal(closestModel('Ares-M PR0', catalogue), 'Ares-M PRO')
    assert.equal(closestModel('posiedon m pro', catalogue), 'Poseidon-M PRO')
  })

  test('suggests nothing for a name unlike any model', () => {
    assert.equal(closestModel('Zeus', catalogue), undefined)
    assert.equal(closestModel('', catalogue), undefined)
    assert.equal(closestModel('Ares-M PRO', []), undefined)
  })

  test('a known name written any way suggests itself', () => {
    fc.assert(
      fc.property(fc.constantFrom(...catalogue), fc.boolean(), (model, upper) => {
        const written = upper ? model.name.toUpperCase().replace(/-/g, ' ') : model.name.toLowerCase()
        assert.equal(closestModel(written, catalogue), model.name)
      }),
    )
  })
})

describe('editDistance', () => {
  test('is a metric: zero on itself, symmetric, triangle inequality', () => {
    const word = fc.string({ maxLength: 12 })
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        assert.equal(editDistance(a, a), 0)
        assert.equal(editDistance(a, b), editDistance(b, a))
        assert.ok(editDistance(a, c) <= editDistance(a, b) + editDistance(b, c))
        assert.ok(editDistance(a, b) <= Math.max(a.length, b.length))
      }),
    )
  })

  test('the cut-off never hides a distance within the limit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), fc.nat(6), (a, b, limit) => {
        const exact = editDistance(a, b)
        const cut = editDistance(a, b, limit)
        assert.equal(exact <= limit ? cut : cut > limit, exact <= limit ? exact : true)
      }),
    )
  })
})
