import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { PROOF_WEIGHER_ROLES } from '../../../src/auth/actor.ts'
import { CLAIM_STATES, TERMINAL_STATES } from '../../../src/claims/domain/claim-states.ts'
import { api } from '../api/client.ts'
import { CLAIMS } from '../api/endpoints.ts'
import type { Page, QueueItem } from '../api/types.ts'
import { useSession } from '../auth/session.tsx'
import { PageTurner } from '../components/page-turner.tsx'
import { SlaBadge } from '../components/sla-badge.tsx'
import { levelOfClock } from '../components/sla-level.ts'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDateTime } from '../i18n/i18n.ts'

const BULK_ACTIONS = ['start-diagnosis', 'authorize-return', 'close'] as const

// Every state a claim can wait in, from the lifecycle's own list: a repaired claim, a
// replacement under way or a unit back from the maker is in the queue and can be filtered for.
// Closed and cancelled are the "closed" choice.
const STATES = CLAIM_STATES.filter((s) => !TERMINAL_STATES.includes(s))

/** How a stopped clock ended: on time, late, or stopped by the claim closing first. */
const STOPPED: Record<string, string> = { met: 'work.stopped.met', breached: 'work.stopped.late' }

/** The work queue: search, filters that mean what they say, assignment, due times. */
export function QueuePage() {
  const { t } = useTranslation()
  const { user } = useSession()
  const [search, setSearch] = useState('')
  const [q, setQ] = useState('')
  const [status, setStatus] = useState('open')
  const [assignee, setAssignee] = useState('')
  // The page shown; a new search or filter starts again from the first.
  const [cursor, setCursor] = useState<string | undefined>(undefined)
  // Worked by due time: running clocks first by the nearest deadline, then those paused while
  // the claim waits on the customer, then cases whose clock has stopped. The server orders
  // every page so, so the most urgent case is never on a page not yet opened. Ended claims
  // are not worked: the newest come first.
  const list = useApi<Page<QueueItem>>(CLAIMS.queue, {
    q: q || undefined,
    // Waiting for a reply is asked of every claim: a customer may write on one that has ended.
    status: status === 'unanswered' ? 'all' : status,
    unanswered: status === 'unanswered' ? 'true' : undefined,
    assignee: assignee || undefined,
    sort: status === 'closed' ? 'opened' : 'due',
    limit: 200,
    cursor,
  })
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [bulkError, setBulkError] = useState<unknown>(null)
  const [bulkResult, setBulkResult] = useState<string | null>(null)
  const items = list.data?.items ?? []

  function submitSearch(event: FormEvent) {
    event.preventDefault()
    setQ(search.trim())
    setCursor(undefined)
  }

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
      const claim = items.find((c) => c.id === id)
      try {
        await api.post(CLAIMS.action(id, action), {}, { headers: { 'if-match': `"${claim?.version ?? 0}"` } })
        done += 1
      } catch (failure) {
        failures.push(
          `${claim?.number ?? id}: ${failure instanceof Error ? failure.message : String(failure)}`,
        )
      }
    }
    setBulkResult(t('queue.bulkDone', { done, total: selected.size }))
    if (failures.length) setBulkError(new Error(failures.join('; ')))
    setSelected(new Set())
    list.reload()
  }

  return (
    <section className="page wide">
      <div className="page-head">
        <h1>{t('queue.title')}</h1>
        <Link className="button button-quiet" to="/staff/dealer-sales">
          {t('staffSales.link')}
        </Link>
        <Link className="button button-quiet" to="/staff/organisations">
          {t('staffOrgs.link')}
        </Link>
        {user && PROOF_WEIGHER_ROLES.includes(user.role) && (
          <Link className="button button-quiet" to="/staff/unit-proofs">
            {t('unitProofs.link')}
          </Link>
        )}
      </div>
      <form className="filters" onSubmit={submitSearch}>
        <span className="inline-row filter filter-search">
          <label htmlFor="queue-search">{t('work.search')}</label>
          <input
            id="queue-search"
            type="search"
            value={search}
            placeholder={t('work.searchHint')}
            onChange={(event) => setSearch(event.target.value)}
          />
          <button type="submit">{t('work.search')}</button>
        </span>
        <span className="inline-row filter">
          <label htmlFor="queue-state">{t('work.status')}</label>
          <select
            id="queue-state"
            value={status}
            onChange={(event) => {
              setStatus(event.target.value)
              setCursor(undefined)
            }}
          >
            <option value="open">{t('work.open')}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`state.${s}`)}
              </option>
            ))}
            <option value="unanswered">{t('work.unanswered')}</option>
            <option value="closed">{t('work.closed')}</option>
            <option value="all">{t('work.all')}</option>
          </select>
        </span>
        <span className="inline-row filter">
          <label htmlFor="queue-assignee">{t('work.assignee')}</label>
          <select
            id="queue-assignee"
            value={assignee}
            onChange={(event) => {
              setAssignee(event.target.value)
              setCursor(undefined)
            }}
          >
            <option value="">{t('work.everyone')}</option>
            <option value="me">{t('work.mine')}</option>
            <option value="unassigned">{t('work.unassigned')}</option>
          </select>
        </span>
      </form>
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
      {!list.loading && items.length === 0 && <p className="muted">{t('work.none')}</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-stack" data-testid="claim-table">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">{t('claims.select')}</span>
                </th>
                <th scope="col">{t('claims.number')}</th>
                <th scope="col">{t('work.customer')}</th>
                <th scope="col">{t('claims.unit')}</th>
                <th scope="col">{t('claims.state')}</th>
                <th scope="col">{t('work.assignee')}</th>
                <th scope="col">{t('work.due')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((claim) => (
                <tr key={claim.id} data-testid="queue-row">
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('claims.selectOne', { number: claim.number })}
                      checked={selected.has(claim.id)}
                      onChange={() => toggle(claim.id)}
                    />
                  </td>
                  <td data-label={t('claims.number')} className="claim-number">
                    <Link to={`/staff/claims/${encodeURIComponent(claim.id)}`}>{claim.number}</Link>
                    {claim.customerWroteAt && (
                      <div>
                        <span className="badge badge-warning" data-testid="customer-wrote">
                          {t('work.customerWrote', { when: formatDateTime(claim.customerWroteAt) })}
                        </span>
                      </div>
                    )}
                  </td>
                  <td data-label={t('work.customer')}>
                    {claim.customer ? (
                      <>
                        {claim.customer.name}
                        <div className="muted">{claim.customer.email}</div>
                      </>
                    ) : (
                      t('work.nobody')
                    )}
                  </td>
                  <td data-label={t('claims.unit')}>
                    {claim.model} <code>{claim.serial}</code>
                  </td>
                  <td data-label={t('claims.state')}>
                    <span className={`state state-${claim.state}`}>
                      {t(`state.${claim.state}`, { defaultValue: claim.state })}
                    </span>
                  </td>
                  <td data-label={t('work.assignee')}>{claim.assignee?.name ?? t('work.nobody')}</td>
                  <td data-label={t('work.due')} data-testid="queue-due">
                    {claim.due?.open ? (
                      <SlaBadge
                        dueAt={claim.due.dueAt}
                        status={levelOfClock(claim.due)}
                        clock={claim.due.kind}
                      />
                    ) : claim.due ? (
                      <span className="muted" data-status={claim.due.status}>
                        {t(STOPPED[claim.due.status] ?? 'work.stopped.cancelled', {
                          clock: t(`clock.${claim.due.kind}`, { defaultValue: claim.due.kind }),
                        })}
                        {claim.due.stoppedAt && (
                          <>
                            {' · '}
                            <time dateTime={claim.due.stoppedAt}>{formatDateTime(claim.due.stoppedAt)}</time>
                          </>
                        )}
                      </span>
                    ) : (
                      t('work.nobody')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PageTurner
        cursor={cursor}
        next={list.data?.next}
        onTurn={(page) => {
          setCursor(page)
          setSelected(new Set())
        }}
      />
    </section>
  )
}
