import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { WarrantyCase } from '../../contracts/case.ts'
import { aCase } from '../case-arbitraries.ts'
import { blankCaseFacts, CaseFactsTable, readCaseFacts } from './case-facts.ts'

/** A case with the facts the shared generator leaves fixed varied too: a serial, absent dates, missing items. */
const aVariedCase: fc.Arbitrary<WarrantyCase> = fc
  .record({
    input: aCase,
    serial: fc.option(fc.constantFrom('', 'SN-1', 'SN-2'), { nil: undefined }),
    noPurchaseDate: fc.boolean(),
    category: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
  })
  .map(({ input, serial, noPurchaseDate, category }) => {
    const varied = structuredClone(input)
    if (serial !== undefined) varied.product.serial = serial
    if (category === undefined) delete varied.product.category
    else varied.product.category = category
    if (noPurchaseDate) delete (varied.purchase as { purchasedOn?: string }).purchasedOn
    return varied
  })

describe('a table of case facts', () => {
  it('gives back the facts of each case it was given, read into one reused object in any order', () => {
    fc.assert(
      fc.property(
        fc.array(aVariedCase, { minLength: 1, maxLength: 12 }).chain((inputs) =>
          fc.tuple(
            fc.constant(inputs),
            fc.shuffledSubarray(
              inputs.map((_, i) => i),
              { minLength: inputs.length },
            ),
          ),
        ),
        ([inputs, order]) => {
          const table = new CaseFactsTable()
          for (const input of inputs) table.add(input)
          assert.equal(table.length, inputs.length)
          // One object for every read: a field the table forgets keeps the last case's value and fails.
          const into = blankCaseFacts()
          for (const i of order) assert.deepStrictEqual(table.readInto(i, into), readCaseFacts(inputs[i]!))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('keeps cases across the blocks it grows by', () => {
    const inputs = fc.sample(aVariedCase, { numRuns: 9_000, seed: 7 })
    const table = new CaseFactsTable()
    for (const input of inputs) table.add(input)
    const into = blankCaseFacts()
    for (let i = inputs.length - 1; i >= 0; i--) {
      assert.deepStrictEqual(table.readInto(i, into), readCaseFacts(inputs[i]!), `case ${i}`)
    }
  })
})
