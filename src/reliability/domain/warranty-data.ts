import { addMonths, civilFromDay, dayOfDate, formatDay, parseDay } from '../../shared/day-numbers.ts'
import type { LifeObservation } from './life-fit.ts'

/**
 * Warranty data as the registry gives it: cohorts of units that started their warranty on
 * the same day, and the first confirmed failure of the units that had one. Ages are days
 * since the warranty start event.
 */

export interface UnitCohort {
  /** Warranty start, `YYYY-MM-DD`. */
  startDate: string
  batch: string | null
  units: number
  /** Warranty term in days: claims after it are not reported reliably, so observation ends there. */
  termDays: number
}

export interface FirstFailure {
  startDate: string
  batch: string | null
  termDays: number
  /** The day the claim was made, `YYYY-MM-DD`. */
  claimedOn: string
}

function cohortKey(c: { startDate: string; batch: string | null; termDays: number }): string {
  return `${c.startDate}|${c.batch ?? ''}|${c.termDays}`
}

/** The age at which a cohort stops being observed: today (the end of the as-of day) or the end of its term. */
export function censorAge(startDate: string, termDays: number, asOfDay: number): number {
  return Math.min(asOfDay - parseDay(startDate) + 1, termDays)
}

/**
 * A failure on day d after the start is placed at d + ½: claims are dated to the day, and
 * the middle of the day is the unbiased point for a failure known only to that day.
 */
export function failureAge(startDate: string, claimedOn: string): number {
  return parseDay(claimedOn) - parseDay(startDate) + 0.5
}

/** Whether a failure falls inside its unit's observation window (started, before the as-of day and the term's end). */
export function failureCounts(f: FirstFailure, asOfDay: number): boolean {
  const claimDay = parseDay(f.claimedOn)
  const startDay = parseDay(f.startDate)
  return claimDay >= startDay && claimDay <= asOfDay && claimDay - startDay < f.termDays
}

/**
 * Each cohort with its units still without a counted failure. A cohort's failures are taken
 * from its units once, however many entries share its start day, batch and term (a cohort
 * handed over in parts is still the same units), and never more of them than it has.
 */
export function survivingUnits(
  cohorts: readonly UnitCohort[],
  failures: readonly FirstFailure[],
  asOfDay: number,
): Array<{ cohort: UnitCohort; units: number }> {
  const failed = new Map<string, number>()
  for (const f of failures) {
    if (!failureCounts(f, asOfDay)) continue
    const key = cohortKey(f)
    failed.set(key, (failed.get(key) ?? 0) + 1)
  }
  return cohorts.map((cohort) => {
    const key = cohortKey(cohort)
    const left = failed.get(key) ?? 0
    const taken = Math.min(left, Math.max(cohort.units, 0))
    failed.set(key, left - taken)
    return { cohort, units: cohort.units - taken }
  })
}

/**
 * Life observations for fitting: each failure at its age, and every other unit censored at
 * its cohort's censor age. Cohorts not yet started by the as-of day are left out.
 */
export function lifeObservations(
  cohorts: readonly UnitCohort[],
  failures: readonly FirstFailure[],
  asOfDay: number,
): LifeObservation[] {
  return mergeObservations([...lifeObservationsByBatch(cohorts, failures, asOfDay).values()])
}

/**
 * The same observations kept apart by batch (the empty string for units without one), so
 * a batch can be compared with all the others without another pass over the data.
 */
export function lifeObservationsByBatch(
  cohorts: readonly UnitCohort[],
  failures: readonly FirstFailure[],
  asOfDay: number,
): Map<string, LifeObservation[]> {
  const failureAges = new Map<string, Map<number, number>>()
  for (const f of failures) {
    if (!failureCounts(f, asOfDay)) continue
    const ages = failureAges.get(f.batch ?? '') ?? new Map<number, number>()
    const age = failureAge(f.startDate, f.claimedOn)
    ages.set(age, (ages.get(age) ?? 0) + 1)
    failureAges.set(f.batch ?? '', ages)
  }
  const censored = new Map<string, Map<number, number>>()
  for (const { cohort: c, units: remaining } of survivingUnits(cohorts, failures, asOfDay)) {
    const age = censorAge(c.startDate, c.termDays, asOfDay)
    if (age <= 0 || remaining <= 0) continue
    const ages = censored.get(c.batch ?? '') ?? new Map<number, number>()
    ages.set(age, (ages.get(age) ?? 0) + remaining)
    censored.set(c.batch ?? '', ages)
  }
  const byBatch = new Map<string, LifeObservation[]>()
  for (const batch of new Set([...failureAges.keys(), ...censored.keys()])) {
    const rows: LifeObservation[] = []
    for (const [age, count] of failureAges.get(batch) ?? []) rows.push({ age, count, failed: true })
    for (const [age, count] of censored.get(batch) ?? []) rows.push({ age, count, failed: false })
    byBatch.set(batch, rows)
  }
  return byBatch
}

/** Adds up observation lists: equal ages and status become one weighted row, sorted by age. */
export function mergeObservations(lists: readonly (readonly LifeObservation[])[]): LifeObservation[] {
  const failed = new Map<number, number>()
  const censored = new Map<number, number>()
  for (const list of lists) {
    for (const o of list) {
      const target = o.failed ? failed : censored
      target.set(o.age, (target.get(o.age) ?? 0) + o.count)
    }
  }
  const rows: LifeObservation[] = []
  for (const [age, count] of failed) rows.push({ age, count, failed: true })
  for (const [age, count] of censored) rows.push({ age, count, failed: false })
  return rows.sort((a, b) => a.age - b.age || Number(b.failed) - Number(a.failed))
}

export interface NevadaRow {
  /** Month the units started their warranty, `YYYY-MM`. */
  period: string
  units: number
  /** First failures by the month they were claimed, `YYYY-MM` → count. */
  failures: Record<string, number>
}

/** The Nevada chart: units by start month against first failures by claim month. */
export function nevadaTable(
  cohorts: readonly UnitCohort[],
  failures: readonly FirstFailure[],
  asOfDay: number,
): { periods: string[]; returnPeriods: string[]; rows: NevadaRow[] } {
  const asOf = formatDay(asOfDay)
  const rows = new Map<string, NevadaRow>()
  const returns = new Set<string>()
  for (const c of cohorts) {
    if (c.startDate > asOf) continue
    const period = c.startDate.slice(0, 7)
    const row = rows.get(period) ?? { period, units: 0, failures: {} }
    row.units += c.units
    rows.set(period, row)
  }
  for (const f of failures) {
    if (!failureCounts(f, asOfDay)) continue
    const period = f.startDate.slice(0, 7)
    const month = f.claimedOn.slice(0, 7)
    const row = rows.get(period) ?? { period, units: 0, failures: {} }
    row.failures[month] = (row.failures[month] ?? 0) + 1
    rows.set(period, row)
    returns.add(month)
  }
  const sorted = [...rows.values()].sort((a, b) => a.period.localeCompare(b.period))
  return { periods: sorted.map((r) => r.period), returnPeriods: [...returns].sort(), rows: sorted }
}

/** Calendar month `YYYY-MM` as [first day, first day of the next month) day numbers. */
export function monthSpan(month: string): [number, number] {
  const year = Number(month.slice(0, 4))
  const m = Number(month.slice(5, 7))
  return [dayOfDate(year, m, 1), addMonths(year, m, 1, 1)]
}

/** The `count` calendar months ending with the month of the as-of day, oldest first. */
export function monthsUpTo(asOfDay: number, count: number): string[] {
  const { year, month } = civilFromDay(asOfDay)
  const months: string[] = []
  for (let i = count - 1; i >= 0; i--) {
    months.push(formatDay(addMonths(year, month, 1, -i)).slice(0, 7))
  }
  return months
}
