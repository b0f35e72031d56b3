import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { CLAIMS } from '../api/endpoints.ts'
import type { ClaimClock, Page } from '../api/types.ts'
import { levelOfClock } from '../components/sla-level.ts'
import { ErrorNote } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDateTime } from '../i18n/i18n.ts'

/**
 * The claim's service levels as staff work the case: each clock the policy started, what it
 * allows, where it stands and when it is due, or when it stopped. The queue shows one clock
 * per claim; here every one, so a paused or missed one is not hidden behind the next.
 */
export function ClocksCard({ claimId }: { claimId: string }) {
  const { t } = useTranslation()
  const titleId = useId()
  const clocks = useApi<Page<ClaimClock>>(CLAIMS.clocks(claimId))
  const items = clocks.data?.items ?? []
  return (
    <section className="card" aria-labelledby={titleId} data-testid="clocks">
      <h2 id={titleId}>{t('clocks.title')}</h2>
      <ErrorNote error={clocks.error} />
      {clocks.data && items.length === 0 && <p className="muted">{t('clocks.none')}</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-stack">
            <thead>
              <tr>
                <th scope="col">{t('clocks.clock')}</th>
                <th scope="col">{t('clocks.allowed')}</th>
                <th scope="col">{t('clocks.status')}</th>
                <th scope="col">{t('clocks.due')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((clock) => {
                const open = clock.status === 'running' || clock.status === 'paused'
                const level = open ? (levelOfClock(clock) ?? 'ok') : clock.status
                return (
                  <tr key={clock.id} data-testid="clock" data-status={clock.status}>
                    <td data-label={t('clocks.clock')}>
                      {t(`dashboard.clock.${clock.kind}`, { defaultValue: clock.kind })}
                      {clock.calendarFallback && (
                        <p className="muted" data-testid="clock-fallback">
                          {t('clocks.fallback', { calendar: clock.calendar })}
                        </p>
                      )}
                    </td>
                    <td data-label={t('clocks.allowed')}>
                      {t(`clocks.unit.${clock.unit}`, { count: clock.amount })}
                    </td>
                    <td data-label={t('clocks.status')}>
                      <span className={`sla sla-${level}`} data-testid="clock-status">
                        <span className="sla-dot" aria-hidden="true" />
                        {t(`clocks.level.${level}`)}
                      </span>
                    </td>
                    <td data-label={t('clocks.due')}>
                      <time dateTime={clock.dueAt}>{formatDateTime(clock.dueAt)}</time>
                      {clock.stoppedAt && (
                        <span className="muted">
                          {' '}
                          · {t('clocks.stopped', { time: formatDateTime(clock.stoppedAt) })}
                        </span>
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
