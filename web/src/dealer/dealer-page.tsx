import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { CLAIMS, REGISTRY } from '../api/endpoints.ts'
import { type ClaimView, type CustomerView, type Page, readItems, type UnitView } from '../api/types.ts'
import { ClaimTable } from '../components/claim-table.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDate } from '../i18n/i18n.ts'

/** A dealer's desk: its queue first, then the units it sold and to whom. The API scopes both to its organisation. */
export function DealerPage() {
  const { t } = useTranslation()
  const [search, setSearch] = useState('')
  const claims = useApi<Page<ClaimView>>(CLAIMS.list)
  const units = useApi<Page<UnitView>>(REGISTRY.units, {
    serialPrefix: search.trim() || undefined,
    limit: 200,
  })
  const customers = useApi<Page<CustomerView>>(REGISTRY.customers, { limit: 200 })
  const unitList = readItems(units.data)
  const customerNames = new Map(readItems(customers.data).map((c) => [c.id, c.name]))
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('dealer.title')}</h1>
        <Link className="button" to="/dealer/claims/new">
          {t('dealer.openClaim')}
        </Link>
      </div>
      <h2>{t('dealer.queue')}</h2>
      {claims.loading && <Loading />}
      <ErrorNote error={claims.error} />
      <ClaimTable claims={readItems(claims.data)} linkBase="/dealer/claims" showSla />
      <h2>{t('dealer.units')}</h2>
      <label htmlFor="dealer-search">{t('dealer.search')}</label>
      <input
        id="dealer-search"
        type="search"
        value={search}
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
              <th scope="col">{t('lookup.policy')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('dealer.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {unitList.map((unit) => (
              <tr key={unit.serial} data-serial={unit.serial}>
                <td data-label={t('claims.unit')}>
                  {unit.model.name} <code>{unit.serial}</code>
                </td>
                <td data-label={t('dealer.customer')}>
                  {(unit.ownerCustomerId && customerNames.get(unit.ownerCustomerId)) || '—'}
                </td>
                <td data-label={t('lookup.purchasedOn')}>{formatDate(unit.purchasedOn)}</td>
                <td data-label={t('lookup.policy')}>{`${unit.policy.id}@${unit.policy.version}`}</td>
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
