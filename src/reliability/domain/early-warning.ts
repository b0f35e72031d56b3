import { parseDay } from '../../shared/day-numbers.ts'
import { poissonUpperTail } from './special-functions.ts'
import {
  censorAge,
  type FirstFailure,
  failureAge,
  failureCounts,
  monthSpan,
  survivingUnits,
  type UnitCohort,
} from './warranty-data.ts'

/**
 * Early warning on monthly first-failure counts against what a reference curve expects of
 * the same units at the same ages.
 *
 * Each month two one-sided Poisson tests are run: that month alone (a sharp step shows at
 * once) and that month with the one before (a smaller step shows within two months). The
 * levels are family-wise over a year of monthly testing: twelve months × two windows, with
 * the Bonferroni split, so a steady batch raises a caution in at most 5 % of years and a
 * critical flag in at most 1 % (the bound is conservative: the two windows overlap and the
 * Poisson tail is discrete).
 */

export const CAUTION_YEARLY_RATE = 0.05
export const CRITICAL_YEARLY_RATE = 0.01
const TESTS_PER_YEAR = 24
export const CAUTION_P = CAUTION_YEARLY_RATE / TESTS_PER_YEAR
export const CRITICAL_P = CRITICAL_YEARLY_RATE / TESTS_PER_YEAR

/**
 * Failures a window must hold before it can raise a flag. The reference curve expects next to
 * nothing of a handful of young units (a unit in its first week, 4e-5 failures), so one claim
 * on them is "p < 1e-4" and would be called critical: one or two failures of a tiny batch are
 * no evidence of a fault in the batch, however unlikely the curve finds them.
 */
export const MIN_WARNING_FAILURES = 3

export interface MonthlyCount {
  /** `YYYY-MM`. */
  month: string
  observed: number
  expected: number
}

export type WarningLevel = 'caution' | 'critical'

export interface EarlyWarning {
  month: string
  level: WarningLevel
  /** The months tested together, oldest first. */
  window: string[]
  observed: number
  expected: number
  /** P(X ≥ observed) for X ~ Poisson(expected). */
  pValue: number
  /** The p-value below which this level is raised. */
  threshold: number
}

/**
 * Observed and expected first failures per calendar month. A unit is at risk from its start
 * until its failure, the end of its term or the as-of day; the expected count is the sum of
 * the reference cumulative hazard over each unit's exposure inside the month.
 */
export function monthlyObservedExpected(
  cohorts: readonly UnitCohort[],
  failures: readonly FirstFailure[],
  cumulativeHazard: (age: number) => number,
  months: readonly string[],
  asOfDay: number,
): MonthlyCount[] {
  const counted = failures.filter((f) => failureCounts(f, asOfDay))
  const exposure = (startDay: number, exitAge: number, from: number, to: number): number => {
    const a = Math.max(0, from - startDay)
    const b = Math.min(exitAge, to - startDay)
    if (!(b > a)) return 0
    const rise = cumulativeHazard(b) - cumulativeHazard(a)
    // Infinite at both ends (∞ − ∞): a reference so steep that no unit outlives age a, whose
    // hazard over the time after it is infinite too; NaN would silence the test unseen.
    return Number.isNaN(rise) ? Number.POSITIVE_INFINITY : rise
  }
  // Surviving units by (start day, exit age), whatever their batch, and each failed unit's
  // (start day, failure age): computed once, then swept month by month. Both are summed in
  // that order, not the order the rows came in, so the same units give the same expectation
  // to the last digit whichever way the database returned them.
  const survivors = new Map<string, { startDay: number; exit: number; units: number }>()
  for (const { cohort: c, units } of survivingUnits(cohorts, failures, asOfDay)) {
    const exit = censorAge(c.startDate, c.termDays, asOfDay)
    if (units <= 0 || exit <= 0) continue
    const key = `${c.startDate}|${exit}`
    const entry = survivors.get(key) ?? { startDay: parseDay(c.startDate), exit, units: 0 }
    entry.units += units
    survivors.set(key, entry)
  }
  const failed = counted
    .map((f) => ({
      startDay: parseDay(f.startDate),
      age: failureAge(f.startDate, f.claimedOn),
      claimDay: parseDay(f.claimedOn),
    }))
    .sort((x, y) => x.startDay - y.startDay || x.age - y.age)
  const surviving = [...survivors.values()].sort((x, y) => x.startDay - y.startDay || x.exit - y.exit)
  return months.map((month) => {
    const [from, toExclusive] = monthSpan(month)
    const to = Math.min(toExclusive, asOfDay + 1)
    let expected = 0
    let observed = 0
    for (const s of surviving) expected += s.units * exposure(s.startDay, s.exit, from, to)
    for (const f of failed) {
      expected += exposure(f.startDay, f.age, from, to)
      if (f.claimDay >= from && f.claimDay < to) observed += 1
    }
    return { month, observed, expected }
  })
}

/** The warnings a monthly series raises: at most one per month, the more severe level winning. */
export function earlyWarnings(series: readonly MonthlyCount[]): EarlyWarning[] {
  const warnings: EarlyWarning[] = []
  series.forEach((current, i) => {
    const windows: MonthlyCount[][] = [[current]]
    const previous = series[i - 1]
    if (previous) windows.push([previous, current])
    let best: EarlyWarning | null = null
    for (const window of windows) {
      const observed = window.reduce((s, m) => s + m.observed, 0)
      if (observed < MIN_WARNING_FAILURES) continue
      const expected = window.reduce((s, m) => s + m.expected, 0)
      const pValue = poissonUpperTail(observed, expected)
      const level: WarningLevel | null =
        pValue < CRITICAL_P ? 'critical' : pValue < CAUTION_P ? 'caution' : null
      if (level === null) continue
      const candidate: EarlyWarning = {
        month: current.month,
        level,
        window: window.map((m) => m.month),
        observed,
        expected,
        pValue,
        threshold: level === 'critical' ? CRITICAL_P : CAUTION_P,
      }
      if (
        best === null ||
        (best.level === 'caution' && level === 'critical') ||
        (best.level === level && pValue < best.pValue)
      ) {
        best = candidate
      }
    }
    if (best) warnings.push(best)
  })
  return warnings
}
