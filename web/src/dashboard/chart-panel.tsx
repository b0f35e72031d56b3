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
import { useEffect, useRef } from 'react'
import type { Chart as ChartData } from '../../../src/reports/report.schemas.ts'

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

/** A chart.js canvas with a text table beside it for screen readers and for copying figures. */
export function ChartPanel({
  title,
  data,
  type = 'bar',
  stacked = false,
}: {
  title: string
  data: ChartData
  type?: ChartType
  stacked?: boolean
}) {
  const canvas = useRef<HTMLCanvasElement>(null)

  useEffect(() => {
    if (!canvas.current) return
    const text = readCssColor('--text-muted', '#888')
    const grid = readCssColor('--border', '#ccc')
    const chart = new Chart(canvas.current, {
      type,
      data: {
        labels: data.labels,
        datasets: data.series.map((series, index) => ({
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
        plugins: { legend: { labels: { color: text } } },
        scales:
          type === 'doughnut'
            ? {}
            : {
                x: { stacked, ticks: { color: text }, grid: { color: grid } },
                y: { stacked, beginAtZero: true, ticks: { color: text }, grid: { color: grid } },
              },
      },
    })
    return () => chart.destroy()
  }, [data, type, stacked])

  return (
    <figure className="card chart">
      <figcaption>
        <h2 className="h3">{title}</h2>
      </figcaption>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={title} />
      </div>
      <details>
        <summary>{title}: table</summary>
        <table className="table">
          <thead>
            <tr>
              <th scope="col" />
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
                {data.series.map((s) => (
                  <td key={s.name} className="num">
                    {s.data[row] ?? '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}
