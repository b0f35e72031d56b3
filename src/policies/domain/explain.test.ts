import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { Exclusion, Payers } from '../../contracts/decision.ts'
import {
  BASES,
  COSTS,
  EVIDENCE_KINDS,
  EXCLUSION_CODES_BEYOND_FINDINGS,
  FINDINGS,
  HANDLERS,
  PARTIES,
  REMEDIES,
  SERVICE_MODES,
} from '../../contracts/vocabulary.ts'
import { formatDay } from '../../shared/day-numbers.ts'
import { aroundSlot, type ExplanationShape, fillTemplate, writeExplanation } from './explain.ts'

const anExclusion: fc.Arbitrary<Exclusion> = fc.record(
  {
    code: fc.constantFrom(...EXCLUSION_CODES_BEYOND_FINDINGS, ...FINDINGS),
    clause: fc.constant('policy#clause'),
    blocks: fc.subarray([...REMEDIES], { minLength: 1 }),
  },
  { requiredKeys: ['code', 'clause'] },
)

const somePayers: fc.Arbitrary<Payers> = fc.record(
  Object.fromEntries(COSTS.map((cost) => [cost, fc.constantFrom(null, ...PARTIES)])) as Record<
    (typeof COSTS)[number],
    fc.Arbitrary<Payers[(typeof COSTS)[number]]>
  >,
)

/** Every shape of decision the engine could meet, and many it never does; one it accepts offers something. */
const aShape: fc.Arbitrary<ExplanationShape> = fc
  .record({
    covered: fc.boolean(),
    basis: fc.constantFrom(...BASES),
    provisional: fc.boolean(),
    remedies: fc.uniqueArray(fc.constantFrom(...REMEDIES), { maxLength: 3 }),
    exclusions: fc.array(anExclusion, { maxLength: 3 }),
    missingEvidence: fc.uniqueArray(fc.constantFrom(...EVIDENCE_KINDS), { maxLength: 2 }),
    payers: somePayers,
    handler: fc.constantFrom(...HANDLERS),
    service: fc.constantFrom(undefined, ...SERVICE_MODES),
    hasWarranty: fc.boolean(),
    windowEndKnown: fc.boolean(),
    warrantyUndated: fc.boolean(),
    inconsistentEvent: fc.constantFrom(
      undefined,
      'purchase' as const,
      'shipment' as const,
      'delivery' as const,
    ),
  })
  .filter((shape) => !shape.covered || shape.basis === 'none' || shape.remedies.length > 0)

/** A day number from 1970 to about 2100. */
const aDay = fc.integer({ min: 0, max: 47_000 })

describe('explanation templates', () => {
  test('a date joined between the words around it reads as the template filled in', () => {
    fc.assert(
      fc.property(aShape, aDay, fc.constantFrom(...[0, 1, 2, 3]), (shape, day, otherSlot) => {
        const template = writeExplanation(shape)
        if (template.onlySlot < 0) return
        const around = template.around
        // Every template of one date met in practice says it once per language, so decisions
        // join it in; a template that says it twice is filled in per decision instead.
        const values = ['', '', '', '']
        values[template.onlySlot] = formatDay(day)
        // A value in a slot the template does not use must change nothing.
        if (otherSlot !== template.onlySlot) values[otherSlot] = '9999-12-31'
        assert.equal(template.filled, undefined, 'words with a date are not kept whole')
        if (around === undefined) return
        assert.equal(around.enBefore + formatDay(day) + around.enAfter, fillTemplate(template.en, values))
        assert.equal(around.zhBefore + formatDay(day) + around.zhAfter, fillTemplate(template.zh, values))
      }),
      { numRuns: 2000 },
    )
  })

  test('the words around a date are found only where the date is said exactly once', () => {
    assert.deepEqual(aroundSlot({ en: ['Ends on ', 1, '.'], zh: ['于 ', 1, ' 结束。'] }), {
      enBefore: 'Ends on ',
      enAfter: '.',
      zhBefore: '于 ',
      zhAfter: ' 结束。',
    })
    assert.deepEqual(aroundSlot({ en: [1, ' is the day.'], zh: [1] }), {
      enBefore: '',
      enAfter: ' is the day.',
      zhBefore: '',
      zhAfter: '',
    })
    assert.equal(aroundSlot({ en: ['From ', 1, ' to ', 1, '.'], zh: ['于 ', 1, '。'] }), undefined)
    assert.equal(aroundSlot({ en: ['No date.'], zh: ['无日期。'] }), undefined)
  })
})
