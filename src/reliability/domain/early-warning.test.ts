import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { formatDay, parseDay } from '../../shared/day-numbers.ts'
import { earlyWarnings, MIN_WARNING_FAILURES, monthlyObservedExpected } from './early-warning.ts'
import { poissonUpperTail, seededRandom } from './special-functions.ts'
import { type FirstFailure, monthsUpTo, type UnitCohort } from './warranty-data.ts'

const SHAPE = 1.3
const SCALE = 4000
const cumulativeHazard = (age: number) => (age / SCALE) ** SHAPE

interface Batch {
  cohorts: UnitCohort[]
  failures: FirstFailure[]
}

/**
 * One batch of units sold over the year before the watched year, each failing by a Weibull
 * hazard; from `stepDay` on the hazard is multiplied by `factor` (a bad lot of parts).
 * The lifetime is drawn by inverting the piecewise cumulative hazard.
 */
function simulateBatch(
  random: () => number,
  units: number,
  startDay: number,
  stepDay: number,
  factor: number,
): Batch {
  const cohorts = new Map<string, UnitCohort>()
  const failures: FirstFailure[] = []
  for (let i = 0; i < units; i++) {
    const start = startDay + Math.floor(random() * 365)
    const startDate = formatDay(start)
    const cohort = cohorts.get(startDate) ?? { startDate, batch: 'B1', units: 0, termDays: 1095 }
    cohort.units += 1
    cohorts.set(startDate, cohort)
    const target = -Math.log(1 - random())
    const stepAge = Math.max(0, stepDay - start)
    let age: number
    if (target <= cumulativeHazard(stepAge)) age = SCALE * target ** (1 / SHAPE)
    else {
      const rest = (target - cumulativeHazard(stepAge)) / factor + cumulativeHazard(stepAge)
      age = SCALE * rest ** (1 / SHAPE)
    }
    if (age < 1095)
      failures.push({ startDate, batch: 'B1', termDays: 1095, claimedOn: formatDay(start + Math.floor(age)) })
  }
  return { cohorts: [...cohorts.values()], failures }
}

const YEAR_START = parseDay('2025-01-01')
const AS_OF = parseDay('2025-12-31')
const MONTHS = monthsUpTo(AS_OF, 12)

describe('early warning', () => {
  test('one or two failures raise nothing, however few were expected; a third does', () => {
    // A batch of one unit failing in its first week: the curve expects 4e-5 failures, and the
    // Poisson test alone would call that one claim critical and mail every manager.
    const month = (observed: number) => [
      { month: '2025-11', observed: 0, expected: 2e-5 },
      { month: '2025-12', observed, expected: 4e-5 },
    ]
    assert.deepEqual(earlyWarnings(month(1)), [])
    assert.deepEqual(earlyWarnings(month(MIN_WARNING_FAILURES - 1)), [])
    assert.deepEqual(
      earlyWarnings(month(MIN_WARNING_FAILURES)).map((w) => [w.month, w.level, w.observed]),
      [['2025-12', 'critical', MIN_WARNING_FAILURES]],
    )
  })

  test('a steady batch raises no flag in at least 95 % of simulated years', () => {
    const random = seededRandom(3)
    const YEARS = 200
    let quietYears = 0
    for (let y = 0; y < YEARS; y++) {
      const batch = simulateBatch(random, 3000, YEAR_START - 365, Number.POSITIVE_INFINITY, 1)
      const series = monthlyObservedExpected(batch.cohorts, batch.failures, cumulativeHazard, MONTHS, AS_OF)
      if (earlyWarnings(series).length === 0) quietYears++
    }
    assert.ok(quietYears / YEARS >= 0.95, `quiet in ${quietYears} of ${YEARS} years`)
  })

  test('a batch whose failure rate steps up is flagged within two months of the step', () => {
    const random = seededRandom(5)
    const stepDay = parseDay('2025-06-01')
    const RUNS = 40
    let inTime = 0
    for (let run = 0; run < RUNS; run++) {
      const batch = simulateBatch(random, 5000, YEAR_START - 365, stepDay, 2)
      const series = monthlyObservedExpected(batch.cohorts, batch.failures, cumulativeHazard, MONTHS, AS_OF)
      const first = earlyWarnings(series).find((w) => w.month >= '2025-06')
      if (first && first.month <= '2025-07') inTime++
    }
    assert.ok(inTime / RUNS >= 0.95, `flagged in time in ${inTime} of ${RUNS} runs`)
  })

  test('each flag carries its evidence: window, observed, expected, p-value and threshold', () => {
    const series = [
      { month: '2025-01', observed: 10, expected: 10 },
      { month: '2025-02', observed: 40, expected: 10 },
    ]
    const [flag] = earlyWarnings(series)
    assert.ok(flag)
    assert.equal(flag.level, 'critical')
    assert.equal(flag.month, '2025-02')
    assert.ok(flag.pValue < flag.threshold)
    assert.ok(flag.observed > flag.expected)
    assert.deepEqual(earlyWarnings([{ month: '2025-01', observed: 12, expected: 10 }]), [])
  })

  test('expected counts add up to the cumulative hazard of the exposure', () => {
    const cohorts: UnitCohort[] = [{ startDate: '2025-01-01', batch: null, units: 100, termDays: 365 }]
    const [jan] = monthlyObservedExpected(cohorts, [], cumulativeHazard, ['2025-01'], parseDay('2025-03-01'))
    assert.ok(jan)
    assert.ok(Math.abs(jan.expected - 100 * cumulativeHazard(31)) < 1e-9)
    assert.equal(jan.observed, 0)
  })

  test('a reference too steep for the ages the units reach expects infinitely many, not NaN, and raises nothing', () => {
    // β = 2,000 around 100 days: at 200 days both ends of every month are past the knee (∞ − ∞).
    const steep = (age: number) => Math.exp((Math.log(age) - Math.log(100)) / 0.0005)
    const cohorts: UnitCohort[] = [{ startDate: '2025-01-01', batch: null, units: 10, termDays: 731 }]
    const failures: FirstFailure[] = [
      { startDate: '2025-01-01', batch: null, termDays: 731, claimedOn: '2025-09-10' },
    ]
    const series = monthlyObservedExpected(cohorts, failures, steep, ['2025-09'], parseDay('2025-12-31'))
    assert.deepEqual(series, [{ month: '2025-09', observed: 1, expected: Number.POSITIVE_INFINITY }])
    assert.deepEqual(earlyWarnings(series), [])
    assert.equal(poissonUpperTail(3, Number.POSITIVE_INFINITY), 1)
  })

  test('the expectation is the same to the last digit whatever order the cohorts come in', () => {
    const cohorts: UnitCohort[] = [
      { startDate: '2024-02-03', batch: 'B1', units: 7, termDays: 731 },
      { startDate: '2024-11-17', batch: 'B2', units: 3, termDays: 365 },
      { startDate: '2025-03-30', batch: null, units: 11, termDays: 731 },
    ]
    const hazard = (age: number) => (age / 997) ** 1.37
    const months = monthsUpTo(AS_OF, 12)
    const forward = monthlyObservedExpected(cohorts, [], hazard, months, AS_OF)
    assert.deepEqual(monthlyObservedExpected([...cohorts].reverse(), [], hazard, months, AS_OF), forward)
  })
})
