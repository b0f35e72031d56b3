import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ReliabilityReport } from '../reliability.schemas.ts'
import { formatReliabilityText } from './reliability-text.ts'

const interval = (estimate: number) => ({ estimate, lower: estimate * 0.8, upper: estimate * 1.25 })

/** A report with nothing fitted but a cost forecast in the currencies of three minor units. */
function reportWithCosts(costs: { currency: string; estimate: number; lower: number; upper: number }[]) {
  const report: ReliabilityReport = {
    scope: {
      model: { id: 'm1', name: 'Cooler 1' },
      batch: null,
      dealer: null,
      policy: null,
      asOf: '2026-03-01',
    },
    definition: { failure: 'first claim', excluded: [], censoring: 'right', ageOrigin: 'delivery' },
    counts: { units: 1000, unitsWithoutStart: 0, failures: 40, claimsExcluded: 0, termDays: 365 },
    weibull: null,
    lognormal: null,
    betterFit: null,
    fitNote: null,
    survival: [],
    probabilityPlot: [],
    nevada: { periods: [], returnPeriods: [], rows: [] },
    perThousandByMonth: [],
    monthly: [],
    warnings: [],
    forecast: {
      next12Months: interval(10),
      reserve: interval(20),
      unitsUnderWarranty: 800,
      costs: [],
      cost12Months: costs,
      reserveCost: costs,
    },
    whatIf: null,
    elapsedMs: 1,
  }
  return report
}

test('forecast costs are written in each currency’s own decimals: yen whole, dollars in cents, dinars in fils', () => {
  const text = formatReliabilityText(
    reportWithCosts([
      { currency: 'JPY', estimate: 123450, lower: 100000, upper: 150000 },
      { currency: 'USD', estimate: 123450, lower: 100000, upper: 150000 },
      { currency: 'KWD', estimate: 123450, lower: 100000, upper: 150000 },
    ]),
  )
  const lines = text.split('\n')
  assert.ok(lines.includes('  cost next 12 months JPY 123,450 [100,000, 150,000]'), text)
  assert.ok(lines.includes('  reserve JPY 123,450 [100,000, 150,000]'), text)
  assert.ok(lines.includes('  cost next 12 months USD 1,234.50 [1,000.00, 1,500.00]'), text)
  assert.ok(lines.includes('  cost next 12 months KWD 123.450 [100.000, 150.000]'), text)
})
