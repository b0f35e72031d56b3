import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { formatDay, parseDay } from '../../shared/day-numbers.ts'
import { aFit, aPopulation, type Population, shuffled } from '../warranty-arbitraries.ts'
import {
  CAUTION_P,
  CRITICAL_P,
  type EarlyWarning,
  earlyWarnings,
  MIN_WARNING_FAILURES,
  type MonthlyCount,
  monthlyObservedExpected,
} from './early-warning.ts'
import { fitLife, fittedCumulativeHazard, type LocationScaleFit } from './life-fit.ts'
import { poissonUpperTail } from './special-functions.ts'
import { failureCounts, lifeObservations, monthsUpTo } from './warranty-data.ts'

const seriesOf = (p: Population, fit: LocationScaleFit) =>
  monthlyObservedExpected(
    p.cohorts,
    p.failures,
    (age) => fittedCumulativeHazard(fit, age),
    monthsUpTo(p.asOfDay, 12),
    p.asOfDay,
  )

const RANK = { none: 0, caution: 1, critical: 2 } as const
const levelOf = (warnings: readonly EarlyWarning[], month: string) =>
  RANK[warnings.find((w) => w.month === month)?.level ?? 'none']

/** The smallest p-value of each month's windows: the month alone, and with the month before. */
function pValues(series: readonly MonthlyCount[]): number[] {
  return series.map((m, i) => {
    const one = poissonUpperTail(m.observed, m.expected)
    const before = series[i - 1]
    return before
      ? Math.min(one, poissonUpperTail(m.observed + before.observed, m.expected + before.expected))
      : one
  })
}

/** A monthly series as the check may meet one: any counts, expectations from none to thousands. */
const aSeries = fc
  .array(
    fc.record({
      observed: fc.integer({ min: 0, max: 200 }),
      expected: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2000, noNaN: true })),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((rows) => rows.map((r, i) => ({ month: `2025-${String(i + 1).padStart(2, '0')}`, ...r })))

describe('observed and expected first failures by month (properties)', () => {
  test('observed counts the claims of the month inside their window; expected is a number, not negative', () => {
    fc.assert(
      fc.property(aPopulation, aFit, (p, fit) => {
        const series = seriesOf(p, fit)
        for (const m of series) {
          // Infinite only where the reference's own cumulative hazard is (a curve too steep for these ages).
          assert.ok(m.expected >= 0, JSON.stringify(m))
          if (m.expected === Number.POSITIVE_INFINITY)
            assert.equal(fittedCumulativeHazard(fit, 1100 + 1300), Number.POSITIVE_INFINITY)
          const claims = p.failures.filter(
            (f) => failureCounts(f, p.asOfDay) && f.claimedOn.slice(0, 7) === m.month,
          ).length
          assert.equal(m.observed, claims, m.month)
        }
      }),
      { numRuns: 300 },
    )
  })

  test('against a curve fitted on the data itself, every expectation is finite', () => {
    fc.assert(
      fc.property(aPopulation, fc.constantFrom('weibull' as const, 'lognormal' as const), (p, family) => {
        let fit: LocationScaleFit
        try {
          fit = fitLife(lifeObservations(p.cohorts, p.failures, p.asOfDay), family)
        } catch {
          return
        }
        for (const m of seriesOf(p, fit)) assert.ok(Number.isFinite(m.expected), JSON.stringify(m))
      }),
      { numRuns: 300 },
    )
  })

  test('zero claims never raise a flag, whatever the reference curve', () => {
    fc.assert(
      fc.property(aPopulation, aFit, (p, fit) => {
        assert.deepEqual(earlyWarnings(seriesOf({ ...p, failures: [] }, fit)), [])
      }),
      { numRuns: 300 },
    )
  })

  test('shuffling the cohorts and the claims changes neither the series nor the flags', () => {
    fc.assert(
      fc.property(aPopulation, aFit, fc.integer(), (p, fit, seed) => {
        const a = seriesOf(p, fit)
        const b = seriesOf(
          { ...p, cohorts: shuffled(p.cohorts, seed), failures: shuffled(p.failures, seed) },
          fit,
        )
        // Exactly: the exposures are summed in an order of their own, not the input's.
        assert.deepEqual(b, a)
        assert.deepEqual(earlyWarnings(b), earlyWarnings(a))
      }),
      { numRuns: 200 },
    )
  })

  test('one more claim in a cohort never lowers any month’s signal', () => {
    fc.assert(
      fc.property(
        aPopulation.filter((p) => p.cohorts.length > 0),
        aFit,
        fc.nat(),
        fc.nat(),
        (p, fit, which, day) => {
          // A unit of a cohort that still has working units fails inside its window.
          const failed = new Map<string, number>()
          for (const f of p.failures) {
            const key = `${f.startDate}|${f.batch}|${f.termDays}`
            failed.set(key, (failed.get(key) ?? 0) + 1)
          }
          const open = p.cohorts.filter((c) => {
            const start = parseDay(c.startDate)
            return (
              c.units > (failed.get(`${c.startDate}|${c.batch}|${c.termDays}`) ?? 0) && start <= p.asOfDay
            )
          })
          const cohort = open[which % Math.max(open.length, 1)]
          if (!cohort) return
          const start = parseDay(cohort.startDate)
          const last = Math.min(p.asOfDay, start + cohort.termDays - 1)
          const claimDay = start + (day % (last - start + 1))
          const more = {
            ...p,
            failures: [...p.failures, { ...cohort, claimedOn: formatDay(claimDay) }],
          }
          const before = seriesOf(p, fit)
          const after = seriesOf(more, fit)
          const pBefore = pValues(before)
          const pAfter = pValues(after)
          const wBefore = earlyWarnings(before)
          const wAfter = earlyWarnings(after)
          before.forEach((m, i) => {
            // The tail sums are accurate to a few units in the last place, relative.
            assert.ok(
              pAfter[i]! <= pBefore[i]! * (1 + 1e-9) + 1e-300,
              `${m.month}: ${pBefore[i]} → ${pAfter[i]}`,
            )
            assert.ok(levelOf(wAfter, m.month) >= levelOf(wBefore, m.month), m.month)
          })
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('warnings from a monthly series (properties)', () => {
  test('a flag names its month and window and carries the figures that raised it', () => {
    fc.assert(
      fc.property(aSeries, (series) => {
        for (const w of earlyWarnings(series)) {
          const i = series.findIndex((m) => m.month === w.month)
          assert.ok(i >= 0, w.month)
          assert.equal(w.window.at(-1), w.month)
          const window = series.slice(i - w.window.length + 1, i + 1)
          assert.deepEqual(
            window.map((m) => m.month),
            w.window,
          )
          assert.equal(
            w.observed,
            window.reduce((s, m) => s + m.observed, 0),
          )
          assert.equal(
            w.expected,
            window.reduce((s, m) => s + m.expected, 0),
          )
          assert.equal(w.pValue, poissonUpperTail(w.observed, w.expected))
          assert.equal(w.threshold, w.level === 'critical' ? CRITICAL_P : CAUTION_P)
          assert.ok(w.pValue < w.threshold, JSON.stringify(w))
          assert.ok(w.observed > w.expected, JSON.stringify(w))
          assert.ok(Number.isFinite(w.expected) && Number.isFinite(w.pValue), JSON.stringify(w))
        }
      }),
      { numRuns: 500 },
    )
  })

  test('a month without claims, or a series without any, raises nothing', () => {
    fc.assert(
      fc.property(aSeries, (series) => {
        const quiet = series.map((m) => ({ ...m, observed: 0 }))
        assert.deepEqual(earlyWarnings(quiet), [])
        for (const w of earlyWarnings(series)) assert.ok(w.observed >= MIN_WARNING_FAILURES)
      }),
      { numRuns: 300 },
    )
  })

  test('more claims in a month never lower a level; a higher expectation never raises one', () => {
    fc.assert(
      fc.property(aSeries, fc.nat(), fc.integer({ min: 1, max: 50 }), (series, which, extra) => {
        const i = which % series.length
        const more = series.map((m, j) => (j === i ? { ...m, observed: m.observed + extra } : m))
        const likelier = series.map((m, j) => (j === i ? { ...m, expected: m.expected + extra } : m))
        const w = earlyWarnings(series)
        for (const m of series) {
          assert.ok(levelOf(earlyWarnings(more), m.month) >= levelOf(w, m.month), m.month)
          assert.ok(levelOf(earlyWarnings(likelier), m.month) <= levelOf(w, m.month), m.month)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('the Poisson upper tail (properties)', () => {
  test('in [0, 1], falling in the count and rising in the mean', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (k, mean, more) => {
          const p = poissonUpperTail(k, mean)
          assert.ok(p >= 0 && p <= 1, `P(X ≥ ${k}; ${mean}) = ${p}`)
          // A few units in the last place for each term summed: the sum walks its terms one from
          // the last, so its rounding grows with the count (about 3e-12 at 5,000), and the two
          // sides of the sum switch at k = mean.
          const slack = 1e-14 * (k + 100)
          assert.ok(poissonUpperTail(k + 1, mean) <= p + slack, `k ${k}, mean ${mean}`)
          assert.ok(poissonUpperTail(k, mean + more) >= p - slack, `k ${k}, mean ${mean} + ${more}`)
        },
      ),
      { numRuns: 1000 },
    )
  })
})
