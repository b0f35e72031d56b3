import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { WarrantyCase } from '../contracts/case.ts'
import type { Decision } from '../contracts/decision.ts'
import { COSTS } from '../contracts/vocabulary.ts'
import { formatDay, parseDay } from '../shared/day-numbers.ts'
import { aCase } from './case-arbitraries.ts'
import { loadPolicyLibrary } from './load-policies.ts'

/**
 * Properties every shipped policy keeps, whatever its seed: the customer's warranty never
 * counts silently from before they bought the unit, and a repair charged within the warranty
 * never costs the customer more than the same repair after it.
 */
const library = loadPolicyLibrary()
const RUNS = { numRuns: 600 }

const inconsistent = (decision: Decision): boolean =>
  decision.exclusions.some((exclusion) => exclusion.code === 'inconsistent-dates')

/** A case whose activation, shipment or delivery may fall before its purchase. */
const aCaseWithDatesAround = fc
  .record({
    base: aCase,
    astro: fc.boolean(),
    activation: fc.option(fc.integer({ min: -400, max: 400 }), { nil: undefined }),
    shipment: fc.option(fc.integer({ min: -60, max: 30 }), { nil: undefined }),
    delivery: fc.option(fc.integer({ min: -60, max: 40 }), { nil: undefined }),
  })
  .map(({ base, astro, activation, shipment, delivery }): WarrantyCase => {
    const purchased = parseDay(base.purchase.purchasedOn!)
    const at = (offset: number | undefined): string | undefined =>
      offset === undefined ? undefined : formatDay(purchased + offset)
    const purchase = { ...base.purchase }
    if (activation !== undefined) purchase.activatedOn = at(activation)
    if (shipment !== undefined) purchase.shippedOn = at(shipment)
    if (delivery !== undefined) purchase.deliveredOn = at(delivery)
    return {
      ...base,
      product: { ...base.product, category: astro ? 'astro-box' : base.product.category },
      purchase,
    }
  })

describe('every shipped policy', () => {
  test('a warranty never starts before the purchase without the dates being flagged', () => {
    fc.assert(
      fc.property(aCaseWithDatesAround, (input) => {
        const decision = library.decide(input)
        const bought = input.purchase.purchasedOn
        if (decision.warranty === null || bought === undefined) return
        if (decision.warranty.starts >= bought) return
        assert.ok(
          inconsistent(decision),
          `${input.policy}: the warranty starts ${decision.warranty.starts}, before the purchase on ${bought}, unflagged`,
        )
        assert.equal(decision.covered, false)
        // The customer is asked to put the dates right, whichever pair of them is out of order.
        assert.match(decision.explanation!.en, /please check the dates/)
        assert.match(decision.explanation!.zh, /请核对日期/)
      }),
      RUNS,
    )
  })

  /** The costs of a repair the customer pays. */
  const charged = (decision: Decision): string[] =>
    COSTS.filter((cost) => (cost === 'parts' || cost === 'labour') && decision.payers[cost] === 'customer')

  test('a repair charged within the warranty costs no more than the same repair after it', () => {
    fc.assert(
      fc.property(aCase, fc.integer({ min: 1, max: 2200 }), (input, after) => {
        const within = library.decide(input)
        if (within.covered || within.remedies[0] !== 'paid-repair' || within.warranty === null) return
        if (inconsistent(within) || input.claimedOn > within.warranty.ends) return
        if (input.claimedOn < within.warranty.starts) return
        const later = library.decide({
          ...input,
          claimedOn: formatDay(parseDay(within.warranty.ends) + after),
        })
        if (later.remedies[0] !== 'paid-repair') return
        const laterCharges = charged(later)
        for (const cost of charged(within)) {
          assert.ok(
            laterCharges.includes(cost),
            `${input.policy}: ${cost} is charged within the warranty (to ${within.warranty.ends}) but not on ${later.warranty?.ends} + ${after} days`,
          )
        }
      }),
      RUNS,
    )
  })

  test('naming the causes of a fault among its findings never makes a claim less covered', () => {
    const withCauses = aCase.chain((input) => {
      const findings = input.inspection?.findings ?? []
      return fc.subarray(findings).map((causes) => ({ input, causes }))
    })
    fc.assert(
      fc.property(withCauses, ({ input, causes }) => {
        if (input.inspection === undefined) return
        const before = library.decide(input)
        const after = library.decide({ ...input, inspection: { ...input.inspection, faultCausedBy: causes } })
        if (before.covered) assert.equal(after.covered, true, JSON.stringify(after.exclusions))
        // Every exclusion said now was said before: naming causes only takes refusals away.
        const said = new Set(before.exclusions.map((e) => `${e.code}@${e.clause}`))
        for (const exclusion of after.exclusions) {
          if (exclusion.code === 'not-served') continue
          assert.ok(said.has(`${exclusion.code}@${exclusion.clause}`), JSON.stringify(exclusion))
        }
      }),
      RUNS,
    )
  })
})
