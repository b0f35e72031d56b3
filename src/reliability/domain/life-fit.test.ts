import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  fitLife,
  fittedFractionFailing,
  fittedQuantile,
  type LifeObservation,
  lognormalParameters,
  weibullParameters,
} from './life-fit.ts'
import { seededRandom } from './special-functions.ts'

/** Equal to three significant figures: relative difference below half a unit in the third. */
function assertThreeFigures(actual: number, expected: number, what: string) {
  const digit = 10 ** (Math.floor(Math.log10(Math.abs(expected))) - 2)
  assert.ok(
    Math.abs(actual - expected) <= digit / 2,
    `${what}: ${actual} is not ${expected} to three figures`,
  )
}

describe('Weibull fit against published results', () => {
  // Bearing cage field data: 1,703 units, 6 failures, the rest in service (right-censored),
  // hours. Meeker & Escobar, Statistical Methods for Reliability Data (Wiley, 1998),
  // Table C.5; maximum likelihood results in Example 8.16: β̂ = 2.035, η̂ = 11,792 hours
  // (R survreg: shape 2.035319, scale 11792.18, log-likelihood −76.436896) and B10 = 3,903.
  const counts = [
    288, 148, 1, 124, 1, 111, 1, 106, 99, 110, 114, 119, 127, 1, 1, 123, 93, 47, 41, 27, 1, 11, 6, 1, 2,
  ]
  const failed = [0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]
  const hours = [
    50, 150, 230, 250, 334, 350, 423, 450, 550, 650, 750, 850, 950, 990, 1009, 1050, 1150, 1250, 1350, 1450,
    1510, 1550, 1650, 1850, 2050,
  ]
  const bearingCage: LifeObservation[] = hours.map((age, i) => ({
    age,
    count: counts[i]!,
    failed: failed[i] === 1,
  }))

  test('bearing cage: shape, scale, B10 and log-likelihood as published', () => {
    const fit = fitLife(bearingCage, 'weibull')
    const { shape, scale } = weibullParameters(fit)
    assertThreeFigures(shape.estimate, 2.035, 'shape')
    assertThreeFigures(scale.estimate, 11792, 'scale')
    assertThreeFigures(fittedQuantile(fit, 0.1).estimate, 3903, 'B10')
    assertThreeFigures(fit.logLikelihood, -76.436896, 'log-likelihood')
    assert.equal(fit.failures, 6)
    assert.equal(fit.units, 1703)
    assert.ok(shape.lower < shape.estimate && shape.estimate < shape.upper)
    assert.ok(scale.lower < scale.estimate && scale.estimate < scale.upper)
  })

  test('NAG g07be example: complete data, estimates and standard error as printed', () => {
    // NAG Library Manual, routine g07be (estim_weibull), example program results:
    // ln λ = −2.1073 (s.e. 0.4627), γ = 2.7870 (s.e. 0.4273), for f(x) = λγx^(γ−1)exp(−λx^γ).
    const x = [
      1.1, 1.4, 1.3, 1.7, 1.9, 1.8, 1.6, 2.2, 1.7, 2.7, 4.1, 1.8, 1.5, 1.2, 1.4, 3.0, 1.7, 2.3, 1.6, 2.0,
    ]
    const fit = fitLife(
      x.map((age) => ({ age, count: 1, failed: true })),
      'weibull',
    )
    const gamma = 1 / fit.sigma
    assertThreeFigures(gamma, 2.787, 'shape')
    assertThreeFigures(-fit.mu * gamma, -2.1073, 'log rate')
    // se(γ) by the delta method from se(σ): dγ/dσ = −1/σ².
    assertThreeFigures(
      Math.sqrt(fit.covariance.sigmaSigma) / fit.sigma ** 2,
      0.4273,
      'standard error of the shape',
    )
  })

  test('lognormal beside it: a fit exists and the Weibull is preferred by AIC on bearing cage', () => {
    const weibull = fitLife(bearingCage, 'weibull')
    const lognormal = fitLife(bearingCage, 'lognormal')
    assert.ok(Number.isFinite(lognormal.logLikelihood))
    assert.ok(weibull.aic < lognormal.aic)
    const { median, sigma } = lognormalParameters(lognormal)
    assert.ok(median.lower < median.estimate && median.estimate < median.upper)
    assert.ok(sigma.estimate > 0)
  })

  test('refuses data with fewer than two distinct failure ages, naming why', () => {
    assert.throws(
      () =>
        fitLife(
          [
            { age: 10, count: 3, failed: true },
            { age: 20, count: 100, failed: false },
          ],
          'weibull',
        ),
      /two failures at different ages/,
    )
  })
})

/** Weibull lifetime by inversion: η(−ln U)^(1/β). */
function weibullDraw(random: () => number, shape: number, scale: number): number {
  return scale * (-Math.log(1 - random())) ** (1 / shape)
}

interface Scenario {
  shape: number
  scale: number
  n: number
  /** Units enter uniformly over this many days before the analysis, warranty-style. */
  entrySpan: number
  termDays: number
}

/**
 * Simulated registries: units start uniformly over a span, so each is censored at its own
 * age or at the end of its term, as warranty data are.
 */
function simulateRegistry(random: () => number, s: Scenario): LifeObservation[] {
  const rows: LifeObservation[] = []
  for (let i = 0; i < s.n; i++) {
    const censorAt = Math.min(1 + random() * s.entrySpan, s.termDays)
    const life = weibullDraw(random, s.shape, s.scale)
    rows.push(
      life <= censorAt ? { age: life, count: 1, failed: true } : { age: censorAt, count: 1, failed: false },
    )
  }
  return rows
}

describe('Weibull fit on simulated registries with known parameters', () => {
  const scenarios: Scenario[] = [
    { shape: 0.8, scale: 3000, n: 400, entrySpan: 730, termDays: 730 },
    { shape: 1.5, scale: 2000, n: 1000, entrySpan: 1100, termDays: 730 },
    { shape: 3, scale: 800, n: 300, entrySpan: 900, termDays: 365 },
    { shape: 1.2, scale: 10000, n: 2000, entrySpan: 1095, termDays: 1095 },
    { shape: 2, scale: 1500, n: 600, entrySpan: 2000, termDays: 1825 },
  ]
  const REPLICATES = 200

  test('95 % intervals of shape and scale cover the truth at about the nominal rate', () => {
    const random = seededRandom(7)
    let covered = 0
    let total = 0
    for (const s of scenarios) {
      let shapeHits = 0
      let scaleHits = 0
      for (let r = 0; r < REPLICATES; r++) {
        const fit = fitLife(simulateRegistry(random, s), 'weibull')
        const { shape, scale } = weibullParameters(fit)
        if (shape.lower <= s.shape && s.shape <= shape.upper) shapeHits++
        if (scale.lower <= s.scale && s.scale <= scale.upper) scaleHits++
      }
      // 200 replicates: a binomial standard error of 1.5 points around 95 %.
      for (const [name, hits] of [
        ['shape', shapeHits],
        ['scale', scaleHits],
      ] as const) {
        const rate = hits / REPLICATES
        assert.ok(rate >= 0.9 && rate <= 0.99, `β=${s.shape} η=${s.scale} n=${s.n}: ${name} covered ${rate}`)
      }
      covered += shapeHits + scaleHits
      total += 2 * REPLICATES
    }
    const overall = covered / total
    assert.ok(overall >= 0.93 && overall <= 0.97, `overall coverage ${overall}`)
  })

  test('the fraction failing within the term has an interval around the true value', () => {
    const random = seededRandom(11)
    const s = scenarios[1]!
    let hits = 0
    for (let r = 0; r < REPLICATES; r++) {
      const fit = fitLife(simulateRegistry(random, s), 'weibull')
      const within = fittedFractionFailing(fit, s.termDays)
      const truth = 1 - Math.exp(-((s.termDays / s.scale) ** s.shape))
      if (within.lower <= truth && truth <= within.upper) hits++
    }
    assert.ok(hits / REPLICATES >= 0.9, `covered ${hits / REPLICATES}`)
  })
})
