import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { splitPayment } from './split-payment.ts'

const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 0) || 2000
fc.configureGlobal({ ...fc.readConfigureGlobal(), includeErrorInReport: true })

/** Accepted amounts: everyday, equal (the ties rounding gets wrong), nothing, and the largest a line holds. */
const acceptedArb = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 80_000 }), { minLength: 1, maxLength: 12 }),
  fc
    .tuple(fc.integer({ min: 0, max: 9_999 }), fc.integer({ min: 1, max: 12 }))
    .map(([a, n]) => Array.from({ length: n }, () => a)),
  fc.array(fc.constantFrom(0, 1, 999_999_999, 1_000_000_000), { minLength: 1, maxLength: 500 }),
)

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)

describe('a recovery payment split over its lines, properties', () => {
  test('the shares are whole, within each line, within a unit of its part, and add up to what was paid', () => {
    fc.assert(
      fc.property(acceptedArb, fc.nat(), (accepted, seed) => {
        const whole = sum(accepted)
        // Most often at most what was accepted, as the step allows; now and then more.
        const paid = seed % 10 === 0 ? seed % 2_000_000_000 : whole === 0 ? 0 : seed % (whole + 1)
        const shares = splitPayment(paid, accepted)
        assert.equal(shares.length, accepted.length)
        assert.equal(sum(shares), Math.min(paid, whole), `${shares} of ${paid}`)
        shares.forEach((share, i) => {
          const of = accepted[i] ?? 0
          assert.ok(Number.isSafeInteger(share) && share >= 0 && share <= of, `share ${share} of ${of}`)
          // Within one minor unit of the exact proportion (worked in whole numbers).
          if (whole > 0) {
            const exact = BigInt(Math.min(paid, whole)) * BigInt(of)
            const diff = BigInt(share) * BigInt(whole) - exact
            assert.ok(diff > -BigInt(whole) && diff < BigInt(whole), `share ${share} far from its part`)
          }
        })
        assert.deepEqual(splitPayment(paid, accepted), shares, 'the same lines split the same way')
      }),
      { numRuns: RUNS },
    )
  })

  test('a line accepted at nothing gets nothing, equal lines differ by a unit at most, a smaller line never gets more', () => {
    fc.assert(
      fc.property(acceptedArb, fc.nat(), (accepted, seed) => {
        const whole = sum(accepted)
        const paid = whole === 0 ? 0 : seed % (whole + 1)
        const shares = splitPayment(paid, accepted)
        accepted.forEach((a, i) => {
          if (a === 0) assert.equal(shares[i], 0)
          accepted.forEach((b, j) => {
            if (a === b) assert.ok(Math.abs((shares[i] ?? 0) - (shares[j] ?? 0)) <= 1)
            if (a < b) assert.ok((shares[i] ?? 0) <= (shares[j] ?? 0), 'a smaller line got more')
          })
        })
      }),
      { numRuns: RUNS / 4 },
    )
  })

  test('an amount that is not whole minor units is refused, not split', () => {
    for (const [paid, accepted] of [
      [-1, [1]],
      [0.5, [1]],
      [1, [-1]],
      [1, [Number.NaN]],
    ] as const)
      assert.throws(() => splitPayment(paid, accepted), RangeError)
  })
})
