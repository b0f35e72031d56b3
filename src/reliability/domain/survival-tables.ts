import type { LifeObservation } from './life-fit.ts'
import { Z95 } from './special-functions.ts'

/**
 * The nonparametric views of warranty data: Kaplan–Meier survival with Greenwood
 * log-log bands, claims per 1,000 units by month in service, and points for a
 * probability plot.
 */

export interface SurvivalPoint {
  /** Age in days at which the curve steps. */
  age: number
  atRisk: number
  failures: number
  survival: number
  lower: number
  upper: number
}

/**
 * Kaplan–Meier product-limit estimate. Units censored at an age count as at risk for
 * failures at that same age (the usual convention). Bands: Greenwood's variance on the
 * log(−log S) scale (Kalbfleisch & Prentice 2002, §1.4), which keeps them inside (0, 1).
 */
export function kaplanMeier(data: readonly LifeObservation[]): SurvivalPoint[] {
  const byAge = new Map<number, { failures: number; censored: number }>()
  let total = 0
  for (const d of data) {
    if (d.count <= 0) continue
    const entry = byAge.get(d.age) ?? { failures: 0, censored: 0 }
    if (d.failed) entry.failures += d.count
    else entry.censored += d.count
    byAge.set(d.age, entry)
    total += d.count
  }
  const ages = [...byAge.keys()].sort((a, b) => a - b)
  let atRisk = total
  let survival = 1
  let greenwood = 0
  const points: SurvivalPoint[] = []
  for (const age of ages) {
    const { failures, censored } = byAge.get(age)!
    if (failures > 0 && atRisk > 0) {
      survival *= 1 - failures / atRisk
      greenwood += atRisk > failures ? failures / (atRisk * (atRisk - failures)) : Number.POSITIVE_INFINITY
      let lower = 0
      let upper = 1
      if (survival > 0 && survival < 1 && Number.isFinite(greenwood)) {
        const logS = Math.log(survival)
        const theta = Math.log(-logS)
        const se = Math.sqrt(greenwood) / Math.abs(logS)
        lower = Math.exp(-Math.exp(theta + Z95 * se))
        upper = Math.exp(-Math.exp(theta - Z95 * se))
      } else if (survival === 1) {
        lower = 1
      }
      points.push({ age, atRisk, failures, survival, lower, upper })
    }
    atRisk -= failures + censored
  }
  return points
}

/** Average days in a month, so "months in service" reads the same for every start date. */
export const DAYS_PER_MONTH = 365.25 / 12

export interface MonthInServiceRate {
  /** 1 for the first month in service. */
  month: number
  /** Units that entered this month of service still without a failure. */
  atRisk: number
  failures: number
  perThousand: number
}

/** First failures per 1,000 units at risk, by month in service. */
export function claimsPerThousandByMonth(data: readonly LifeObservation[]): MonthInServiceRate[] {
  const failures: number[] = []
  const exits: number[] = []
  let total = 0
  let last = 0
  for (const d of data) {
    if (d.count <= 0) continue
    const month = Math.floor((d.age - 1e-9) / DAYS_PER_MONTH)
    last = Math.max(last, month)
    total += d.count
    exits[month] = (exits[month] ?? 0) + d.count
    if (d.failed) failures[month] = (failures[month] ?? 0) + d.count
  }
  const rows: MonthInServiceRate[] = []
  let atRisk = total
  for (let m = 0; m <= last && total > 0; m++) {
    const f = failures[m] ?? 0
    rows.push({ month: m + 1, atRisk, failures: f, perThousand: atRisk > 0 ? (1000 * f) / atRisk : 0 })
    atRisk -= exits[m] ?? 0
  }
  return rows
}

export interface ProbabilityPlotPoint {
  age: number
  /** Fraction failed by this age (Kaplan–Meier, at the step's midpoint). */
  fraction: number
}

/**
 * Points for probability paper: at each failure age, the midpoint between the fraction
 * failed before and after the step (Meeker & Escobar §6.4), so the last step, which can
 * reach 1, still plots.
 */
export function probabilityPlotPoints(curve: readonly SurvivalPoint[]): ProbabilityPlotPoint[] {
  let before = 0
  return curve.map((p) => {
    const after = 1 - p.survival
    const point = { age: p.age, fraction: (before + after) / 2 }
    before = after
    return point
  })
}
