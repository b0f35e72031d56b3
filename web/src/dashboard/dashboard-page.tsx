import { useCallback, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { z } from 'zod'
import { pages } from '../../../src/contracts/pages.ts'
import type { reliabilityWarningsSchema } from '../../../src/reliability/reliability.schemas.ts'
import type {
  Chart as ChartData,
  ClaimRatesReport,
  ClaimsPerMonthReport,
  FailureModesReport,
  OpenCasesReport,
  WarrantyCostReport,
} from '../../../src/reports/report.schemas.ts'
import type { ComplianceResponse as SlaCompliance } from '../../../src/sla/sla.schemas.ts'
import { REPORTS } from '../api/endpoints.ts'
import { localToday } from '../components/local-today.ts'
import { ErrorNote, Loading } from '../components/status.tsx'
import { type Loaded, useApi } from '../components/use-api.ts'
import { formatDate, formatMinorMoney, formatMoney, formatMonth } from '../i18n/i18n.ts'
import { fitChartType, nameChart, pickSeries, toMajorUnits } from './chart-data.ts'
import { ChartPanel } from './chart-panel.tsx'

/** A chart's frame while its report loads, fails, or has nothing to show (and what would fill it). */
function Pending({ title, loaded, empty }: { title: string; loaded: Loaded<unknown>; empty: string }) {
  if (loaded.loading) return <Loading />
  return (
    <div className="card" data-testid="chart-empty">
      <h2 className="h3">{title}</h2>
      {loaded.error ? <ErrorNote error={loaded.error} /> : <p className="muted">{empty}</p>}
    </div>
  )
}

const hasFigures = (chart: ChartData | undefined): chart is ChartData =>
  chart !== undefined &&
  chart.labels.length > 0 &&
  chart.series.some((s) => s.data.some((v) => (v ?? 0) !== 0))

/** Insight for managers: where cases stand, how fast they move, what fails and who pays. */
export default function DashboardPage() {
  const { t } = useTranslation()
  const count = useCallback((value: number) => value.toLocaleString(), [])
  const open = useApi<OpenCasesReport>(REPORTS.openCases)
  // The SLA report needs a range: the last twelve months, as the other charts show by default.
  const to = localToday()
  const from = `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`
  const sla = useApi<SlaCompliance>(REPORTS.slaCompliance, { from, to })
  const perModel = useApi<ClaimRatesReport>(REPORTS.claimRates, { groupBy: 'model' })
  const perMonth = useApi<ClaimsPerMonthReport>(REPORTS.claimsPerMonth)
  const failures = useApi<FailureModesReport>(REPORTS.failureModes)
  const cost = useApi<WarrantyCostReport>(REPORTS.warrantyCost)

  const openChart = useMemo(
    () =>
      open.data &&
      nameChart(
        { labels: open.data.labels, series: open.data.byAge },
        {
          label: (state) => t(`state.${state}`, { defaultValue: state }),
          series: (band) => t(`dashboard.age.${band}`, { defaultValue: band }),
        },
      ),
    [open.data, t],
  )
  const slaChart = useMemo(
    () =>
      sla.data &&
      nameChart(
        {
          labels: sla.data.kinds.map((k) => k.kind),
          series: [
            { name: 'met', data: sla.data.kinds.map((k) => k.met) },
            { name: 'breached', data: sla.data.kinds.map((k) => k.breached) },
          ],
        },
        {
          label: (kind) => t(`dashboard.clock.${kind}`, { defaultValue: kind }),
          series: (name) => t(`dashboard.series.${name}`),
        },
      ),
    [sla.data, t],
  )
  const rateNames = useCallback((name: string) => t(`dashboard.series.${name}`, { defaultValue: name }), [t])
  const modelChart = useMemo(
    () => perModel.data && nameChart(perModel.data, { series: rateNames }),
    [perModel.data, rateNames],
  )
  const modelDrawn = useMemo(
    () => modelChart && pickSeries(modelChart, [rateNames('ratePer100')]),
    [modelChart, rateNames],
  )
  const monthChart = useMemo(
    () =>
      perMonth.data &&
      nameChart(perMonth.data, {
        label: (month) => formatMonth(month, 'short'),
        series: () => t('dashboard.series.claims'),
      }),
    [perMonth.data, t],
  )
  const failureChart = useMemo(
    () =>
      failures.data &&
      nameChart(failures.data, {
        series: (mode) => {
          const [source, key] = mode.split(':')
          return source === 'finding'
            ? t(`finding.${key}`, { defaultValue: key ?? mode })
            : t(`problem.${key}`, { defaultValue: key ?? mode })
        },
      }),
    [failures.data, t],
  )

  return (
    <section className="page wide">
      <h1>{t('dashboard.title')}</h1>
      <div className="chart-grid" data-testid="dashboard">
        {hasFigures(openChart) ? (
          <ChartPanel
            title={t('dashboard.open')}
            question={t('dashboard.openQuestion', { date: formatDate(open.data?.asOf) })}
            data={openChart}
            stacked
            xTitle={t('dashboard.axis.state')}
            yTitle={t('dashboard.axis.openCases')}
            formatValue={count}
            csvName="open-cases"
          />
        ) : (
          <Pending title={t('dashboard.open')} loaded={open} empty={t('dashboard.openEmpty')} />
        )}
        {hasFigures(slaChart) ? (
          <ChartPanel
            title={t('dashboard.sla')}
            question={t('dashboard.slaQuestion')}
            data={slaChart}
            stacked
            xTitle={t('dashboard.axis.clock')}
            yTitle={t('dashboard.axis.clocks')}
            formatValue={count}
            csvName="sla"
          />
        ) : (
          <Pending title={t('dashboard.sla')} loaded={sla} empty={t('dashboard.slaEmpty')} />
        )}
        {hasFigures(modelChart) && modelDrawn ? (
          <ChartPanel
            title={t('dashboard.perModel')}
            question={t('dashboard.perModelQuestion')}
            data={modelChart}
            drawn={modelDrawn}
            xTitle={t('dashboard.axis.model')}
            yTitle={t('dashboard.axis.ratePer100')}
            formatValue={count}
            csvName="claims-per-100-units"
          />
        ) : (
          <Pending title={t('dashboard.perModel')} loaded={perModel} empty={t('dashboard.perModelEmpty')} />
        )}
        {hasFigures(monthChart) ? (
          <ChartPanel
            title={t('dashboard.perMonth')}
            question={t('dashboard.perMonthQuestion')}
            data={monthChart}
            type={fitChartType('line', monthChart.labels.length)}
            xTitle={t('dashboard.axis.month')}
            yTitle={t('dashboard.axis.claimsOpened')}
            formatValue={count}
            csvName="claims-per-month"
          />
        ) : (
          <Pending title={t('dashboard.perMonth')} loaded={perMonth} empty={t('dashboard.perMonthEmpty')} />
        )}
        {hasFigures(failureChart) ? (
          <ChartPanel
            title={t('dashboard.failures')}
            question={t('dashboard.failuresQuestion')}
            data={failureChart}
            stacked
            xTitle={t('dashboard.axis.model')}
            yTitle={t('dashboard.axis.claims')}
            formatValue={count}
            csvName="failure-modes"
          />
        ) : (
          <Pending title={t('dashboard.failures')} loaded={failures} empty={t('dashboard.failuresEmpty')} />
        )}
        <WarningsPanel />
        {cost.data && cost.data.currencies.length > 0 ? (
          cost.data.currencies.map((currency) => (
            <CostPanel
              key={currency.currency}
              report={currency}
              recovery={cost.data?.recovery?.find((r) => r.currency === currency.currency)}
            />
          ))
        ) : (
          <Pending title={t('dashboard.costTitle')} loaded={cost} empty={t('dashboard.costEmpty')} />
        )}
      </div>
    </section>
  )
}

/** Cost of warranty in one currency: cost kinds across, stacked by who paid, in major units. */
function CostPanel({
  report,
  recovery,
}: {
  report: WarrantyCostReport['currencies'][number]
  /** What the parties that bore the cost claimed and got back from those who owe it. */
  recovery: NonNullable<WarrantyCostReport['recovery']>[number] | undefined
}) {
  const { t } = useTranslation()
  const money = useCallback((value: number) => formatMoney(value, report.currency), [report.currency])
  const chart = useMemo(
    () =>
      nameChart(toMajorUnits(report, report.currency), {
        label: (kind) => t(`dashboard.costKind.${kind}`, { defaultValue: kind }),
        series: (payer) => t(`dashboard.payer.${payer}`, { defaultValue: payer }),
      }),
    [report, t],
  )
  const totals = toMajorUnits(
    {
      labels: report.byPayer.map((p) => p.payer),
      series: [{ name: 'total', data: report.byPayer.map((p) => p.amount) }],
    },
    report.currency,
  )
  return (
    <div className="stack">
      <ChartPanel
        title={t('dashboard.cost', { currency: report.currency })}
        question={t('dashboard.costQuestion')}
        data={chart}
        stacked
        xTitle={t('dashboard.axis.costKind')}
        yTitle={t('dashboard.axis.amount', { currency: report.currency })}
        formatValue={money}
        csvName={`warranty-cost-${report.currency.toLowerCase()}`}
      />
      <p className="muted" data-testid={`cost-totals-${report.currency}`}>
        {totals.labels
          .map((payer, i) =>
            t('dashboard.payerTotal', {
              payer: t(`dashboard.payer.${payer}`, { defaultValue: payer }),
              amount: money(totals.series[0]?.data[i] ?? 0),
            }),
          )
          .join(' · ')}
      </p>
      {recovery && (
        <p data-testid="cost-recovered">
          {t('recoveries.costSplit', {
            borne: formatMinorMoney(recovery.borneMinor, recovery.currency),
            claimed: formatMinorMoney(recovery.claimedMinor, recovery.currency),
            recovered: formatMinorMoney(recovery.recoveredMinor, recovery.currency),
          })}
        </p>
      )}
    </div>
  )
}

type ReliabilityWarnings = z.output<typeof reliabilityWarningsSchema>

/** The early warnings of the last six months: which model or batch fails more than expected, and since when. */
function WarningsPanel() {
  const { t } = useTranslation()
  const warnings = useApi<ReliabilityWarnings>(REPORTS.reliabilityWarnings)
  const items = warnings.data?.items ?? []
  if (items.length === 0) {
    return <Pending title={t('dashboard.warnings')} loaded={warnings} empty={t('dashboard.warningsEmpty')} />
  }
  return (
    <div className="card" data-testid="reliability-warnings">
      <h2 className="h3">{t('dashboard.warnings')}</h2>
      <p className="muted">{t('dashboard.warningsQuestion')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.warning.what')}</th>
            <th scope="col">{t('dashboard.warning.month')}</th>
            <th scope="col">{t('dashboard.warning.level')}</th>
            <th scope="col">{t('dashboard.warning.evidence')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((w) => (
            <tr key={w.id} data-level={w.level}>
              <td>
                <Link to={pages.reliability(w.model.id, w.batch ?? undefined)}>
                  {w.batch
                    ? t('dashboard.warning.batchOf', { batch: w.batch, model: w.model.name })
                    : w.model.name}
                </Link>
              </td>
              <td>{formatMonth(w.month)}</td>
              <td>
                <span className={`badge badge-${w.level === 'critical' ? 'danger' : 'warning'}`}>
                  {t(`dashboard.warning.${w.level}`)}
                </span>
              </td>
              <td>
                {t('dashboard.warning.observed', {
                  observed: w.observed.toLocaleString(),
                  expected: w.expected.toLocaleString(undefined, { maximumFractionDigits: 1 }),
                })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
