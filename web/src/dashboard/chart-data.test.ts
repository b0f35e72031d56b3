import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { minorDigits } from '../i18n/money.ts'
import { chartToCsv, fitChartType, nameChart, pickSeries, toMajorUnits } from './chart-data.ts'

describe('dashboard chart data', () => {
  test('money is shown in major units of its own currency', () => {
    const chart = { labels: ['parts', 'labour'], series: [{ name: 'vendor', data: [9000, 1250] }] }
    assert.deepEqual(toMajorUnits(chart, 'USD').series[0]?.data, [90, 12.5])
    assert.deepEqual(toMajorUnits(chart, 'CNY').series[0]?.data, [90, 12.5])
    assert.equal(minorDigits('JPY'), 0)
    assert.deepEqual(toMajorUnits(chart, 'JPY').series[0]?.data, [9000, 1250])
  })

  test('the major-unit total equals the sum of the minor-unit lines divided once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 20 }),
        (cents) => {
          const chart = { labels: cents.map((_, i) => `k${i}`), series: [{ name: 'p', data: cents }] }
          const major = toMajorUnits(chart, 'EUR').series[0]?.data ?? []
          const sumMajor = major.reduce<number>((s, v) => s + (v ?? 0), 0)
          const sumMinor = cents.reduce((s, v) => s + v, 0)
          assert.equal(Math.round(sumMajor * 100), sumMinor)
        },
      ),
    )
  })

  test('a line only for a series of several points', () => {
    assert.equal(fitChartType('line', 1), 'bar')
    assert.equal(fitChartType('line', 3), 'bar')
    assert.equal(fitChartType('line', 12), 'line')
    assert.equal(fitChartType('bar', 12), 'bar')
  })

  test('CSV quotes what needs quoting and keeps the names', () => {
    const chart = nameChart(
      { labels: ['a,b', 'plain'], series: [{ name: 'open', data: [1, null] }] },
      { series: (raw) => (raw === 'open' ? 'Open "now"' : raw) },
    )
    assert.equal(chartToCsv(chart, 'State'), 'State,"Open ""now"""\r\n"a,b",1\r\nplain,\r\n')
  })

  test('only the named series are drawn', () => {
    const chart = {
      labels: ['m'],
      series: [
        { name: 'ratePer100', data: [2] },
        { name: 'claims', data: [4] },
      ],
    }
    assert.deepEqual(
      pickSeries(chart, ['ratePer100']).series.map((s) => s.name),
      ['ratePer100'],
    )
  })
})
