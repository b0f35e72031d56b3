import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js'
import type { TFunction } from 'i18next'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { readWarningReference } from '../../../src/contracts/warning-reference.ts'
import type { ReliabilityReport } from '../../../src/reliability/reliability.schemas.ts'
import { REGISTRY } from '../api/endpoints.ts'
import { type ModelSummary, type Page, readItems } from '../api/types.ts'
import { useSession } from '../auth/session.tsx'
import { DateField } from '../components/date-field.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { currentLanguage, formatDate, formatMinorMoney, formatMonth, HTML_LANG } from '../i18n/i18n.ts'
import { minorDigits, minorToMajor } from '../i18n/money.ts'
import { MailPreferencesCard } from '../profile/mail-preferences.tsx'
import { type ForecastMoney, forecastCostWords } from './forecast-cost.ts'
import { formatTerm, readIsoTerm, TERM_MAX, TERM_UNITS, type TermUnit, toIsoTerm } from './warranty-term.ts'

Chart.register(
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  LinearScale,
  LogarithmicScale,
  Filler,
  Legend,
  Tooltip,
)

const RELIABILITY = '/api/v1/reports/reliability'

/** The curve a warning's expected count comes from, in the reader's language, as its e-mail words it. */
function referenceText(t: TFunction, reference: string): string {
  const curve = readWarningReference(reference)
  if (curve.kind === 'history') return t('reliability.referenceHistory', { month: formatMonth(curve.before) })
  if (curve.kind === 'other-batches') return t('reliability.referenceOtherBatches')
  if (curve.kind === 'all-data') return t('reliability.referenceAllData')
  return t('reliability.referenceCurve')
}

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback
}

/** A chart.js canvas owned by one effect: rebuilt when its configuration changes. */
function useChart(
  build: (canvas: HTMLCanvasElement) => { destroy(): void } | null,
  report: ReliabilityReport,
  language: string,
) {
  const canvas = useRef<HTMLCanvasElement>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: a chart is drawn from the report in the page's language; build is a fresh closure over those
  useEffect(() => {
    if (!canvas.current) return
    const chart = build(canvas.current)
    return () => chart?.destroy()
  }, [report, language])
  return canvas
}

function SurvivalChart({ report }: { report: ReliabilityReport }) {
  const { t, i18n } = useTranslation()
  const canvas = useChart(
    (el) => {
      const text = cssColor('--text-muted', '#888')
      const points = (pick: (p: ReliabilityReport['survival'][number]) => number) => [
        { x: 0, y: 1 },
        ...report.survival.map((p) => ({ x: p.age, y: pick(p) })),
      ]
      return new Chart(el, {
        type: 'line',
        data: {
          datasets: [
            {
              label: t('reliability.survival'),
              data: points((p) => p.survival),
              stepped: true,
              borderColor: '#5b8def',
              pointRadius: 0,
            },
            {
              label: t('reliability.band'),
              data: points((p) => p.lower),
              stepped: true,
              borderColor: '#9bb8f2',
              borderDash: [4, 4],
              pointRadius: 0,
            },
            {
              label: '',
              data: points((p) => p.upper),
              stepped: true,
              borderColor: '#9bb8f2',
              borderDash: [4, 4],
              pointRadius: 0,
            },
          ],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          color: text,
          plugins: { legend: { labels: { color: text, filter: (item) => item.text !== '' } } },
          scales: {
            x: {
              type: 'linear',
              title: { display: true, text: t('reliability.ageDays'), color: text },
              ticks: { color: text },
            },
            y: {
              title: { display: true, text: t('reliability.survival'), color: text },
              ticks: { color: text },
            },
          },
        },
      })
    },
    report,
    i18n.language,
  )
  return (
    <div className="chart-box" style={{ height: 280 }}>
      <canvas ref={canvas} role="img" aria-label={t('reliability.survivalTitle')} />
    </div>
  )
}

/** The values 1, 2 and 5 times a power of ten between `min` and `max`. */
function oneTwoFive(min: number, max: number): number[] {
  const values: number[] = []
  for (let decade = 10 ** Math.floor(Math.log10(Math.max(min, 1e-9))); decade <= max; decade *= 10)
    for (const step of [1, 2, 5]) if (step * decade >= min && step * decade <= max) values.push(step * decade)
  return values
}

/** Weibull probability paper: ln(−ln(1 − F)) against age on a log axis, where a Weibull is a straight line. */
function WeibullPlot({ report }: { report: ReliabilityReport }) {
  const { t, i18n } = useTranslation()
  const canvas = useChart(
    (el) => {
      const text = cssColor('--text-muted', '#888')
      const toY = (f: number) => Math.log(-Math.log(1 - f))
      const points = report.probabilityPlot
        .filter((p) => p.fraction > 0 && p.fraction < 1)
        .map((p) => ({ x: p.age, y: toY(p.fraction) }))
      const w = report.weibull
      const ages = points.map((p) => p.x)
      const line =
        w && ages.length > 0
          ? [Math.min(...ages) / 2, Math.max(...ages) * 2].map((x) => ({
              x,
              y: w.shape * (Math.log(x) - Math.log(w.scale)),
            }))
          : []
      const percent = [0.001, 0.01, 0.05, 0.1, 0.5, 0.9, 0.99]
      return new Chart(el, {
        type: 'scatter',
        data: {
          datasets: [
            { label: t('reliability.observed'), data: points, backgroundColor: '#e3a33b' },
            {
              label: t('reliability.weibullFit'),
              data: line,
              type: 'line',
              borderColor: '#5b8def',
              pointRadius: 0,
            },
          ],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          color: text,
          plugins: { legend: { labels: { color: text } } },
          scales: {
            x: {
              type: 'logarithmic',
              title: { display: true, text: t('reliability.ageDays'), color: text },
              // Ages at 1, 2 and 5 of each decade: the axis's own log ticks (…, 800, 1,000, 1,500)
              // crowd and overlap at its right end.
              afterBuildTicks: (axis) => {
                axis.ticks = oneTwoFive(axis.min, axis.max).map((value) => ({ value }))
              },
              ticks: { color: text },
            },
            y: {
              title: { display: true, text: t('reliability.unreliability'), color: text },
              // Only the fractions inside the plotted range: one beyond it is drawn at the edge,
              // over its neighbour.
              afterBuildTicks: (axis) => {
                axis.ticks = percent
                  .map(toY)
                  .filter((value) => value >= axis.min && value <= axis.max)
                  .map((value) => ({ value }))
              },
              ticks: {
                color: text,
                callback: (value) => `${(100 * (1 - Math.exp(-Math.exp(Number(value))))).toPrecision(2)} %`,
              },
            },
          },
        },
      })
    },
    report,
    i18n.language,
  )
  return (
    <div className="chart-box" style={{ height: 280 }}>
      <canvas ref={canvas} role="img" aria-label={t('reliability.weibullTitle')} />
    </div>
  )
}

function csvCell(value: string | number): string {
  const text = String(value)
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * The survival curve and the Nevada table as one CSV download, two sections, with the column
 * names in the reader's language (English keeps the names scripts already read).
 */
function toCsv(report: ReliabilityReport, t: TFunction): string {
  const column = (key: string) => t(`reliability.csvColumns.${key}`)
  const rows: (string | number)[][] = [
    ['ageDays', 'atRisk', 'failures', 'survival', 'lower', 'upper'].map(column),
  ]
  for (const p of report.survival) rows.push([p.age, p.atRisk, p.failures, p.survival, p.lower, p.upper])
  rows.push([])
  rows.push([column('startMonth'), column('units'), ...report.nevada.returnPeriods])
  for (const r of report.nevada.rows)
    rows.push([r.period, r.units, ...report.nevada.returnPeriods.map((m) => r.failures[m] ?? 0)])
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`
}

function downloadCsv(report: ReliabilityReport, t: TFunction) {
  // The byte order mark tells a spreadsheet the file is UTF-8, or Chinese names show garbled.
  const blob = new Blob([`\uFEFF${toCsv(report, t)}`], { type: 'text/csv;charset=utf-8' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = `reliability-${report.scope.model?.id ?? report.scope.batch ?? 'scope'}-${report.scope.asOf}.csv`
  a.click()
  URL.revokeObjectURL(url)
}

const num = (n: number, digits = 0) =>
  n.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits })
/**
 * A cost forecast held in minor units, as the rest of the app writes money (` · US$1,235.00`,
 * ` · ¥123,450`), rounded to whole major units: a forecast has no cents to tell.
 */
/** A forecast amount in whole units of its currency: a forecast has no cents to speak of. */
const wholeMoney = (estimate: number, currency: string) =>
  formatMinorMoney(Math.round(minorToMajor(estimate, currency)) * 10 ** minorDigits(currency), currency)
const pct = (n: number) => `${(100 * n).toFixed(2)} %`

function Report({ report }: { report: ReliabilityReport }) {
  const { t } = useTranslation()
  // The cost a maker or seller reads is the one it bears; what customers pay is said apart.
  const borneCost = (c: ForecastMoney) => forecastCostWords(t, wholeMoney, c)
  // A model with years of history has more report months than fit across: the latest, the
  // ones a manager watches, come into view first; the start months stay at the left edge.
  const nevadaWrap = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const wrap = nevadaWrap.current
    if (wrap && report.nevada.returnPeriods.length > 0) wrap.scrollLeft = wrap.scrollWidth
  }, [report])
  const w = report.weibull
  const f = report.forecast
  return (
    <>
      <div className="card" data-testid="reliability-summary">
        <h2 className="h3">
          {report.scope.model && report.scope.batch
            ? `${report.scope.model.name} · ${t('reliability.batch')} ${report.scope.batch}`
            : (report.scope.model?.name ?? report.scope.batch)}
        </h2>
        <p className="muted">
          {t('reliability.counts', {
            units: num(report.counts.units),
            failures: num(report.counts.failures),
            excluded: num(report.counts.claimsExcluded),
            asOf: formatDate(report.scope.asOf),
          })}
        </p>
        {report.counts.unitsWithoutStart > 0 && (
          <p className="muted">
            {t('reliability.withoutStart', { units: num(report.counts.unitsWithoutStart) })}
          </p>
        )}
        <p className="muted">{t('reliability.definition')}</p>
        {w ? (
          <dl className="facts compact">
            <div className="fact-row">
              <dt>{t('reliability.shape')}</dt>
              <dd>
                {num(w.shape, 3)} [{num(w.shapeInterval.lower, 3)}, {num(w.shapeInterval.upper, 3)}]
              </dd>
            </div>
            <div className="fact-row">
              <dt>{t('reliability.scale')}</dt>
              <dd>
                {num(w.scale)} [{num(w.scaleInterval.lower)}, {num(w.scaleInterval.upper)}]
              </dd>
            </div>
            <div className="fact-row">
              <dt>{t('reliability.b10')}</dt>
              <dd>
                {num(w.b10.estimate)} [{num(w.b10.lower)}, {num(w.b10.upper)}]
              </dd>
            </div>
            <div className="fact-row">
              <dt>{t('reliability.withinTerm')}</dt>
              <dd>
                {pct(w.withinTerm.estimate)} [{pct(w.withinTerm.lower)}, {pct(w.withinTerm.upper)}]
              </dd>
            </div>
            <div className="fact-row">
              <dt>{t('reliability.betterFit')}</dt>
              <dd>
                {report.betterFit === 'lognormal' ? t('reliability.lognormal') : t('reliability.weibull')}
              </dd>
            </div>
            {f && (
              <>
                <div className="fact-row">
                  <dt>{t('reliability.next12')}</dt>
                  <dd data-testid="reliability-next12">
                    {num(f.next12Months.estimate, 1)} [{num(f.next12Months.lower, 1)},{' '}
                    {num(f.next12Months.upper, 1)}]{f.cost12Months.map(borneCost)}
                  </dd>
                </div>
                <div className="fact-row">
                  <dt>{t('reliability.reserve')}</dt>
                  <dd data-testid="reliability-reserve">
                    {num(f.reserve.estimate, 1)} [{num(f.reserve.lower, 1)}, {num(f.reserve.upper, 1)}]
                    {f.reserveCost.map(borneCost)}
                  </dd>
                </div>
              </>
            )}
            {report.whatIf && (
              <div className="fact-row">
                <dt>
                  {t('reliability.whatIf', {
                    term: formatTerm(report.whatIf.term, HTML_LANG[currentLanguage()]),
                  })}
                </dt>
                <dd data-testid="reliability-what-if">
                  {pct(report.whatIf.fraction.estimate)} · {num(report.whatIf.claims.estimate, 1)} [
                  {num(report.whatIf.claims.lower, 1)}, {num(report.whatIf.claims.upper, 1)}]
                  {report.whatIf.cost.map(borneCost)}
                  {report.whatIf.current && (
                    <span className="muted">
                      {/* The brackets are the language's: full-width in Chinese. */}
                      {t('reliability.whatIfNow', {
                        claims: `${num(report.whatIf.current.claims.estimate, 1)}${report.whatIf.currentCost
                          .map(borneCost)
                          .join('')}`,
                      })}
                    </span>
                  )}
                </dd>
              </div>
            )}
          </dl>
        ) : (
          <p>{t('reliability.noFit')}</p>
        )}
        <button type="button" className="button" onClick={() => downloadCsv(report, t)}>
          {t('reliability.exportCsv')}
        </button>
      </div>

      <div className="card" data-testid="reliability-warnings">
        <h2 className="h3">{t('reliability.warnings')}</h2>
        {report.warnings.length === 0 ? (
          <p className="muted">{t('reliability.noWarnings')}</p>
        ) : (
          <ul>
            {report.warnings.map((x) => (
              <li key={`${x.scope}-${x.key}-${x.month}`}>
                <strong>
                  {x.level === 'critical' ? t('reliability.critical') : t('reliability.caution')}
                </strong>{' '}
                {t('reliability.warningLine', {
                  scope: x.scope === 'batch' ? t('reliability.batch') : t('reliability.model'),
                  // A model's warning is keyed by its id; the reader knows it by its name.
                  key:
                    x.scope === 'model' && x.key === report.scope.model?.id ? report.scope.model.name : x.key,
                  reference: referenceText(t, x.reference),
                  month: formatMonth(x.month),
                  observed: x.observed,
                  expected: num(x.expected, 1),
                  p: x.pValue.toExponential(1),
                })}
              </li>
            ))}
          </ul>
        )}
      </div>

      <div className="chart-grid">
        <div className="card">
          <h2 className="h3">{t('reliability.survivalTitle')}</h2>
          <SurvivalChart report={report} />
        </div>
        <div className="card">
          <h2 className="h3">{t('reliability.weibullTitle')}</h2>
          <WeibullPlot report={report} />
        </div>
      </div>

      <div className="card">
        <h2 className="h3">{t('reliability.nevada')}</h2>
        <div className="table-wrap" ref={nevadaWrap}>
          <table className="table nevada" data-testid="nevada">
            <thead>
              <tr>
                <th scope="col">{t('reliability.startMonth')}</th>
                <th scope="col">{t('reliability.units')}</th>
                {report.nevada.returnPeriods.map((m) => (
                  <th key={m} scope="col">
                    {m}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.nevada.rows.map((r) => (
                <tr key={r.period}>
                  <th scope="row">{r.period}</th>
                  <td>{num(r.units)}</td>
                  {report.nevada.returnPeriods.map((m) => (
                    <td key={m}>{r.failures[m] ?? ''}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </>
  )
}

/** Field reliability of a model or batch for service managers. */
export default function ReliabilityPage() {
  const { user } = useSession()
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const [model, setModel] = useState(params.get('model') ?? '')
  const [batch, setBatch] = useState(params.get('batch') ?? '')
  const [asOf, setAsOf] = useState(params.get('asOf') ?? '')
  const typedTerm = readIsoTerm(params.get('term'))
  const [termCount, setTermCount] = useState(typedTerm ? String(typedTerm.count) : '')
  const [termUnit, setTermUnit] = useState<TermUnit>(typedTerm?.unit ?? 'years')
  const query: Record<string, string> = {}
  for (const key of ['model', 'batch', 'asOf', 'term']) {
    const value = params.get(key)
    if (value) query[key] = value
  }
  const asked = query.model !== undefined || query.batch !== undefined
  const loaded = useApi<ReliabilityReport>(asked ? RELIABILITY : null, query)
  // The catalogue's models, offered as the model field is typed in: nobody should have to
  // know a model's exact catalogue name by heart.
  const models = useApi<Page<ModelSummary>>(REGISTRY.models)
  // A link (a warning's e-mail) names the model by its id; the field shows the name it offers.
  const scopeModel = loaded.data?.scope.model
  useEffect(() => {
    if (scopeModel) setModel((typed) => (typed === scopeModel.id ? scopeModel.name : typed))
  }, [scopeModel])

  function submit(event: FormEvent) {
    event.preventDefault()
    const next: Record<string, string> = {}
    // The address names the model by its id, as a warning's e-mail does; a name the catalogue
    // does not offer goes as typed, and the server still finds a model by its name.
    const typed = model.trim()
    const offered = readItems(models.data).find((m) => m.name === typed || m.id === typed)
    if (typed) next.model = offered?.id ?? typed
    if (batch.trim()) next.batch = batch.trim()
    if (asOf) next.asOf = asOf
    const term = toIsoTerm(termCount, termUnit)
    if (term) next.term = term
    setParams(next)
  }

  return (
    <section className="page wide">
      <h1>{t('reliability.title')}</h1>
      <form className="card form-row" onSubmit={submit}>
        <label>
          {t('reliability.modelField')}
          <input
            value={model}
            onChange={(e) => setModel(e.target.value)}
            name="model"
            list="reliability-models"
            autoComplete="off"
          />
          <datalist id="reliability-models">
            {readItems(models.data).map((m) => (
              <option key={m.id} value={m.name}>
                {m.brand.name}
              </option>
            ))}
          </datalist>
        </label>
        <label>
          {t('reliability.batchField')}
          <input value={batch} onChange={(e) => setBatch(e.target.value)} name="batch" />
        </label>
        <label htmlFor="reliability-as-of">
          {t('reliability.asOfField')}
          <DateField
            id="reliability-as-of"
            value={asOf}
            onChange={(e) => setAsOf(e.target.value)}
            name="asOf"
          />
        </label>
        <label>
          {t('reliability.termField')}
          <input
            value={termCount}
            onChange={(e) => setTermCount(e.target.value)}
            name="term"
            type="number"
            inputMode="numeric"
            min={1}
            max={TERM_MAX[termUnit]}
            step={1}
          />
        </label>
        <label htmlFor="reliability-term-unit">{t('reliability.termUnit')}</label>
        <select
          id="reliability-term-unit"
          value={termUnit}
          onChange={(e) => setTermUnit(e.target.value as TermUnit)}
          name="termUnit"
        >
          {TERM_UNITS.map((unit) => (
            <option key={unit} value={unit}>
              {t(`reliability.termUnits.${unit}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          {t('reliability.analyse')}
        </button>
      </form>
      {!asked && <p className="muted">{t('reliability.pick')}</p>}
      {asked && loaded.loading && <Loading />}
      {asked && loaded.error ? <ErrorNote error={loaded.error} /> : null}
      {asked && loaded.data && !loaded.loading && <Report report={loaded.data} />}
      {/* Managers are mailed the warnings: here they choose whether they want them. */}
      {user?.role === 'manager' && <MailPreferencesCard kinds={['reliability-alerts']} />}
    </section>
  )
}
