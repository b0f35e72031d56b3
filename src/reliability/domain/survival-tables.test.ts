import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseDay } from '../../shared/day-numbers.ts'
import { claimsPerThousandByMonth, kaplanMeier, probabilityPlotPoints } from './survival-tables.ts'
import { lifeObservations, nevadaTable } from './warranty-data.ts'

describe('Kaplan–Meier', () => {
  test('product-limit steps and Greenwood bands on a small hand-checked set', () => {
    // 6 units: failures at 3, 6 (two), 10; censored at 7 and 12.
    const curve = kaplanMeier([
      { age: 3, count: 1, failed: true },
      { age: 6, count: 2, failed: true },
      { age: 7, count: 1, failed: false },
      { age: 10, count: 1, failed: true },
      { age: 12, count: 1, failed: false },
    ])
    assert.deepEqual(
      curve.map((p) => [p.age, p.atRisk, p.failures]),
      [
        [3, 6, 1],
        [6, 5, 2],
        [10, 2, 1],
      ],
    )
    const expected = [5 / 6, (5 / 6) * (3 / 5), (5 / 6) * (3 / 5) * (1 / 2)]
    curve.forEach((p, i) => {
      assert.ok(Math.abs(p.survival - expected[i]!) < 1e-12)
      assert.ok(p.lower < p.survival && p.survival < p.upper && p.lower > 0 && p.upper < 1)
    })
    const plot = probabilityPlotPoints(curve)
    assert.ok(Math.abs(plot[0]!.fraction - 1 / 12) < 1e-12)
  })
})

describe('warranty data from cohorts', () => {
  const cohorts = [
    { startDate: '2025-01-10', batch: 'A', units: 10, termDays: 365 },
    { startDate: '2025-02-01', batch: 'A', units: 5, termDays: 365 },
  ]
  const failures = [
    { startDate: '2025-01-10', batch: 'A', termDays: 365, claimedOn: '2025-02-09' },
    { startDate: '2025-01-10', batch: 'A', termDays: 365, claimedOn: '2026-03-01' }, // after the term: not counted
  ]
  const asOf = parseDay('2026-06-30')

  test('units without a failure are censored at the end of the term; failures past it do not count', () => {
    const rows = lifeObservations(cohorts, failures, asOf)
    assert.deepEqual(rows, [
      { age: 30.5, count: 1, failed: true },
      { age: 365, count: 14, failed: false },
    ])
  })

  test('units are censored at their current age before the term ends', () => {
    const rows = lifeObservations(cohorts, failures, parseDay('2025-03-01'))
    assert.deepEqual(rows, [
      { age: 29, count: 5, failed: false },
      { age: 30.5, count: 1, failed: true },
      { age: 51, count: 9, failed: false },
    ])
  })

  test('Nevada table: units by start month against failures by claim month', () => {
    const table = nevadaTable(cohorts, failures, asOf)
    assert.deepEqual(table.periods, ['2025-01', '2025-02'])
    assert.deepEqual(table.returnPeriods, ['2025-02'])
    assert.deepEqual(table.rows[0], { period: '2025-01', units: 10, failures: { '2025-02': 1 } })
  })

  test('claims per thousand by month in service', () => {
    const rates = claimsPerThousandByMonth(lifeObservations(cohorts, failures, asOf))
    assert.equal(rates[0]!.atRisk, 15)
    assert.equal(rates[0]!.failures, 0)
    assert.equal(rates[1]!.failures, 1)
    assert.ok(Math.abs(rates[1]!.perThousand - 1000 / 15) < 1e-9)
  })

  test('a cohort handed over in two parts is the same units: its failures are taken from them once', () => {
    const whole = lifeObservations(cohorts, failures, asOf)
    const parts = lifeObservations(
      [{ ...cohorts[0]!, units: 6 }, { ...cohorts[0]!, units: 4 }, cohorts[1]!],
      failures,
      asOf,
    )
    assert.deepEqual(parts, whole)
  })
})
