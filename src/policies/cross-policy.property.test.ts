import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { Decision } from '../contracts/decision.ts'
import { COSTS } from '../contracts/vocabulary.ts'
import { formatDay, parseDay } from '../shared/day-numbers.ts'
import { aCase } from './case-arbitraries.ts'
import { loadPolicyLibrary } from './load-policies.ts'

/**
 * Properties every shipped policy keeps, whatever its seed: a repair charged within the
 * warranty never costs the customer more than the same repair after it, and naming the causes
 * of a fault never makes a claim less covered.
 */
const library = loadPolicyLibrary()
const RUNS = { numRuns: 600 }

const inconsistent = (decision: Decision): boolean =>
  decision.exclusions.some((exclusion) => exclusion.code === 'inconsistent-dates')

describe('every shipped policy', () => {
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
