import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { aPopulation, close, doubled, someObservations } from '../warranty-arbitraries.ts'
import {
  fitLife,
  fittedCdf,
  fittedFractionFailing,
  fittedQuantile,
  type Interval,
  type LifeFamily,
  LifeFitError,
  type LifeObservation,
  type LocationScaleFit,
  lognormalParameters,
  weibullParameters,
} from './life-fit.ts'
import { lifeObservations } from './warranty-data.ts'

const FAMILIES: LifeFamily[] = ['weibull', 'lognormal']

/** The fit, or null for the clear "not enough data" answer; anything else thrown fails the property. */
function fitOrNull(data: readonly LifeObservation[], family: LifeFamily): LocationScaleFit | null {
  try {
    return fitLife(data, family)
  } catch (error) {
    if (error instanceof LifeFitError) return null
    throw error
  }
}

function assertInterval(what: string, i: Interval, range: [number, number] = [0, Number.POSITIVE_INFINITY]) {
  for (const v of [i.estimate, i.lower, i.upper])
    assert.ok(Number.isFinite(v), `${what}: ${JSON.stringify(i)}`)
  assert.ok(
    i.lower <= i.estimate && i.estimate <= i.upper,
    `${what} not inside its interval: ${JSON.stringify(i)}`,
  )
  assert.ok(i.lower >= range[0] && i.upper <= range[1], `${what} out of ${range}: ${JSON.stringify(i)}`)
}

/** Everything the report shows of a fit: finite, each estimate inside its interval. */
function assertShowable(fit: LocationScaleFit, termDays: number) {
  for (const v of [fit.mu, fit.sigma, fit.logLikelihood, fit.aic, ...Object.values(fit.covariance)])
    assert.ok(Number.isFinite(v), `fit: ${JSON.stringify(fit)}`)
  assert.ok(fit.sigma > 0)
  assert.ok(fit.covariance.muMu >= 0 && fit.covariance.sigmaSigma >= 0)
  assertInterval('B10', fittedQuantile(fit, 0.1))
  assertInterval('within the term', fittedFractionFailing(fit, termDays), [0, 1])
  if (fit.family === 'weibull') {
    const { shape, scale } = weibullParameters(fit)
    assertInterval('shape', shape)
    assertInterval('scale', scale)
  } else {
    const { mu, sigma, median } = lognormalParameters(fit)
    assertInterval('μ', mu, [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY])
    assertInterval('σ', sigma)
    assertInterval('median', median)
  }
}

describe('life fits (properties)', () => {
  test('any warranty population gets a finite fit or a clear "not enough data"', () => {
    fc.assert(
      fc.property(aPopulation, fc.constantFrom(...FAMILIES), (p, family) => {
        const data = lifeObservations(p.cohorts, p.failures, p.asOfDay)
        const fit = fitOrNull(data, family)
        const failureAges = new Set(data.filter((d) => d.failed).map((d) => d.age))
        assert.equal(fit === null, failureAges.size < 2, 'refused exactly when fewer than two failure ages')
        if (fit) assertShowable(fit, 731)
      }),
      { numRuns: 300 },
    )
  })

  test('any observations, counts up to a million, ages from hours to years: finite or refused', () => {
    fc.assert(
      fc.property(someObservations, fc.constantFrom(...FAMILIES), (data, family) => {
        const fit = fitOrNull(data, family)
        if (fit) assertShowable(fit, 365)
      }),
      { numRuns: 500 },
    )
  })

  test('tiny, all-failed and no-failure populations are answered', () => {
    for (const family of FAMILIES) {
      assert.equal(fitOrNull([], family), null)
      assert.equal(fitOrNull([{ age: 3, count: 10, failed: false }], family), null)
      assert.equal(fitOrNull([{ age: 3.5, count: 1, failed: true }], family), null)
      const allFailed = fitOrNull(
        [
          { age: 0.5, count: 1, failed: true },
          { age: 1.5, count: 1, failed: true },
        ],
        family,
      )
      assert.ok(allFailed, family)
      assertShowable(allFailed, 731)
    }
  })

  test('the fitted fraction failing never falls with age and stays in [0, 1]', () => {
    fc.assert(
      fc.property(
        someObservations,
        fc.constantFrom(...FAMILIES),
        fc.array(fc.double({ min: 0, max: 10_000, noNaN: true }), { minLength: 2, maxLength: 6 }),
        (data, family, ages) => {
          const fit = fitOrNull(data, family)
          if (!fit) return
          let previous = 0
          for (const age of [...ages].sort((a, b) => a - b)) {
            const f = fittedCdf(fit, age)
            assert.ok(f >= previous && f <= 1, `F(${age}) = ${f} after ${previous}`)
            previous = f
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  test('every unit and claim twice: the same curve, its covariance halved', () => {
    fc.assert(
      fc.property(aPopulation, fc.constantFrom(...FAMILIES), (p, family) => {
        const once = fitOrNull(lifeObservations(p.cohorts, p.failures, p.asOfDay), family)
        const q = doubled(p)
        const twice = fitOrNull(lifeObservations(q.cohorts, q.failures, q.asOfDay), family)
        assert.equal(once === null, twice === null)
        if (!once || !twice) return
        // Not exact: the damping differs between the two runs (λ is scaled by max(1, |H|) and
        // H doubles), so they may take other steps to the same maximum and stop when a step is
        // below 1e-10. Over 3,000 generated populations they agreed to 1e-14 relative; 1e-9
        // leaves room for that and is still far below the three figures a report shows.
        assert.ok(close(once.mu, twice.mu, 1e-9), `μ ${once.mu} vs ${twice.mu}`)
        assert.ok(close(once.sigma, twice.sigma, 1e-9), `σ ${once.sigma} vs ${twice.sigma}`)
        assert.ok(close(2 * once.logLikelihood, twice.logLikelihood, 1e-9))
        assert.ok(close(once.covariance.muMu / 2, twice.covariance.muMu, 1e-9))
      }),
      { numRuns: 200 },
    )
  })
})
