import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { REGISTRY } from '../api/endpoints.ts'
import type { Page, UnitProofWaiting } from '../api/types.ts'
import { PageTurner } from '../components/page-turner.tsx'
import { QueueStatus } from '../components/queue-action.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDate, formatDateTime } from '../i18n/i18n.ts'
import { PROOF_VERDICT_LABELS, ProofDocumentLink, ProofVerdict, useProofWeighing } from './proof-verdict.tsx'

const PAGE_SIZE = 50

/**
 * The proofs of purchase customers sent when they registered a unit themselves, for the front
 * office to weigh: oldest first unless asked otherwise, page by page. Accepted, the unit's
 * purchase is proven; refused, the customer is mailed the reason staff write here.
 */
export function UnitProofsPage() {
  const { t } = useTranslation()
  const [order, setOrder] = useState<'oldest' | 'newest'>('oldest')
  const [cursor, setCursor] = useState<string | undefined>(undefined)
  const proofs = useApi<Page<UnitProofWaiting>>(REGISTRY.unitProofs, { order, limit: PAGE_SIZE, cursor })
  const { action: weighing, weigh } = useProofWeighing(proofs.reload)
  const items = proofs.data?.items ?? []

  return (
    <section className="page wide">
      <div className="page-head">
        <h1>{t('unitProofs.title')}</h1>
      </div>
      <p className="muted">{t('unitProofs.lead')}</p>
      <div className="filters">
        <span className="inline-row filter">
          <label htmlFor="unit-proofs-order">{t('unitProofs.order')}</label>
          <select
            id="unit-proofs-order"
            value={order}
            onChange={(event) => {
              setOrder(event.target.value === 'newest' ? 'newest' : 'oldest')
              setCursor(undefined)
            }}
          >
            <option value="oldest">{t('unitProofs.oldest')}</option>
            <option value="newest">{t('unitProofs.newest')}</option>
          </select>
        </span>
      </div>
      <QueueStatus action={weighing} testId="unit-proofs-answered" labels={PROOF_VERDICT_LABELS} />
      {proofs.loading && !proofs.data && <Loading />}
      <ErrorNote error={proofs.error} />
      {proofs.data && items.length === 0 && <p className="muted">{t('unitProofs.empty')}</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-stack" data-testid="unit-proofs">
            <thead>
              <tr>
                <th scope="col">{t('claims.unit')}</th>
                <th scope="col">{t('unitProofs.document')}</th>
                <th scope="col">{t('unitProofs.owner')}</th>
                <th scope="col">{t('unitProofs.sent')}</th>
                <th scope="col">{t('unitProofs.claims')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('unitProofs.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((proof) => (
                <tr key={proof.fileId} data-serial={proof.serial}>
                  <td data-label={t('claims.unit')}>
                    {proof.model}{' '}
                    <Link to={`/staff/units/${encodeURIComponent(proof.serial)}`}>
                      <code>{proof.serial}</code>
                    </Link>
                    {proof.purchasedOn && (
                      <span className="muted">
                        {' '}
                        · {t('unitProofs.stated')}: {formatDate(proof.purchasedOn)}
                      </span>
                    )}
                  </td>
                  <td data-label={t('unitProofs.document')}>
                    <ProofDocumentLink proof={proof} />
                  </td>
                  <td data-label={t('unitProofs.owner')}>
                    {proof.customer ? (
                      <>
                        {proof.customer.name} <span className="muted">{proof.customer.email}</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-label={t('unitProofs.sent')}>{formatDateTime(proof.offeredAt)}</td>
                  <td data-label={t('unitProofs.claims')}>
                    {proof.openClaims.length === 0 ? (
                      <span className="muted">{t('unitProofs.noClaim')}</span>
                    ) : (
                      proof.openClaims.map((claim) => (
                        <Link key={claim.id} to={`/staff/claims/${encodeURIComponent(claim.id)}`}>
                          {claim.number}{' '}
                        </Link>
                      ))
                    )}
                  </td>
                  <td className="actions">
                    <ProofVerdict
                      busy={weighing.busy}
                      onAccept={() => weigh(proof, 'accept')}
                      onRefuse={(reason) => weigh(proof, 'refuse', reason)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PageTurner cursor={cursor} next={proofs.data?.next} onTurn={setCursor} />
    </section>
  )
}
