import {
  fittedCdf,
  fittedCumulativeHazard,
  fittedFractionFailing,
  type Interval,
  type LocationScaleFit,
} from './life-fit.ts'
import { normalDraw, seededRandom, Z95 } from './special-functions.ts'
import { censorAge, type FirstFailure, survivingUnits, type UnitCohort } from './warranty-data.ts'

/**
 * Forecasts of first failures from the units still in service and a fitted curve. The
 * interval adds two sources of doubt: which units fail (binomial, given the curve) and the
 * curve itself (the fit's covariance, by drawing parameters from its normal approximation
 * with a fixed seed so a report reads the same twice).
 */

const PARAMETER_DRAWS = 200

interface AtRisk {
  units: number
  /** Current age, days. */
  age: number
  termDays: number
}

function unitsAtRisk(
  cohorts: readonly UnitCohort[],
  failures: readonly FirstFailure[],
  asOfDay: number,
): AtRisk[] {
  // Units of the same age and term behave alike whatever their batch: one row each.
  const rows = new Map<string, AtRisk>()
  for (const { cohort: c, units } of survivingUnits(cohorts, failures, asOfDay)) {
    const age = censorAge(c.startDate, c.termDays, asOfDay)
    if (!(age > 0 && age < c.termDays && units > 0)) continue
    const key = `${age}|${c.termDays}`
    const row = rows.get(key) ?? { units: 0, age, termDays: c.termDays }
    row.units += units
    rows.set(key, row)
  }
  // In a fixed order, so the sums do not depend on the order the cohorts came in.
  return [...rows.values()].sort((a, b) => a.age - b.age || a.termDays - b.termDays)
}

type Curve = Pick<LocationScaleFit, 'family' | 'mu' | 'sigma'>

function expectedFailures(
  rows: readonly AtRisk[],
  curve: Curve,
  horizonDays: number | null,
): { mean: number; variance: number } {
  let mean = 0
  let variance = 0
  for (const r of rows) {
    const end = horizonDays === null ? r.termDays : Math.min(r.termDays, r.age + horizonDays)
    const p = failingBetween(curve, r.age, end)
    mean += r.units * p
    variance += r.units * p * (1 - p)
  }
  return { mean, variance }
}

/**
 * The chance that a unit working at `age` fails by `end`: 1 − S(end)/S(age). A steep curve
 * (σ near 0, as a parameter draw from a wide covariance can give) puts both cumulative
 * hazards at infinity, whose difference is NaN; such a curve has every unit past its knee
 * failing at once, so a unit with time left fails for certain and one with none does not.
 */
function failingBetween(curve: Curve, age: number, end: number): number {
  const rise = fittedCumulativeHazard(curve, end) - fittedCumulativeHazard(curve, age)
  if (Number.isNaN(rise)) return end > age ? 1 : 0
  return -Math.expm1(-rise)
}

/**
 * Expected first failures among units under warranty: within the next `horizonDays` (or
 * until each unit's warranty ends when null), with a 95 % interval.
 */
export function forecastFailures(
  cohorts: readonly UnitCohort[],
  failures: readonly FirstFailure[],
  fit: LocationScaleFit,
  asOfDay: number,
  horizonDays: number | null,
): Interval & { unitsUnderWarranty: number } {
  const rows = unitsAtRisk(cohorts, failures, asOfDay)
  const point = expectedFailures(rows, fit, horizonDays)
  const random = seededRandom(20_240_601)
  const { muMu, muSigma, sigmaSigma } = fit.covariance
  // Cholesky factor of the 2×2 covariance (μ known exactly leaves only σ's own spread).
  const l11 = Math.sqrt(muMu)
  const l21 = l11 > 0 ? muSigma / l11 : 0
  const l22 = Math.sqrt(Math.max(sigmaSigma - l21 * l21, 0))
  let sum = 0
  let sumSq = 0
  // Draws with σ ≤ 0 are no curve and are skipped: the moments are over the draws kept, or
  // the skipped ones would count as curves expecting no failure and widen the interval.
  let kept = 0
  for (let i = 0; i < PARAMETER_DRAWS; i++) {
    const a = normalDraw(random)
    const b = normalDraw(random)
    const sigma = fit.sigma + l21 * a + l22 * b
    if (!(sigma > 0)) continue
    const m = expectedFailures(rows, { family: fit.family, mu: fit.mu + l11 * a, sigma }, horizonDays).mean
    sum += m
    sumSq += m * m
    kept += 1
  }
  const parameterVariance = kept > 0 ? Math.max(sumSq / kept - (sum / kept) ** 2, 0) : 0
  const se = Math.sqrt(point.variance + parameterVariance)
  const units = rows.reduce((s, r) => s + r.units, 0)
  return {
    estimate: point.mean,
    lower: Math.max(0, point.mean - Z95 * se),
    // A unit fails first once: no more first failures than units under warranty.
    upper: Math.min(units, point.mean + Z95 * se),
    unitsUnderWarranty: units,
  }
}

/**
 * "What if the term were T": first failures per unit within T days of the start, and for a
 * given number of units, with the interval of the fraction.
 */
export function failuresWithinTerm(
  fit: LocationScaleFit,
  termDays: number,
  units: number,
): {
  termDays: number
  fraction: Interval
  claims: Interval
} {
  const fraction = termDays > 0 ? fittedFractionFailing(fit, termDays) : { estimate: 0, lower: 0, upper: 0 }
  return {
    termDays,
    fraction,
    claims: {
      estimate: fraction.estimate * units,
      lower: fraction.lower * units,
      upper: fraction.upper * units,
    },
  }
}

/** The fitted fraction failed by an age (re-exported for the report's curve). */
export { fittedCdf }
