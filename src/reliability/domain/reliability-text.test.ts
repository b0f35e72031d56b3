import assert from 'node:assert/strict'
import { test } from 'node:test'
import { nameWarningReference } from '../../contracts/warning-reference.ts'
import { asciiPunctuationIn } from '../../shared/messages/chinese-punctuation.test-support.ts'
import type { ReliabilityReport } from '../reliability.schemas.ts'
import { EXCLUDED_CLAIMS, FAILURE_DEFINITION } from './failure-definition.ts'
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
      // The text writes the whole cost; who bears it is the page's and the API's to split.
      cost12Months: costs.map((c) => ({ ...c, borne: c, customerPaid: { estimate: 0, lower: 0, upper: 0 } })),
      reserveCost: costs.map((c) => ({ ...c, borne: c, customerPaid: { estimate: 0, lower: 0, upper: 0 } })),
    },
    whatIf: null,
    elapsedMs: 1,
  }
  return report
}

/** A report with every part the text shows: both fits, a forecast with a cost, a what-if and two warnings. */
function fullReport(): ReliabilityReport {
  const report = reportWithCosts([{ currency: 'USD', estimate: 123450, lower: 100000, upper: 150000 }])
  return {
    ...report,
    scope: { ...report.scope, batch: 'B-7' },
    definition: {
      failure: FAILURE_DEFINITION,
      excluded: [...EXCLUDED_CLAIMS],
      censoring: 'right',
      ageOrigin: 'delivery',
    },
    counts: { units: 12345, unitsWithoutStart: 12, failures: 321, claimsExcluded: 45, termDays: 730 },
    weibull: {
      shape: 1.23456,
      shapeInterval: { lower: 1.1, upper: 1.4 },
      scale: 4567.8,
      scaleInterval: { lower: 4000, upper: 5000 },
      b10: interval(800),
      withinTerm: interval(0.05),
      logLikelihood: -100,
      aic: 204.44,
    },
    lognormal: {
      mu: interval(8),
      sigma: interval(1.5),
      median: interval(3000),
      b10: interval(700),
      withinTerm: interval(0.06),
      logLikelihood: -101,
      aic: 206.5,
    },
    betterFit: 'weibull',
    fitNote: 'weibull has the lower AIC',
    whatIf: {
      term: 'P3Y',
      termDays: 1095,
      units: 9000,
      fraction: interval(0.08),
      claims: interval(720),
      current: null,
      cost: [],
      currentCost: [],
    },
    warnings: [
      {
        scope: 'batch',
        key: 'B-7',
        month: '2026-02',
        level: 'critical',
        window: ['2026-01', '2026-02'],
        observed: 9,
        expected: 2.25,
        pValue: 0.000123,
        threshold: 0.001,
        reference: nameWarningReference({ kind: 'other-batches' }),
      },
      {
        scope: 'model',
        key: 'm1',
        month: '2026-02',
        level: 'caution',
        window: ['2026-02'],
        observed: 5,
        expected: 1.5,
        pValue: 0.004,
        threshold: 0.01,
        reference: nameWarningReference({ kind: 'history', before: '2025-06' }),
      },
    ],
  }
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

test('what customers paid is said apart from the cost the maker, seller and dealers bear, in English and Chinese', () => {
  const report = reportWithCosts([])
  const forecast = report.forecast
  assert.ok(forecast)
  const usd = {
    currency: 'USD',
    estimate: 130000,
    lower: 100000,
    upper: 160000,
    borne: { estimate: 100000, lower: 80000, upper: 120000 },
    customerPaid: { estimate: 30000, lower: 20000, upper: 40000 },
  }
  forecast.cost12Months = [usd]
  forecast.reserveCost = [usd]
  const lines = formatReliabilityText(report, 'en').split('\n')
  const at = lines.indexOf('  cost next 12 months USD 1,300.00 [1,000.00, 1,600.00]')
  assert.ok(at >= 0, lines.join('\n'))
  assert.equal(
    lines[at + 1],
    '    borne by the maker, seller and dealers USD 1,000.00 [800.00, 1,200.00]; paid by customers USD 300.00 [200.00, 400.00]',
  )
  const zh = formatReliabilityText(report, 'zh')
  assert.ok(
    zh.includes(
      '    其中厂商、卖家和经销商承担 USD 1,000.00 ［800.00，1,200.00］；客户支付 USD 300.00 ［200.00，400.00］',
    ),
    zh,
  )
})

test('the English report reads as it always has, line by line', () => {
  assert.equal(formatReliabilityText(fullReport(), 'en'), ENGLISH)
})

test('the Chinese report says every line in Chinese, with the figures, codes and names as in English', () => {
  const text = formatReliabilityText(fullReport(), 'zh')
  const lines = text.trimEnd().split('\n')
  assert.equal(lines.length, ENGLISH.trimEnd().split('\n').length, text)
  for (const line of lines) {
    assert.match(line, /\p{Script=Han}/u, line)
    // What stays in Latin letters is a code or name shown as written: B10, AIC, P3Y, USD, the model's name and ids.
    const words = line
      .replace(/Cooler 1|B-7|m1|B10|AIC|P3Y|USD|\d+(?:\.\d+)?e[-+]\d+|p =/g, ' ')
      .match(/[A-Za-z]{2,}/g)
    assert.deepEqual(words ?? [], [], line)
    assert.deepEqual(asciiPunctuationIn(line), [], `full-width punctuation in ${line}`)
  }
  assert.ok(lines.includes('Cooler 1（m1）批次 B-7 的可靠性，截至 2026-03-01'), text)
  assert.ok(lines.includes('  未来 12 个月费用 USD 1,234.50 ［1,000.00，1,500.00］'), text)
  assert.ok(lines.includes('拟合更优：威布尔的 AIC 较低'), text)
  assert.ok(
    lines.some(
      (line) => line.startsWith('预警 严重 批次 B-7 2026-02：') && line.includes('其他批次的拟合曲线'),
    ),
    text,
  )
  assert.ok(
    lines.some((line) => line.startsWith('预警 注意 型号 m1 2026-02：') && line.includes('2025年6月之前')),
    text,
  )
})

/** The English text of `fullReport()`, as the command printed it before it spoke Chinese too. */
const ENGLISH = `${[
  'Reliability of Cooler 1 (m1), batch B-7, as of 2026-03-01',
  'Units 12,345 (12 without a start date left out), first failures 321, claims not counted 45',
  'Failure: the first claim of a unit for a malfunction with a confirmed fault: decided as covered, or repaired, replaced or refunded (paid repairs included); for claims imported from an earlier system, a malfunction whose fault that system confirmed',
  'Left out: no fault found (claims resolved remotely, or closed unrepaired or scrapped without a repair); not as described; transport damage (arrived damaged); software upgrades; cancelled claims, and claims not yet decided',
  'Weibull: shape β 1.235 [1.100, 1.400], scale η 4,568 days [4,000, 5,000]',
  '  B10 800 days [640, 1,000]; failing within the term 5.00 % [4.00 %, 6.25 %]; AIC 204.4',
  'Lognormal: median 3,000 days, σ 1.500; failing within the term 6.00 %; AIC 206.5',
  'Better fit: weibull has the lower AIC',
  'Next 12 months: 10.0 claims [8.0, 12.5] from 800 units under warranty',
  'Reserve (until the warranties end): 20.0 claims [16.0, 25.0]',
  '  cost next 12 months USD 1,234.50 [1,000.00, 1,500.00]',
  '  reserve USD 1,234.50 [1,000.00, 1,500.00]',
  'If the term were P3Y: 8.00 % of units would claim, 720.0 claims [576.0, 900.0] on 9,000 units',
  'Warning CRITICAL batch B-7 2026-02: 9 first failures in 2026-01+2026-02 against 2.3 expected (p = 1.23e-4 < 1.00e-3; fitted curve of the other batches)',
  'Warning CAUTION model m1 2026-02: 5 first failures in 2026-02 against 1.5 expected (p = 4.00e-3 < 1.00e-2; fitted curve of the history before 2025-06)',
].join('\n')}\n`
