import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { formatDay, parseDay } from '../../shared/day-numbers.ts'
import { forecastFailures } from './forecast.ts'
import type { LifeFamily, LocationScaleFit } from './life-fit.ts'
import type { UnitCohort } from './warranty-data.ts'

const AS_OF = parseDay('2025-12-31')

/** A fitted curve given by its parameters and the standard errors of μ and σ (uncorrelated). */
function curve(
  family: LifeFamily,
  median: number,
  sigma: number,
  seMu: number,
  seSigma: number,
): LocationScaleFit {
  return {
    family,
    mu: Math.log(median),
    sigma,
    covariance: { muMu: seMu ** 2, muSigma: 0, sigmaSigma: seSigma ** 2 },
    logLikelihood: 0,
    aic: 4,
    iterations: 1,
    failures: 2,
    units: 2,
  }
}

/** Units `age` days into a two-year warranty on the as-of day. */
const unitsAged = (age: number, units: number): UnitCohort[] => [
  { startDate: formatDay(AS_OF - age + 1), batch: null, units, termDays: 731 },
]

describe('forecast of first failures', () => {
  test('a curve so steep its cumulative hazard overflows gives a number, not NaN', () => {
    // β = 2,000 around 100 days: both ends of the horizon are past the knee, ∞ − ∞.
    const f = forecastFailures(
      unitsAged(200, 1000),
      [],
      curve('weibull', 100, 0.0005, 3e-4, 2.5e-4),
      AS_OF,
      365,
    )
    assert.deepEqual(f, { estimate: 1000, lower: 1000, upper: 1000, unitsUnderWarranty: 1000 })
  })

  test('parameter draws with σ ≤ 0 are left out, not counted as curves expecting nothing', () => {
    // Every curve with σ > 0 has all thousand units failing by the end of the term; about
    // one draw in fifty has σ ≤ 0. Counted as curves expecting none, those made the
    // interval hundreds of units wide.
    const f = forecastFailures(
      unitsAged(10, 1000),
      [],
      curve('lognormal', 50, 0.0005, 3.5e-4, 2.5e-4),
      AS_OF,
      null,
    )
    assert.deepEqual(f, { estimate: 1000, lower: 1000, upper: 1000, unitsUnderWarranty: 1000 })
  })

  test('the interval never promises more first failures than units under warranty', () => {
    const f = forecastFailures(unitsAged(100, 10), [], curve('weibull', 400, 1, 2, 0.1), AS_OF, null)
    assert.ok(f.lower <= f.estimate && f.estimate <= f.upper)
    assert.equal(f.upper, 10)
  })
})
