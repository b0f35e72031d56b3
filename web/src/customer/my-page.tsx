import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { CLAIMS, REGISTRY } from '../api/endpoints.ts'
import { type ClaimView, type Page, readItems, type UnitView } from '../api/types.ts'
import { ClaimTable } from '../components/claim-table.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'

export function MyPage() {
  const { t } = useTranslation()
  const units = useApi<Page<UnitView>>(REGISTRY.units)
  const claims = useApi<Page<ClaimView>>(CLAIMS.list)
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('my.title')}</h1>
        <div className="actions">
          <Link className="button" to="/my/claims/new">
            {t('my.openClaim')}
          </Link>
          <Link className="button button-quiet" to="/my/units/new">
            {t('my.registerUnit')}
          </Link>
          <Link className="button button-quiet" to="/my/profile">
            {t('profile.title')}
          </Link>
        </div>
      </div>
      <h2>{t('my.claims')}</h2>
      {claims.loading && <Loading />}
      <ErrorNote error={claims.error} />
      <ClaimTable claims={readItems(claims.data)} linkBase="/my/claims" />
      <h2>{t('my.units')}</h2>
      {units.loading && <Loading />}
      <ErrorNote error={units.error} />
      <ul className="cards" data-testid="my-units">
        {readItems(units.data).map((unit) => (
          <li key={unit.serial} className="card">
            <h3>
              {unit.model.name} <code>{unit.serial}</code>
            </h3>
            <p className="actions">
              <Link to={`/warranty/${encodeURIComponent(unit.serial)}`}>{t('my.seeWarranty')}</Link>
              <Link to={`/my/claims/new?serial=${encodeURIComponent(unit.serial)}`}>{t('my.openClaim')}</Link>
            </p>
          </li>
        ))}
      </ul>
      {!units.loading && readItems(units.data).length === 0 && <p className="muted">{t('my.noUnits')}</p>}
    </section>
  )
}
