import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api } from '../api/client.ts'
import { REGISTRY } from '../api/endpoints.ts'
import type { Organisation, Page, StaffPendingSale } from '../api/types.ts'
import { PageTurner } from '../components/page-turner.tsx'
import { QueueStatus, useQueueAction } from '../components/queue-action.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDate } from '../i18n/i18n.ts'

const PAGE_SIZE = 50

/**
 * Every dealer's sales a buyer stated and the dealer has not confirmed, for the seller's
 * staff: a unit with an open claim can be answered from the claim's page, one nobody has
 * claimed on only here (or on its unit's page). One dealer at a time if asked, page by page.
 */
export function PendingSalesPage() {
  const { t } = useTranslation()
  const [dealer, setDealer] = useState('')
  // The page shown: none is the first; the next page goes on from the last sale of this one.
  const [cursor, setCursor] = useState<string | undefined>(undefined)
  const sales = useApi<Page<StaffPendingSale>>(REGISTRY.pendingSales, {
    dealer: dealer || undefined,
    limit: PAGE_SIZE,
    cursor,
  })
  const organisations = useApi<Page<Organisation>>(REGISTRY.organisations)
  const dealers = (organisations.data?.items ?? []).filter((o) => o.kind === 'dealer' || o.kind === 'agent')
  const answering = useQueueAction(sales.reload)
  const items = sales.data?.items ?? []

  function answer(sale: StaffPendingSale, choice: 'confirm' | 'refuse') {
    return answering.run(() => api.post(REGISTRY.answerSale(sale.serial, choice)), {
      key: choice === 'confirm' ? 'staffSales.confirmed' : 'staffSales.refused',
      values: { serial: sale.serial, dealer: sale.dealer.name },
    })
  }

  return (
    <section className="page wide">
      <div className="page-head">
        <h1>{t('staffSales.title')}</h1>
      </div>
      <p className="muted">{t('staffSales.lead')}</p>
      <div className="filters">
        <span className="inline-row filter">
          <label htmlFor="pending-dealer">{t('staffSales.dealer')}</label>
          <select
            id="pending-dealer"
            value={dealer}
            onChange={(event) => {
              setDealer(event.target.value)
              setCursor(undefined)
            }}
          >
            <option value="">{t('staffSales.allDealers')}</option>
            {dealers.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </span>
      </div>
      <QueueStatus action={answering} testId="pending-sales-answered" />
      {sales.loading && !sales.data && <Loading />}
      <ErrorNote error={sales.error} />
      {sales.data && items.length === 0 && <p className="muted">{t('staffSales.empty')}</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-stack" data-testid="staff-pending-sales">
            <thead>
              <tr>
                <th scope="col">{t('claims.unit')}</th>
                <th scope="col">{t('staffSales.dealer')}</th>
                <th scope="col">{t('staffSales.buyer')}</th>
                <th scope="col">{t('staffSales.stated')}</th>
                <th scope="col">{t('staffSales.claims')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('staffSales.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((sale) => (
                <tr key={sale.serial} data-serial={sale.serial}>
                  <td data-label={t('claims.unit')}>
                    {sale.model}{' '}
                    <Link to={`/staff/units/${encodeURIComponent(sale.serial)}`}>
                      <code>{sale.serial}</code>
                    </Link>
                  </td>
                  <td data-label={t('staffSales.dealer')}>{sale.dealer.name}</td>
                  <td data-label={t('staffSales.buyer')}>
                    {sale.customer ? (
                      <>
                        {sale.customer.name} <span className="muted">{sale.customer.email}</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-label={t('staffSales.stated')}>{formatDate(sale.purchasedOn)}</td>
                  <td data-label={t('staffSales.claims')}>
                    {sale.openClaims.length === 0 ? (
                      <span className="muted">{t('staffSales.noClaim')}</span>
                    ) : (
                      sale.openClaims.map((claim) => (
                        <Link key={claim.id} to={`/staff/claims/${encodeURIComponent(claim.id)}`}>
                          {claim.number}{' '}
                        </Link>
                      ))
                    )}
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      disabled={answering.busy}
                      onClick={() => void answer(sale, 'confirm')}
                    >
                      {t('staffSales.confirmSale')}
                    </button>
                    <button
                      type="button"
                      className="button-quiet"
                      disabled={answering.busy}
                      onClick={() => void answer(sale, 'refuse')}
                    >
                      {t('staffSales.refuseSale')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PageTurner cursor={cursor} next={sales.data?.next} onTurn={setCursor} />
    </section>
  )
}
