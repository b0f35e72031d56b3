import fc from 'fast-check'
import { formatDay, parseDay } from '../shared/day-numbers.ts'
import { fitLife, type LifeObservation, type LocationScaleFit } from './domain/life-fit.ts'
import type { FirstFailure, UnitCohort } from './domain/warranty-data.ts'

/**
 * Generated warranty data for the property tests of the reliability analysis: units sold in
 * cohorts (warranty start day, batch, term) and the first confirmed failure of some of them,
 * off the happy path: cohorts that start after the as-of day or on it, empty cohorts, claims
 * dated before the warranty start, after the as-of day or after the term, all-failed and
 * no-failure cohorts, one cohort alone.
 */

export interface Population {
  asOfDay: number
  cohorts: UnitCohort[]
  failures: FirstFailure[]
}

const FIRST_AS_OF = parseDay('2023-01-01')

/** Terms the shipped policies and model overrides give (P1Y, P2Y, P3Y) and a short odd one. */
export const TERMS = [30, 365, 731, 1096] as const
export const BATCHES = [null, 'B1', 'B2', 'B3'] as const

const aCohortSpec = fc.record({
  /** Start day relative to the as-of day: mostly before it, some on it or after it. */
  startOffset: fc.integer({ min: -1300, max: 40 }),
  batch: fc.constantFrom(...BATCHES),
  units: fc.integer({ min: 0, max: 40 }),
  termDays: fc.constantFrom(...TERMS),
  /**
   * Claim day minus start day of each first failure, one unit each: some before the start
   * (a claim dated before the warranty began), some past the term or the as-of day.
   */
  claimDays: fc.array(fc.integer({ min: -30, max: 1200 }), { maxLength: 40 }),
  /** The whole cohort fails: every unit claims. */
  allFail: fc.boolean(),
})

/**
 * A registry as `readWarrantyData` gives it: one cohort per (start day, batch, term), and
 * never more first failures in a cohort than it has units (each unit fails first once).
 */
export const aPopulation: fc.Arbitrary<Population> = fc
  .record({
    asOf: fc.integer({ min: 0, max: 1500 }),
    cohorts: fc.array(aCohortSpec, { minLength: 0, maxLength: 8 }),
  })
  .map(({ asOf, cohorts: specs }) => {
    const asOfDay = FIRST_AS_OF + asOf
    const cohorts = new Map<string, UnitCohort>()
    const failures: FirstFailure[] = []
    const claimed = new Map<string, number>()
    for (const spec of specs) {
      const startDay = asOfDay + spec.startOffset
      const startDate = formatDay(startDay)
      const key = `${startDate}|${spec.batch ?? ''}|${spec.termDays}`
      const cohort = cohorts.get(key) ?? {
        startDate,
        batch: spec.batch,
        units: 0,
        termDays: spec.termDays,
      }
      cohort.units += spec.units
      cohorts.set(key, cohort)
      const days = spec.allFail
        ? Array.from({ length: spec.units }, (_, i) => spec.claimDays[i] ?? i % 400)
        : spec.claimDays
      for (const day of days) {
        const already = claimed.get(key) ?? 0
        if (already >= cohort.units) break
        claimed.set(key, already + 1)
        failures.push({
          startDate,
          batch: spec.batch,
          termDays: spec.termDays,
          claimedOn: formatDay(startDay + day),
        })
      }
    }
    return { asOfDay, cohorts: [...cohorts.values()], failures }
  })

/** Life observations as a fit may meet them: any positive ages, counts and mix of failures. */
export const someObservations: fc.Arbitrary<LifeObservation[]> = fc.array(
  fc.record({
    age: fc.oneof(
      fc.integer({ min: 1, max: 2000 }).map((d) => d - 0.5),
      fc.integer({ min: 1, max: 2000 }),
      fc.double({ min: 0.01, max: 5000, noNaN: true }),
    ),
    count: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 1_000_000 })),
    failed: fc.boolean(),
  }),
  { maxLength: 30 },
)

/**
 * A fitted curve as the report may hold one: fitted on generated observations (from a sure
 * fit on thousands of units to a wild one on two failures among a million survivors), or
 * any parameters and covariance a fit could give.
 */
export const aFit: fc.Arbitrary<LocationScaleFit> = fc.oneof(
  fc
    .tuple(someObservations, fc.constantFrom('weibull' as const, 'lognormal' as const))
    .map(([data, family]) => {
      try {
        return fitLife(data, family)
      } catch {
        return null
      }
    })
    .filter((fit): fit is LocationScaleFit => fit !== null),
  fc
    .record({
      family: fc.constantFrom('weibull' as const, 'lognormal' as const),
      mu: fc.double({ min: 0, max: 20, noNaN: true }),
      sigma: fc.double({ min: 1e-4, max: 20, noNaN: true }),
      seMu: fc.double({ min: 0, max: 30, noNaN: true }),
      seSigma: fc.double({ min: 0, max: 10, noNaN: true }),
      rho: fc.double({ min: -0.99, max: 0.99, noNaN: true }),
    })
    .map(({ family, mu, sigma, seMu, seSigma, rho }) => ({
      family,
      mu,
      sigma,
      covariance: { muMu: seMu ** 2, muSigma: rho * seMu * seSigma, sigmaSigma: seSigma ** 2 },
      logLikelihood: -100,
      aic: 204,
      iterations: 1,
      failures: 2,
      units: 100,
    })),
)

/** The same items in another order. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items]
  let state = seed >>> 0 || 1
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0
    const j = state % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** Every unit and every claim twice. */
export function doubled(p: Population): Population {
  return {
    asOfDay: p.asOfDay,
    cohorts: p.cohorts.map((c) => ({ ...c, units: 2 * c.units })),
    failures: [...p.failures, ...p.failures],
  }
}

/** The same population with every cohort listed twice, each holding its share of the units. */
export function listedTwice(p: Population): Population {
  return {
    asOfDay: p.asOfDay,
    cohorts: [...p.cohorts, ...p.cohorts],
    failures: [...p.failures, ...p.failures],
  }
}

/** Whether two numbers agree to `relative` of the larger (the tolerance is the caller's to argue). */
export function close(a: number, b: number, relative: number): boolean {
  if (a === b) return true
  return Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b), 1e-300)
}
