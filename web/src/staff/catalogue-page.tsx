import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { REGISTRY } from '../api/endpoints.ts'
import { type ModelSummary, type Page, readItems, type UnitView } from '../api/types.ts'
import { categoryLabel, specLabel } from '../components/catalogue-labels.ts'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDate } from '../i18n/i18n.ts'
import { usePolicyName } from './policy-name.tsx'

/** Models with their specifications and standard package, and units by serial. */
export function CataloguePage() {
  const { t, i18n } = useTranslation()
  const models = useApi<Page<ModelSummary>>(REGISTRY.models)
  const [q, setQ] = useState('')
  const units = useApi<Page<UnitView>>(REGISTRY.units, {
    // The registry finds units by the start of their serial number.
    serialPrefix: q.trim() || undefined,
    limit: 50,
  })
  const policyName = usePolicyName()
  return (
    <section className="page wide">
      <div className="page-head">
        <h1>{t('catalogue.title')}</h1>
        <p className="actions">
          <Link className="button" to="/staff/import?kind=models">
            {t('catalogue.importModels')}
          </Link>
          <Link className="button button-quiet" to="/staff/import?kind=units">
            {t('catalogue.import')}
          </Link>
        </p>
      </div>
      {models.loading && <Loading />}
      <ErrorNote error={models.error} />
      <ul className="cards" data-testid="models">
        {readItems(models.data).map((model) => (
          <li key={model.id} className="card">
            <h2 className="h3">{model.name}</h2>
            <p className="muted">
              {model.brand.name} {model.category && `· ${categoryLabel(t, model.category)}`}
            </p>
            {model.description && (
              <p>{i18n.language === 'zh' ? (model.descriptionZh ?? model.description) : model.description}</p>
            )}
            {Object.keys(model.specifications).length > 0 && (
              <dl className="facts compact">
                {Object.entries(model.specifications)
                  .slice(0, 8)
                  .map(([key, value]) => (
                    <div key={key} className="fact-row">
                      <dt>{specLabel(t, key)}</dt>
                      <dd>{String(value)}</dd>
                    </div>
                  ))}
              </dl>
            )}
            {model.packageContents.length > 0 && (
              <details>
                <summary>{t('catalogue.package', { count: model.packageContents.length })}</summary>
                <ul>
                  {model.packageContents.map((item, index) => (
                    <li key={item}>
                      {i18n.language === 'zh' ? (model.packageContentsZh[index] ?? item) : item}
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </li>
        ))}
      </ul>
      <h2>{t('catalogue.units')}</h2>
      <label htmlFor="unit-search">{t('dealer.search')}</label>
      <input id="unit-search" type="search" value={q} onChange={(event) => setQ(event.target.value)} />
      <ErrorNote error={units.error} />
      <div className="table-wrap">
        <table className="table table-stack">
          <thead>
            <tr>
              <th scope="col">{t('claims.unit')}</th>
              <th scope="col">{t('lookup.policy')}</th>
              <th scope="col">{t('lookup.dealer')}</th>
              <th scope="col">{t('lookup.purchasedOn')}</th>
            </tr>
          </thead>
          <tbody>
            {readItems(units.data).map((unit) => (
              <tr key={unit.serial}>
                <td data-label={t('claims.unit')}>
                  {unit.model.name}{' '}
                  <Link to={`/staff/units/${encodeURIComponent(unit.serial)}`}>
                    <code>{unit.serial}</code>
                  </Link>
                </td>
                <td data-label={t('lookup.policy')}>{policyName(unit.policy)}</td>
                <td data-label={t('lookup.dealer')}>{unit.dealer?.name ?? '—'}</td>
                <td data-label={t('lookup.purchasedOn')}>{formatDate(unit.purchasedOn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
