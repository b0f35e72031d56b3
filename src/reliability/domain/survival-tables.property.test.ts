import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { parseDay } from '../../shared/day-numbers.ts'
import { aPopulation, doubled, listedTwice, type Population, shuffled } from '../warranty-arbitraries.ts'
import { claimsPerThousandByMonth, kaplanMeier, probabilityPlotPoints } from './survival-tables.ts'
import { lifeObservations, nevadaTable } from './warranty-data.ts'

/** The failures that belong in the data, by the documented rule, counted without the code under test. */
function countedFailures(p: Population): number {
  return p.failures.filter((f) => {
    const start = parseDay(f.startDate)
    const claim = parseDay(f.claimedOn)
    return claim >= start && claim <= p.asOfDay && claim < start + f.termDays
  }).length
}

const unitsStarted = (p: Population) =>
  p.cohorts.filter((c) => parseDay(c.startDate) <= p.asOfDay).reduce((s, c) => s + c.units, 0)

const observationsOf = (p: Population) => lifeObservations(p.cohorts, p.failures, p.asOfDay)

describe('life observations from cohorts and claims (properties)', () => {
  test('every started unit is one observation; a claim before the start, after the as-of day or past the term is not a failure', () => {
    fc.assert(
      fc.property(aPopulation, (p) => {
        const rows = observationsOf(p)
        for (const o of rows) {
          assert.ok(o.age > 0 && Number.isFinite(o.age), `age ${o.age}`)
          assert.ok(o.count > 0, `count ${o.count}`)
        }
        assert.equal(
          rows.reduce((s, o) => s + o.count, 0),
          unitsStarted(p),
        )
        assert.equal(
          rows.filter((o) => o.failed).reduce((s, o) => s + o.count, 0),
          countedFailures(p),
        )
      }),
      { numRuns: 400 },
    )
  })
})

describe('Kaplan–Meier and the tables built from it (properties)', () => {
  test('survival lies in [0, 1] and never rises with age; its band holds it and stays in [0, 1]', () => {
    fc.assert(
      fc.property(aPopulation, (p) => {
        const curve = kaplanMeier(observationsOf(p))
        let previous = { age: 0, survival: 1, atRisk: Number.POSITIVE_INFINITY }
        for (const point of curve) {
          assert.ok(point.age > previous.age, 'ages increase')
          assert.ok(point.survival >= 0 && point.survival <= previous.survival, JSON.stringify(point))
          assert.ok(0 <= point.lower && point.lower <= point.survival, JSON.stringify(point))
          assert.ok(point.survival <= point.upper && point.upper <= 1, JSON.stringify(point))
          assert.ok(point.failures >= 1 && point.failures <= point.atRisk, JSON.stringify(point))
          assert.ok(point.atRisk <= previous.atRisk, 'units at risk never come back')
          previous = point
        }
        const plot = probabilityPlotPoints(curve)
        let before = 0
        for (const q of plot) {
          assert.ok(q.fraction >= before && q.fraction <= 1, JSON.stringify(q))
          before = q.fraction
        }
      }),
      { numRuns: 400 },
    )
  })

  test('claims per 1,000 by month in service: at risk never negative, failures never above it', () => {
    fc.assert(
      fc.property(aPopulation, (p) => {
        const rates = claimsPerThousandByMonth(observationsOf(p))
        let atRisk = Number.POSITIVE_INFINITY
        rates.forEach((r, i) => {
          assert.equal(r.month, i + 1)
          assert.ok(r.atRisk >= 0 && r.atRisk <= atRisk, JSON.stringify(r))
          assert.ok(r.failures >= 0 && r.failures <= r.atRisk, JSON.stringify(r))
          assert.ok(r.perThousand >= 0 && r.perThousand <= 1000, JSON.stringify(r))
          atRisk = r.atRisk
        })
        assert.equal(
          rates.reduce((s, r) => s + r.failures, 0),
          countedFailures(p),
        )
        if (rates[0]) assert.equal(rates[0].atRisk, unitsStarted(p))
      }),
      { numRuns: 400 },
    )
  })

  test('the Nevada table holds every started unit and every counted failure, in no month after the as-of day', () => {
    fc.assert(
      fc.property(aPopulation, (p) => {
        const table = nevadaTable(p.cohorts, p.failures, p.asOfDay)
        const asOfMonth = new Date(p.asOfDay * 86_400_000).toISOString().slice(0, 7)
        assert.equal(
          table.rows.reduce((s, r) => s + r.units, 0),
          unitsStarted(p),
        )
        let failures = 0
        for (const row of table.rows) {
          assert.ok(row.period <= asOfMonth)
          let inRow = 0
          for (const [month, n] of Object.entries(row.failures)) {
            assert.ok(month >= row.period && month <= asOfMonth, `${row.period} → ${month}`)
            inRow += n
          }
          assert.ok(inRow <= row.units, `${inRow} failures of ${row.units} units started in ${row.period}`)
          failures += inRow
        }
        assert.equal(failures, countedFailures(p))
      }),
      { numRuns: 400 },
    )
  })
})

describe('the order and the size of the input (properties)', () => {
  test('shuffling the cohorts and the claims changes nothing', () => {
    fc.assert(
      fc.property(aPopulation, fc.integer(), (p, seed) => {
        const q: Population = {
          asOfDay: p.asOfDay,
          cohorts: shuffled(p.cohorts, seed),
          failures: shuffled(p.failures, seed + 1),
        }
        assert.deepEqual(observationsOf(q), observationsOf(p))
        assert.deepEqual(kaplanMeier(observationsOf(q)), kaplanMeier(observationsOf(p)))
        assert.deepEqual(
          claimsPerThousandByMonth(observationsOf(q)),
          claimsPerThousandByMonth(observationsOf(p)),
        )
        assert.deepEqual(
          nevadaTable(q.cohorts, q.failures, q.asOfDay),
          nevadaTable(p.cohorts, p.failures, p.asOfDay),
        )
      }),
      { numRuns: 300 },
    )
  })

  test('every unit and claim twice: the same curve and rates over twice the units', () => {
    fc.assert(
      fc.property(aPopulation, (p) => {
        const once = kaplanMeier(observationsOf(p))
        const twice = kaplanMeier(observationsOf(doubled(p)))
        // Exact: doubling numerator and denominator is exact in binary floating point.
        assert.deepEqual(
          twice.map((t) => [t.age, t.survival, t.atRisk, t.failures]),
          once.map((o) => [o.age, o.survival, 2 * o.atRisk, 2 * o.failures]),
        )
        assert.deepEqual(
          claimsPerThousandByMonth(observationsOf(doubled(p))).map((r) => r.perThousand),
          claimsPerThousandByMonth(observationsOf(p)).map((r) => r.perThousand),
        )
      }),
      { numRuns: 300 },
    )
  })

  test('a cohort listed twice, each time with its units, is the cohort twice', () => {
    fc.assert(
      fc.property(aPopulation, (p) => {
        assert.deepEqual(observationsOf(listedTwice(p)), observationsOf(doubled(p)))
        const a = listedTwice(p)
        const b = doubled(p)
        assert.deepEqual(
          nevadaTable(a.cohorts, a.failures, a.asOfDay),
          nevadaTable(b.cohorts, b.failures, b.asOfDay),
        )
      }),
      { numRuns: 300 },
    )
  })
})
