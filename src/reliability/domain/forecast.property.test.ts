import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { aFit, aPopulation, doubled, type Population, shuffled } from '../warranty-arbitraries.ts'
import { failuresWithinTerm, forecastFailures } from './forecast.ts'
import type { Interval, LocationScaleFit } from './life-fit.ts'
import { censorAge, failureCounts } from './warranty-data.ts'

/** Units still under warranty at the as-of day, counted without the code under test. */
function unitsUnderWarranty(p: Population): number {
  const failed = new Map<string, number>()
  for (const f of p.failures) {
    if (!failureCounts(f, p.asOfDay)) continue
    const key = `${f.startDate}|${f.batch}|${f.termDays}`
    failed.set(key, (failed.get(key) ?? 0) + 1)
  }
  let units = 0
  for (const c of p.cohorts) {
    const age = censorAge(c.startDate, c.termDays, p.asOfDay)
    if (age > 0 && age < c.termDays)
      units += c.units - (failed.get(`${c.startDate}|${c.batch}|${c.termDays}`) ?? 0)
  }
  return units
}

function assertForecast(what: string, f: Interval, units: number) {
  for (const v of [f.estimate, f.lower, f.upper])
    assert.ok(Number.isFinite(v), `${what}: ${JSON.stringify(f)}`)
  assert.ok(0 <= f.lower && f.lower <= f.estimate && f.estimate <= f.upper, `${what}: ${JSON.stringify(f)}`)
  // Each unit fails first at most once: no bound may promise more claims than units.
  assert.ok(f.upper <= units, `${what} above the ${units} units: ${JSON.stringify(f)}`)
}

const HORIZONS = [0, 1, 30, 90, 365, 730, 2000]

describe('forecasts of first failures (properties)', () => {
  test('finite, non-negative, inside [0, units under warranty], never falling as the horizon grows', () => {
    fc.assert(
      fc.property(aPopulation, aFit, (p, fit) => {
        const units = unitsUnderWarranty(p)
        let previous = 0
        for (const horizon of [...HORIZONS, null]) {
          const f = forecastFailures(p.cohorts, p.failures, fit, p.asOfDay, horizon)
          assert.equal(f.unitsUnderWarranty, units)
          assertForecast(`horizon ${horizon}`, f, units)
          // The same rows summed in the same order, each chance no smaller: rounding is
          // monotone, so the sum cannot fall; exact.
          assert.ok(f.estimate >= previous, `${horizon}: ${f.estimate} after ${previous}`)
          previous = f.estimate
        }
      }),
      { numRuns: 300 },
    )
  })

  test('shuffled input gives the same forecast; every unit and claim twice gives twice the claims', () => {
    fc.assert(
      fc.property(aPopulation, aFit, fc.integer(), (p, fit, seed) => {
        const f = forecastFailures(p.cohorts, p.failures, fit, p.asOfDay, 365)
        const s = forecastFailures(shuffled(p.cohorts, seed), shuffled(p.failures, seed), fit, p.asOfDay, 365)
        assert.deepEqual(s, f)
        const q = doubled(p)
        const d = forecastFailures(q.cohorts, q.failures, fit, q.asOfDay, 365)
        // Exactly: each row's units double, and doubling is exact in binary floating point.
        assert.equal(d.estimate, 2 * f.estimate)
        assert.equal(d.unitsUnderWarranty, 2 * f.unitsUnderWarranty)
      }),
      { numRuns: 200 },
    )
  })

  test('"what if the term were T": a fraction in [0, 1], claims within the units, growing with T', () => {
    fc.assert(
      fc.property(aFit, fc.integer({ min: 0, max: 100_000 }), (fit: LocationScaleFit, units) => {
        let previous = 0
        for (const term of [0, 30, 365, 731, 1096, 1827, 3653]) {
          const w = failuresWithinTerm(fit, term, units)
          for (const v of [...Object.values(w.fraction), ...Object.values(w.claims)])
            assert.ok(Number.isFinite(v), JSON.stringify(w))
          assert.ok(0 <= w.fraction.lower && w.fraction.lower <= w.fraction.estimate, JSON.stringify(w))
          assert.ok(w.fraction.estimate <= w.fraction.upper && w.fraction.upper <= 1, JSON.stringify(w))
          assert.ok(w.claims.upper <= units, JSON.stringify(w))
          assert.ok(w.fraction.estimate >= previous, `${term}: ${w.fraction.estimate} after ${previous}`)
          previous = w.fraction.estimate
        }
      }),
      { numRuns: 300 },
    )
  })
})
