import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api } from '../api/client.ts'
import { CLAIMS, REGISTRY } from '../api/endpoints.ts'
import {
  type ClaimListItem,
  type DealerPendingSale,
  type DeskUnit,
  type Page,
  type QueueItem,
  readItems,
} from '../api/types.ts'
import { type ClaimRow, ClaimTable } from '../components/claim-table.tsx'
import { PageTurner } from '../components/page-turner.tsx'
import { levelOfClock } from '../components/sla-level.ts'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDate } from '../i18n/i18n.ts'

/**
 * Sales a buyer says this dealer made. The dealer sees the unit's claims only once it
 * confirms; a refusal leaves the unit with no dealer. Hidden when nothing waits.
 */
function PendingSales({ onAnswered }: { onAnswered: () => void }) {
  const { t } = useTranslation()
  const pending = useApi<Page<DealerPendingSale>>(REGISTRY.saleConfirmations, { limit: 200 })
  const [failure, setFailure] = useState<unknown>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const items = pending.data?.items ?? []
  const answer = async (serial: string, choice: 'confirm' | 'refuse') => {
    setBusy(serial)
    setFailure(null)
    setDone(null)
    try {
      await api.post(REGISTRY.answerSale(serial, choice))
      setDone(t(choice === 'confirm' ? 'dealer.saleConfirmed' : 'dealer.saleRefused', { serial }))
      pending.reload()
      onAnswered()
    } catch (error) {
      setFailure(error)
    } finally {
      setBusy(null)
    }
  }
  if (items.length === 0)
    return (
      <>
        <ErrorNote error={pending.error ?? failure} />
        {done && <p role="status">{done}</p>}
      </>
    )
  return (
    <>
      <h2>{t('dealer.pendingSales')}</h2>
      <p className="muted">{t('dealer.pendingLead')}</p>
      <ErrorNote error={failure} />
      {done && <p role="status">{done}</p>}
      <div className="table-wrap">
        <table className="table table-stack" data-testid="pending-sales">
          <thead>
            <tr>
              <th scope="col">{t('claims.unit')}</th>
              <th scope="col">{t('dealer.stated')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('dealer.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((sale) => (
              <tr key={sale.serial} data-serial={sale.serial}>
                <td data-label={t('claims.unit')}>
                  {sale.model} <code>{sale.serial}</code>
                </td>
                <td data-label={t('dealer.stated')}>{formatDate(sale.purchasedOn)}</td>
                <td className="actions">
                  <button
                    type="button"
                    disabled={busy !== null}
                    onClick={() => void answer(sale.serial, 'confirm')}
                  >
                    {t('dealer.confirmSale')}
                  </button>
                  <button
                    type="button"
                    className="button-quiet"
                    disabled={busy !== null}
                    onClick={() => void answer(sale.serial, 'refuse')}
                  >
                    {t('dealer.refuseSale')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

/** The warranty of a unit in words, not a policy id. */
function WarrantyWords({ warranty }: { warranty: DeskUnit['warranty'] }) {
  const { t } = useTranslation()
  if (!warranty) return <span className="muted">{t('desk.unknown')}</span>
  return warranty.inWarranty ? (
    <span className="badge badge-ok">{t('desk.inWarranty', { date: formatDate(warranty.ends) })}</span>
  ) : (
    <span className="badge">{t('desk.expired', { date: formatDate(warranty.ends) })}</span>
  )
}

/** A dealer's desk: its queue first, then the units it sold and to whom. The API scopes both to its organisation. */
export function DealerPage() {
  const { t } = useTranslation()
  const [search, setSearch] = useState('')
  // Claims to serve are those still worked on, the most urgent first on every page: the claim
  // queue orders them by the clock that matters now and gives each its due time.
  const [cursor, setCursor] = useState<string | undefined>(undefined)
  const queue = useApi<Page<QueueItem>>(CLAIMS.queue, { status: 'open', sort: 'due', limit: 50, cursor })
  const toServe = readItems(queue.data).map(
    (claim): ClaimRow =>
      claim.due?.open
        ? { ...claim, dueAt: claim.due.dueAt, slaStatus: levelOfClock(claim.due), slaClock: claim.due.kind }
        : claim,
  )
  const [endedCursor, setEndedCursor] = useState<string | undefined>(undefined)
  const ended = useApi<Page<ClaimListItem>>(CLAIMS.list, { open: 'false', limit: 20, cursor: endedCursor })
  const units = useApi<Page<DeskUnit>>('/api/v1/dealer-desk/units', {
    q: search.trim() || undefined,
    limit: 200,
  })
  const unitList = units.data?.items ?? []
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('dealer.title')}</h1>
        <Link className="button" to="/dealer/claims/new">
          {t('dealer.openClaim')}
        </Link>
      </div>
      <PendingSales
        onAnswered={() => {
          queue.reload()
          units.reload()
        }}
      />
      <h2>{t('dealer.queue')}</h2>
      {queue.loading && <Loading />}
      <ErrorNote error={queue.error} />
      <ClaimTable claims={toServe} linkBase="/dealer/claims" showSla />
      <PageTurner cursor={cursor} next={queue.data?.next} onTurn={setCursor} />
      <details className="ended-claims" data-testid="dealer-ended-claims">
        <summary>{t('dealer.ended')}</summary>
        {ended.loading && <Loading />}
        <ErrorNote error={ended.error} />
        <ClaimTable claims={readItems(ended.data)} linkBase="/dealer/claims" />
        <PageTurner cursor={endedCursor} next={ended.data?.next} onTurn={setEndedCursor} />
      </details>
      <h2>{t('dealer.units')}</h2>
      <label htmlFor="dealer-search">{t('dealer.search')}</label>
      <input
        id="dealer-search"
        type="search"
        value={search}
        placeholder={t('desk.searchHint')}
        onChange={(event) => setSearch(event.target.value)}
      />
      {units.loading && <Loading />}
      <ErrorNote error={units.error} />
      <div className="table-wrap">
        <table className="table table-stack" data-testid="dealer-units">
          <thead>
            <tr>
              <th scope="col">{t('claims.unit')}</th>
              <th scope="col">{t('dealer.customer')}</th>
              <th scope="col">{t('lookup.purchasedOn')}</th>
              <th scope="col">{t('desk.warranty')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('dealer.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {unitList.map((unit) => (
              <tr key={unit.serial} data-serial={unit.serial}>
                <td data-label={t('claims.unit')}>
                  {unit.model} <code>{unit.serial}</code>
                </td>
                <td data-label={t('dealer.customer')}>
                  {unit.customer ? (
                    <>
                      {unit.customer.name}
                      <div className="muted">{unit.customer.email}</div>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td data-label={t('lookup.purchasedOn')}>{formatDate(unit.purchasedOn)}</td>
                <td data-label={t('desk.warranty')} data-testid="unit-warranty">
                  <WarrantyWords warranty={unit.warranty} />
                </td>
                <td>
                  <Link to={`/dealer/claims/new?serial=${encodeURIComponent(unit.serial)}`}>
                    {t('dealer.openClaim')}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!units.loading && unitList.length === 0 && <p className="muted">{t('dealer.noUnits')}</p>}
    </section>
  )
}
