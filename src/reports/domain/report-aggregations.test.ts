import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  countFailureModes,
  fillClaimsPerMonth,
  listMonths,
  openCasesByAge,
  rateClaimsPerHundredUnits,
  shapeOpenCases,
  sumWarrantyCost,
  tallyDecisionMix,
  UNASSIGNED_PAYER,
} from './report-aggregations.ts'

const seriesOf = (chart: { series: { name: string; data: (number | null)[] }[] }, name: string) =>
  chart.series.find((s) => s.name === name)?.data

describe('rateClaimsPerHundredUnits', () => {
  const rows = [
    {
      name: 'rate is claims per 100 units sold, worst group first',
      claims: [
        { key: 'm1', label: 'Neptune-C II', count: 3 },
        { key: 'm2', label: 'Uranus-C', count: 1 },
      ],
      units: [
        { key: 'm1', count: 200 },
        { key: 'm2', count: 20 },
      ],
      keys: ['m2', 'm1'],
      labels: ['Uranus-C', 'Neptune-C II'],
      rates: [5, 1.5],
      totalRate: 1.82,
    },
    {
      name: 'a group with sales and no claims shows a rate of 0',
      claims: [{ key: 'b1', count: 2 }],
      units: [
        { key: 'b1', count: 100 },
        { key: 'b2', count: 50 },
      ],
      keys: ['b1', 'b2'],
      labels: ['b1', 'b2'],
      rates: [2, 0],
      totalRate: 1.33,
    },
    {
      name: 'a group with claims and no recorded sales has no rate rather than an infinite one',
      claims: [
        { key: 'd1', label: 'Dealer One', count: 4 },
        { key: 'd2', count: 1 },
      ],
      units: [{ key: 'd2', label: 'Dealer Two', count: 3 }],
      keys: ['d2', 'd1'],
      labels: ['Dealer Two', 'Dealer One'],
      rates: [33.33, null],
      totalRate: 166.67,
    },
    {
      name: 'nothing in, nothing out',
      claims: [],
      units: [],
      keys: [],
      labels: [],
      rates: [],
      totalRate: null,
    },
  ]
  for (const row of rows) {
    test(row.name, () => {
      const report = rateClaimsPerHundredUnits('model', row.claims, row.units)
      assert.deepEqual(report.keys, row.keys)
      assert.deepEqual(report.labels, row.labels)
      assert.deepEqual(seriesOf(report, 'ratePer100'), row.rates)
      assert.equal(report.totals.ratePer100, row.totalRate)
      for (const s of report.series) assert.equal(s.data.length, report.labels.length)
    })
  }
})

describe('countFailureModes', () => {
  test('counts problem kinds and findings per group, each finding once per claim', () => {
    const report = countFailureModes('model', [
      { group: 'm1', groupLabel: 'Ares', problemKind: 'malfunction', findings: ['liquid-damage'] },
      { group: 'm1', groupLabel: 'Ares', problemKind: 'malfunction', findings: [] },
      { group: 'm2', problemKind: 'arrived-damaged', findings: ['physical-damage', 'physical-damage'] },
      { group: 'm1', problemKind: null, findings: ['liquid-damage'] },
    ])
    assert.deepEqual(report.keys, ['m1', 'm2'])
    assert.deepEqual(report.labels, ['Ares', 'm2'])
    assert.deepEqual(seriesOf(report, 'problem:malfunction'), [2, 0])
    assert.deepEqual(seriesOf(report, 'finding:liquid-damage'), [2, 0])
    assert.deepEqual(seriesOf(report, 'finding:physical-damage'), [0, 1])
    assert.deepEqual(report.modes[0], { mode: 'liquid-damage', source: 'finding', total: 2 })
    assert.deepEqual(
      report.modes.map((m) => `${m.source}:${m.mode}`),
      report.series.map((s) => s.name),
    )
  })
})

describe('months', () => {
  const rows = [
    { name: 'within one year', first: '2025-03', last: '2025-05', months: ['2025-03', '2025-04', '2025-05'] },
    {
      name: 'across a new year',
      first: '2024-11',
      last: '2025-02',
      months: ['2024-11', '2024-12', '2025-01', '2025-02'],
    },
    { name: 'one month', first: '2025-07', last: '2025-07', months: ['2025-07'] },
    { name: 'an empty range', first: '2025-08', last: '2025-07', months: [] },
  ]
  for (const row of rows) {
    test(`listMonths: ${row.name}`, () => assert.deepEqual(listMonths(row.first, row.last), row.months))
  }

  test('claims per month fills gaps with zero within the months that have claims', () => {
    const report = fillClaimsPerMonth([
      { month: '2025-01', count: 4 },
      { month: '2025-03', count: 1 },
    ])
    assert.deepEqual(report.labels, ['2025-01', '2025-02', '2025-03'])
    assert.deepEqual(report.series[0]?.data, [4, 0, 1])
    assert.equal(report.total, 5)
  })

  test('claims per month spans the filter range when one is given', () => {
    const report = fillClaimsPerMonth([{ month: '2025-02', count: 2 }], {
      from: '2025-01-15',
      to: '2025-03-02',
    })
    assert.deepEqual(report.labels, ['2025-01', '2025-02', '2025-03'])
    assert.deepEqual(report.series[0]?.data, [0, 2, 0])
  })

  test('no claims and no range gives an empty chart', () => {
    assert.deepEqual(fillClaimsPerMonth([]), { labels: [], series: [{ name: 'claims', data: [] }], total: 0 })
  })
})

describe('shapeOpenCases', () => {
  test('keeps the lifecycle order, empty states included, unknown states after', () => {
    const report = shapeOpenCases(
      [
        { state: 'received', count: 2 },
        { state: 'new', count: 5 },
        { state: 'zz-later', count: 1 },
      ],
      ['new', 'authorized', 'received'],
    )
    assert.deepEqual(report.labels, ['new', 'authorized', 'received', 'zz-later'])
    assert.deepEqual(report.series[0]?.data, [5, 0, 2, 1])
    assert.equal(report.total, 8)
  })
})

describe('sumWarrantyCost', () => {
  test('one chart per currency, cost kinds on the axis, one series per payer', () => {
    const report = sumWarrantyCost(
      [
        { currency: 'USD', payer: 'vendor', kind: 'parts', amount: 5000 },
        { currency: 'USD', payer: 'vendor', kind: 'return-shipping', amount: 3000 },
        { currency: 'USD', payer: 'customer', kind: 'inbound-shipping', amount: 2500 },
        { currency: 'USD', payer: 'vendor', kind: 'parts', amount: 1000 },
        { currency: 'CNY', payer: null, kind: 'labour', amount: 800 },
      ],
      ['parts', 'labour', 'inbound-shipping', 'return-shipping'],
    )
    assert.deepEqual(
      report.currencies.map((c) => c.currency),
      ['CNY', 'USD'],
    )
    const usd = report.currencies[1]
    assert.ok(usd)
    assert.deepEqual(usd.labels, ['parts', 'inbound-shipping', 'return-shipping'])
    assert.deepEqual(seriesOf(usd, 'vendor'), [6000, 0, 3000])
    assert.deepEqual(seriesOf(usd, 'customer'), [0, 2500, 0])
    assert.equal(usd.total, 11500)
    assert.deepEqual(usd.byPayer, [
      { payer: 'vendor', amount: 9000 },
      { payer: 'customer', amount: 2500 },
    ])
    assert.deepEqual(report.currencies[0]?.byPayer, [{ payer: UNASSIGNED_PAYER, amount: 800 }])
  })

  test('the cost of warranty is every line but those the customer paid, and the two make the total', () => {
    const payer = fc.constantFrom('vendor', 'dealer', 'manufacturer', 'customer', null)
    const sum = fc.record({
      currency: fc.constantFrom('USD', 'CNY', 'EUR'),
      payer,
      kind: fc.constantFrom('parts', 'labour', 'inbound-shipping', 'return-shipping'),
      amount: fc.integer({ min: 0, max: 1_000_000 }),
    })
    fc.assert(
      fc.property(fc.array(sum, { maxLength: 30 }), (sums) => {
        for (const chart of sumWarrantyCost(sums).currencies) {
          const ofCurrency = sums.filter((s) => s.currency === chart.currency)
          const paidByCustomer = ofCurrency
            .filter((s) => s.payer === 'customer')
            .reduce((total, s) => total + s.amount, 0)
          const borne = ofCurrency
            .filter((s) => s.payer !== 'customer')
            .reduce((total, s) => total + s.amount, 0)
          assert.equal(chart.customerPaidMinor, paidByCustomer)
          assert.equal(chart.borneMinor, borne)
          assert.equal(chart.borneMinor + chart.customerPaidMinor, chart.total)
        }
      }),
    )
  })
})

describe('tallyDecisionMix', () => {
  test('counts coverage, bases, and the top exclusion codes once per decision', () => {
    const report = tallyDecisionMix(
      [
        { covered: true, basis: 'warranty', exclusionCodes: [] },
        { covered: true, basis: 'doa', exclusionCodes: [] },
        { covered: false, basis: 'none', exclusionCodes: ['liquid-damage', 'liquid-damage', 'expired'] },
        { covered: false, basis: 'none', exclusionCodes: ['expired'] },
        { covered: false, basis: 'none', exclusionCodes: ['seal-broken'] },
      ],
      { topExclusions: 2, basisOrder: ['doa', 'warranty', 'none'] },
    )
    assert.equal(report.decisions, 5)
    assert.deepEqual(report.coverage.series[0]?.data, [2, 3])
    assert.deepEqual(report.basis.labels, ['doa', 'warranty', 'none'])
    assert.deepEqual(report.basis.series[0]?.data, [1, 1, 3])
    assert.deepEqual(report.exclusions.labels, ['expired', 'liquid-damage'])
    assert.deepEqual(report.exclusions.series[0]?.data, [2, 1])
  })
})

describe('open cases by age', () => {
  test('each case falls in the band of its whole days since opening', () => {
    const byAge = openCasesByAge(
      [
        { state: 'new', openedOn: '2026-03-10', count: 1 }, // 0 days
        { state: 'new', openedOn: '2026-03-08', count: 2 }, // 2 days
        { state: 'new', openedOn: '2026-03-07', count: 3 }, // 3 days
        { state: 'received', openedOn: '2026-03-03', count: 4 }, // 7 days
        { state: 'received', openedOn: '2026-02-08', count: 5 }, // 30 days
        { state: 'received', openedOn: '2026-02-07', count: 6 }, // 31 days
      ],
      ['new', 'received'],
      '2026-03-10',
    )
    assert.deepEqual(byAge, [
      { name: 'days-0-2', data: [3, 0] },
      { name: 'days-3-7', data: [3, 4] },
      { name: 'days-8-30', data: [0, 5] },
      { name: 'days-31-plus', data: [0, 6] },
    ])
  })

  test('the bands add up to the open cases of each state, whatever the ages', () => {
    const day = fc.integer({ min: 0, max: 800 }).map((n) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000))
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            state: fc.constantFrom('new', 'authorized', 'received'),
            openedOn: day,
            count: fc.nat(50),
          }),
        ),
        (rows) => {
          const counts = rows.map((r) => ({ ...r, openedOn: r.openedOn.toISOString().slice(0, 10) }))
          const shaped = shapeOpenCases(counts, ['new', 'authorized', 'received'])
          const byAge = openCasesByAge(counts, shaped.labels, '2026-03-10')
          const summed = shaped.labels.map((_, i) =>
            byAge.reduce((sum, band) => sum + (band.data[i] ?? 0), 0),
          )
          assert.deepEqual(summed, shaped.series[0]?.data)
        },
      ),
    )
  })
})
