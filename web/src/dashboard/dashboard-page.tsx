import { useTranslation } from 'react-i18next'
import type {
  Chart as ChartData,
  ClaimRatesReport,
  ClaimsPerMonthReport,
  FailureModesReport,
  OpenCasesReport,
  WarrantyCostReport,
} from '../../../src/reports/report.schemas.ts'
import { REPORTS } from '../api/endpoints.ts'
import { ErrorNote, Loading } from '../components/status.tsx'
import { type Loaded, useApi } from '../components/use-api.ts'
import { formatMoney } from '../i18n/i18n.ts'
import { ChartPanel } from './chart-panel.tsx'

interface SlaCompliance {
  kinds: { kind: string; met: number; breached: number; compliance: number | null }[]
}

/** The SLA report counts met and breached clocks per kind; drawn as stacked bars. */
function toSlaChart(report: SlaCompliance, met: string, breached: string): ChartData {
  return {
    labels: report.kinds.map((k) => k.kind),
    series: [
      { name: met, data: report.kinds.map((k) => k.met) },
      { name: breached, data: report.kinds.map((k) => k.breached) },
    ],
  }
}

function Panel<T extends ChartData>({
  title,
  loaded,
  type,
  stacked,
}: {
  title: string
  loaded: Loaded<T>
  type?: 'bar' | 'line' | 'doughnut'
  stacked?: boolean
}) {
  const { t } = useTranslation()
  if (loaded.loading) return <Loading />
  if (loaded.error)
    return (
      <div className="card">
        <h2 className="h3">{title}</h2>
        <ErrorNote error={loaded.error} />
      </div>
    )
  if (!loaded.data || loaded.data.labels.length === 0)
    return (
      <div className="card">
        <h2 className="h3">{title}</h2>
        <p className="muted">{t('dashboard.empty')}</p>
      </div>
    )
  return <ChartPanel title={title} data={loaded.data} type={type} stacked={stacked} />
}

/** Insight for managers: where cases stand, how fast they move, what fails and who pays. */
export default function DashboardPage() {
  const { t } = useTranslation()
  const open = useApi<OpenCasesReport>(REPORTS.openCases)
  // The SLA report needs a range: the last twelve months, as the other charts show by default.
  const to = new Date().toISOString().slice(0, 10)
  const from = `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`
  const slaReport = useApi<SlaCompliance>(REPORTS.slaCompliance, { from, to })
  const sla: Loaded<ChartData> = {
    ...slaReport,
    data: slaReport.data && toSlaChart(slaReport.data, t('sla.ok'), t('sla.breached')),
  }
  const perModel = useApi<ClaimRatesReport>(REPORTS.claimRates, { groupBy: 'model' })
  const perMonth = useApi<ClaimsPerMonthReport>(REPORTS.claimsPerMonth)
  const failures = useApi<FailureModesReport>(REPORTS.failureModes)
  const cost = useApi<WarrantyCostReport>(REPORTS.warrantyCost)
  return (
    <section className="page wide">
      <h1>{t('dashboard.title')}</h1>
      <div className="chart-grid" data-testid="dashboard">
        <Panel title={t('dashboard.open')} loaded={open} />
        <Panel title={t('dashboard.sla')} loaded={sla} stacked />
        <Panel title={t('dashboard.perModel')} loaded={perModel} />
        <Panel title={t('dashboard.perMonth')} loaded={perMonth} type="line" />
        <Panel title={t('dashboard.failures')} loaded={failures} stacked />
        {cost.loading && <Loading />}
        <ErrorNote error={cost.error} />
        {cost.data?.currencies.map((currency) => (
          <div key={currency.currency} className="stack">
            <ChartPanel
              title={t('dashboard.cost', { currency: currency.currency })}
              data={currency}
              stacked
            />
            <p className="muted">
              {currency.byPayer
                .map(
                  (p) =>
                    `${t(`party.${p.payer}`, { defaultValue: p.payer })}: ${formatMoney(p.amount / 100, currency.currency)}`,
                )
                .join(' · ')}
            </p>
            {cost.data?.recovery
              ?.filter((r) => r.currency === currency.currency)
              .map((r) => (
                <p key={r.currency} data-testid="cost-recovered">
                  {t('recoveries.costSplit', {
                    borne: formatMoney(r.borneMinor / 100, r.currency),
                    claimed: formatMoney(r.claimedMinor / 100, r.currency),
                    recovered: formatMoney(r.recoveredMinor / 100, r.currency),
                  })}
                </p>
              ))}
          </div>
        ))}
      </div>
    </section>
  )
}
