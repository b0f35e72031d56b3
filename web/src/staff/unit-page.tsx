import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { REGISTRY } from '../api/endpoints.ts'
import type { CustomerView, UnitView } from '../api/types.ts'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDate } from '../i18n/i18n.ts'
import { PendingSaleNote } from './case-extras.tsx'
import { usePolicyName } from './policy-name.tsx'
import { StaffTransferForm } from './transfer-form.tsx'
import { UnitProofsCard } from './unit-proofs-card.tsx'

/**
 * One unit as staff see it: its sale, its owner, an offer waiting on it, a change of owner to
 * record, and its proofs of purchase with what staff found of each.
 */
export function UnitPage() {
  const { t } = useTranslation()
  const { serial = '' } = useParams()
  const unit = useApi<UnitView>(REGISTRY.unit(serial))
  const ownerId = unit.data?.ownerCustomerId ?? null
  const owner = useApi<CustomerView>(ownerId ? REGISTRY.customer(ownerId) : null)
  const policyName = usePolicyName()

  if (unit.loading && !unit.data) return <Loading />
  if (unit.error && !unit.data) return <ErrorNote error={unit.error} />
  const data = unit.data
  if (!data) return null
  // The owner named is the one this page read with the unit: never an older answer's.
  const ownerShown = ownerId && owner.data?.id === ownerId ? owner.data : null

  return (
    <section className="page wide">
      <div className="page-head">
        <div>
          <h1>
            {data.model.name} <code>{data.serial}</code>
          </h1>
          <p className="muted">{data.brand.name}</p>
        </div>
        <Link className="button button-quiet" to={`/warranty/${encodeURIComponent(data.serial)}`}>
          {t('staffUnit.warranty')}
        </Link>
      </div>
      <PendingSaleNote unit={data} onAnswered={unit.reload} words="staffUnit" />
      <div className="columns">
        <div className="stack">
          <section className="card" aria-labelledby="unit-facts">
            <h2 id="unit-facts">{t('staffUnit.facts')}</h2>
            <dl className="facts" data-testid="unit-facts">
              <dt>{t('staffUnit.owner')}</dt>
              <dd data-testid="unit-owner">
                {!ownerId ? (
                  t('staffUnit.noOwner')
                ) : ownerShown ? (
                  <>
                    {ownerShown.name} <span className="muted">{ownerShown.email}</span>
                  </>
                ) : owner.error ? (
                  <code>{ownerId}</code>
                ) : (
                  '…'
                )}
              </dd>
              <dt>{t('staffUnit.secondHand')}</dt>
              <dd>{data.secondHand ? t('common.yes') : t('common.no')}</dd>
              <dt>{t('lookup.purchasedOn')}</dt>
              <dd>{formatDate(data.purchasedOn)}</dd>
              <dt>{t('lookup.deliveredOn')}</dt>
              <dd>{formatDate(data.deliveredOn)}</dd>
              <dt>{t('lookup.dealer')}</dt>
              <dd data-testid="unit-dealer">
                {!data.dealer
                  ? '—'
                  : data.dealerConfirmed
                    ? data.dealer.name
                    : t('staffUnit.dealerAwaiting', { dealer: data.dealer.name })}
              </dd>
              <dt>{t('lookup.policy')}</dt>
              <dd data-testid="unit-policy">{policyName(data.policy)}</dd>
            </dl>
            <ErrorNote error={unit.error} />
          </section>
          <UnitProofsCard unit={data} onWeighed={unit.reload} />
        </div>
        <StaffTransferForm unit={data} onTransferred={unit.reload} />
      </div>
    </section>
  )
}
