import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { reliabilityQuerySchema } from '../../../src/reliability/reliability.schemas.ts'
import { formatTerm, readIsoTerm, TERM_MAX, TERM_UNITS, toIsoTerm } from './warranty-term.ts'

const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 0) || 500

test('a typed term is a duration the report accepts, and reads back as typed; a longer one makes none', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40_000 }), fc.constantFrom(...TERM_UNITS), (count, unit) => {
      const iso = toIsoTerm(count, unit)
      const longest = `P${TERM_MAX[unit]}${unit === 'years' ? 'Y' : unit === 'months' ? 'M' : 'D'}`
      assert.ok(reliabilityQuerySchema.safeParse({ model: 'm', term: longest }).success, longest)
      if (count > TERM_MAX[unit]) {
        assert.equal(iso, null, `${count} ${unit}`)
        return
      }
      assert.ok(iso)
      assert.ok(reliabilityQuerySchema.safeParse({ model: 'm', term: iso }).success, iso)
      assert.deepEqual(readIsoTerm(iso), { count, unit })
    }),
    { numRuns: RUNS },
  )
})

test('a count that is not a whole number above zero makes no term', () => {
  for (const typed of ['', ' ', '0', '-3', '2.5', '3年', 'three', '1e3']) {
    assert.equal(toIsoTerm(typed, 'years'), null, typed)
  }
})

test('years with months read as months; days only alone; nothing else reads as a term', () => {
  assert.deepEqual(readIsoTerm('P1Y6M'), { count: 18, unit: 'months' })
  assert.deepEqual(readIsoTerm('P0Y6M'), { count: 6, unit: 'months' })
  assert.deepEqual(readIsoTerm('P90D'), { count: 90, unit: 'days' })
  for (const other of ['P', 'P1Y30D', 'P0Y', 'P0D', '3 years', '', null, undefined]) {
    assert.equal(readIsoTerm(other), null, String(other))
  }
})

test('a term is said in words in the reader’s language, never as a duration code', () => {
  assert.equal(formatTerm('P3Y', 'en'), '3 years')
  assert.equal(formatTerm('P1Y', 'en'), '1 year')
  assert.equal(formatTerm('P18M', 'en'), '18 months')
  assert.equal(formatTerm('P3Y', 'zh-CN'), '3年')
  assert.equal(formatTerm('P18M', 'zh-CN'), '18个月')
  assert.equal(formatTerm('P90D', 'zh-CN'), '90天')
})
