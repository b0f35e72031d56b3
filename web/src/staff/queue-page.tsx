import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../api/client.ts'
import { CLAIMS, SLA } from '../api/endpoints.ts'
import { type ClaimView, type ClockView, type Page, readItems } from '../api/types.ts'
import { type ClaimRow, ClaimTable } from '../components/claim-table.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'

const BULK_ACTIONS = ['start-diagnosis', 'authorize-return', 'close'] as const

const LEVEL_BY_COLOUR = { green: 'ok', amber: 'warning', red: 'warning', breached: 'breached' } as const

/** Each claim shows its most urgent running clock: the SLA queue lists clocks, the claims list lists cases. */
function attachClocks(claims: ClaimView[], clocks: ClockView[]): ClaimRow[] {
  const urgent = new Map<string, ClockView>()
  for (const clock of clocks) {
    const known = urgent.get(clock.claimId)
    if (!known || clock.dueAt < known.dueAt) urgent.set(clock.claimId, clock)
  }
  return claims.map((claim) => {
    const clock = urgent.get(claim.id)
    if (!clock) return claim
    return {
      ...claim,
      dueAt: clock.dueAt,
      slaClock: clock.kind,
      slaStatus: clock.colour ? LEVEL_BY_COLOUR[clock.colour] : null,
    }
  })
}

function sortByDue(claims: ClaimRow[]): ClaimRow[] {
  // Claims without a running clock go last; among the rest, the nearest deadline first.
  return [...claims].sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'))
}

/** The work queue by due time; staff pick several rows to move them in one go. */
export function QueuePage() {
  const { t } = useTranslation()
  const [state, setState] = useState('')
  const list = useApi<Page<ClaimView>>(CLAIMS.list, { state: state || undefined, limit: 200 })
  const clocks = useApi<Page<ClockView>>(SLA.queue, { limit: 200 })
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [bulkError, setBulkError] = useState<unknown>(null)
  const [bulkResult, setBulkResult] = useState<string | null>(null)
  const claims = sortByDue(attachClocks(readItems(list.data), clocks.data?.items ?? []))

  function toggle(id: string) {
    setSelected((current) => {
      const next = new Set(current)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  }

  async function runBulk(action: string) {
    setBulkError(null)
    setBulkResult(null)
    let done = 0
    const failures: string[] = []
    for (const id of selected) {
      try {
        const claim = claims.find((c) => c.id === id)
        await api.post(CLAIMS.action(id, action), {}, { headers: { 'if-match': `"${claim?.version ?? 0}"` } })
        done += 1
      } catch (failure) {
        failures.push(`${id}: ${failure instanceof Error ? failure.message : String(failure)}`)
      }
    }
    setBulkResult(t('queue.bulkDone', { done, total: selected.size }))
    if (failures.length) setBulkError(new Error(failures.join('; ')))
    setSelected(new Set())
    list.reload()
    clocks.reload()
  }

  return (
    <section className="page wide">
      <div className="page-head">
        <h1>{t('queue.title')}</h1>
        <div className="inline-row">
          <label htmlFor="queue-state">{t('claims.state')}</label>
          <select id="queue-state" value={state} onChange={(event) => setState(event.target.value)}>
            <option value="">{t('queue.allOpen')}</option>
            {[
              'new',
              'remote-diagnosis',
              'authorized',
              'received',
              'inspected',
              'decided',
              'quoted',
              'quote-accepted',
              'in-repair',
              'forwarded',
            ].map((s) => (
              <option key={s} value={s}>
                {t(`state.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="legend">
        <span className="sla sla-ok">
          <span className="sla-dot" aria-hidden="true" />
          {t('sla.ok')}
        </span>
        <span className="sla sla-warning">
          <span className="sla-dot" aria-hidden="true" />
          {t('sla.warning')}
        </span>
        <span className="sla sla-breached">
          <span className="sla-dot" aria-hidden="true" />
          {t('sla.breached')}
        </span>
      </p>
      {selected.size > 0 && (
        <section className="bulkbar" aria-label={t('queue.bulk')}>
          <span>{t('queue.selected', { count: selected.size })}</span>
          {BULK_ACTIONS.map((action) => (
            <button key={action} type="button" className="button-quiet" onClick={() => void runBulk(action)}>
              {t(`action.${action}`)}
            </button>
          ))}
        </section>
      )}
      {bulkResult && (
        <p className="note note-ok" role="status">
          {bulkResult}
        </p>
      )}
      <ErrorNote error={bulkError} />
      {list.loading && <Loading />}
      <ErrorNote error={list.error} />
      <ErrorNote error={clocks.error} />
      <ClaimTable claims={claims} linkBase="/staff/claims" showSla selected={selected} onToggle={toggle} />
    </section>
  )
}
