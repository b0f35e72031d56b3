import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartType,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js'
import { useEffect, useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { Chart as ChartData } from '../../../src/reports/report.schemas.ts'
import { chartToCsv } from './chart-data.ts'

// Register only what the dashboard draws, so the chunk carries no unused controllers.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  DoughnutController,
  ArcElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
)

const PALETTE = ['#5b8def', '#e3a33b', '#4fb286', '#d9626b', '#9b7fe0', '#5fb7c9', '#c98f5f']

function readCssColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback
}

/**
 * A chart.js canvas with its axes named, a text table beside it for screen readers and for
 * copying figures, and the same figures as a CSV download. `data` arrives already in words
 * (see chart-data.ts); `drawn` picks the series the canvas shows when the table has more.
 */
export function ChartPanel({
  title,
  question,
  data,
  drawn,
  type = 'bar',
  stacked = false,
  xTitle,
  yTitle,
  formatValue = (value) => value.toLocaleString(),
  csvName,
}: {
  title: string
  /** The question the chart answers, in the reader's words. */
  question?: string
  data: ChartData
  drawn?: ChartData
  type?: ChartType
  stacked?: boolean
  xTitle: string
  yTitle: string
  formatValue?: (value: number) => string
  csvName: string
}) {
  const { t } = useTranslation()
  const canvas = useRef<HTMLCanvasElement>(null)
  const shown = drawn ?? data

  useEffect(() => {
    if (!canvas.current) return
    const text = readCssColor('--text-muted', '#888')
    const grid = readCssColor('--border', '#ccc')
    const axisTitle = (label: string) => ({ display: true, text: label, color: text })
    // Counts are drawn against whole-number ticks: an axis marked "1.5 claims" reads as nonsense.
    const counts = shown.series.every((series) => series.data.every((value) => Number.isInteger(value)))
    const chart = new Chart(canvas.current, {
      type,
      data: {
        labels: shown.labels,
        datasets: shown.series.map((series, index) => ({
          label: series.name,
          data: series.data,
          backgroundColor: type === 'doughnut' ? PALETTE : PALETTE[index % PALETTE.length],
          borderColor: type === 'line' ? PALETTE[index % PALETTE.length] : undefined,
          borderWidth: type === 'doughnut' ? 0 : 1,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        color: text,
        plugins: {
          legend: { labels: { color: text }, display: shown.series.length > 1 || type === 'doughnut' },
          tooltip: {
            callbacks: {
              label: (item) => `${item.dataset.label ?? ''}: ${formatValue(Number(item.raw ?? 0))}`,
            },
          },
        },
        scales:
          type === 'doughnut'
            ? {}
            : {
                x: { stacked, title: axisTitle(xTitle), ticks: { color: text }, grid: { color: grid } },
                y: {
                  stacked,
                  beginAtZero: true,
                  title: axisTitle(yTitle),
                  ticks: {
                    color: text,
                    callback: (value) => formatValue(Number(value)),
                    ...(counts ? { precision: 0 } : {}),
                  },
                  grid: { color: grid },
                },
              },
      },
    })
    return () => chart.destroy()
  }, [shown, type, stacked, xTitle, yTitle, formatValue])

  const csvHref = useMemo(
    () => `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${chartToCsv(data, xTitle)}`)}`,
    [data, xTitle],
  )

  return (
    <figure className="card chart" data-testid={`chart-${csvName}`}>
      <figcaption>
        <h2 className="h3">{title}</h2>
        {question && <p className="muted small">{question}</p>}
      </figcaption>
      <div className="chart-box">
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${title}. ${t('dashboard.axes', { x: xTitle, y: yTitle })}`}
        />
      </div>
      <p className="muted small" data-testid="chart-axes">
        {t('dashboard.axes', { x: xTitle, y: yTitle })}
      </p>
      <details>
        <summary>{t('dashboard.table', { title })}</summary>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{xTitle}</th>
              {data.series.map((s) => (
                <th key={s.name} scope="col">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.labels.map((label, row) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {data.series.map((s) => {
                  const value = s.data[row]
                  return (
                    <td key={s.name} className="num">
                      {value === null || value === undefined ? '—' : formatValue(value)}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <a className="button secondary small" href={csvHref} download={`${csvName}.csv`}>
        {t('dashboard.csv')}
      </a>
    </figure>
  )
}
