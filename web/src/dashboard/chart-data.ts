import type { Chart as ChartData } from '../../../src/reports/report.schemas.ts'
import { minorDigits } from '../i18n/money.ts'

/**
 * How the dashboard turns a report's chart answer into what a reader sees: names instead of
 * keys, money in major units, a chart type that fits the data, and the CSV of the same
 * figures. Pure, so the arithmetic is tested without a browser.
 */

/** Amounts in minor units (cents, fen) as major units, rounded to the currency's own digits. */
export function toMajorUnits(chart: ChartData, currency: string): ChartData {
  const digits = minorDigits(currency)
  const scale = 10 ** digits
  return {
    labels: chart.labels,
    series: chart.series.map((s) => ({
      name: s.name,
      data: s.data.map((v) => (v === null ? null : Number((v / scale).toFixed(digits)))),
    })),
  }
}

/** Labels and series names in words, through the caller's translations. */
export function nameChart(
  chart: ChartData,
  names: { label?: (raw: string) => string; series?: (raw: string) => string },
): ChartData {
  return {
    labels: chart.labels.map((l) => names.label?.(l) ?? l),
    series: chart.series.map((s) => ({ name: names.series?.(s.name) ?? s.name, data: s.data })),
  }
}

/**
 * A line joins points in order, so it fits only a series of several points along time; one
 * or a few points read better as bars.
 */
export function fitChartType(wanted: 'bar' | 'line', points: number): 'bar' | 'line' {
  return wanted === 'line' && points >= 4 ? 'line' : 'bar'
}

/** The chart's figures as CSV (RFC 4180): the x-axis title, then one column per series. */
export function chartToCsv(chart: ChartData, xTitle: string): string {
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value)
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  const rows = [[xTitle, ...chart.series.map((s) => s.name)].map(cell).join(',')]
  chart.labels.forEach((label, i) => {
    rows.push([label, ...chart.series.map((s) => s.data[i] ?? null)].map(cell).join(','))
  })
  return `${rows.join('\r\n')}\r\n`
}

/** Only the named series, for charts that draw one measure and tabulate the rest. */
export function pickSeries(chart: ChartData, names: readonly string[]): ChartData {
  return { labels: chart.labels, series: chart.series.filter((s) => names.includes(s.name)) }
}
