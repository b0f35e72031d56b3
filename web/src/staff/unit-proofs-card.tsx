import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { PROOF_WEIGHER_ROLES } from '../../../src/auth/actor.ts'
import type { UnitProofView, UnitView } from '../api/types.ts'
import { useSession } from '../auth/session.tsx'
import { QueueStatus } from '../components/queue-action.tsx'
import { formatDateTime } from '../i18n/i18n.ts'
import { PROOF_VERDICT_LABELS, ProofDocumentLink, ProofVerdict, useProofWeighing } from './proof-verdict.tsx'

/**
 * The proofs of purchase filed for one unit, oldest first, each with what staff found of it
 * (a refusal with its reason), who found it and when; one still waiting is accepted or refused
 * here as in the queue, by the front office, and each open claim on the unit records the verdict.
 */
export function UnitProofsCard({ unit, onWeighed }: { unit: UnitView; onWeighed(): void }) {
  const { t } = useTranslation()
  const titleId = useId()
  const { action: weighing, weigh } = useProofWeighing(onWeighed)
  const proofs = unit.purchaseProofs ?? []
  // A bench technician reads the proofs; the front office weighs them (the server says so too).
  const { user } = useSession()
  const weighs = Boolean(user && PROOF_WEIGHER_ROLES.includes(user.role))

  return (
    <section className="card" aria-labelledby={titleId} data-testid="unit-proofs-of-purchase">
      <h2 id={titleId}>{t('staffUnit.proofs.title')}</h2>
      <QueueStatus action={weighing} testId="unit-proofs-weighed" labels={PROOF_VERDICT_LABELS} />
      {proofs.length === 0 ? (
        <p className="muted">{t('staffUnit.proofs.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-stack">
            <thead>
              <tr>
                <th scope="col">{t('unitProofs.document')}</th>
                <th scope="col">{t('staffUnit.proofs.status')}</th>
                <th scope="col">{t('unitProofs.sent')}</th>
                <th scope="col">{t('staffUnit.proofs.weighed')}</th>
              </tr>
            </thead>
            <tbody>
              {proofs.map((proof) => (
                <tr key={proof.fileId} data-testid="unit-proof" data-status={proof.status}>
                  <td data-label={t('unitProofs.document')}>
                    <ProofDocumentLink proof={proof} />
                  </td>
                  <td data-label={t('staffUnit.proofs.status')}>
                    <ProofStatus proof={proof} />
                    {proof.status === 'offered' && weighs && (
                      <ProofVerdict
                        busy={weighing.busy}
                        onAccept={() => weigh({ serial: unit.serial, fileId: proof.fileId }, 'accept')}
                        onRefuse={(reason) =>
                          weigh({ serial: unit.serial, fileId: proof.fileId }, 'refuse', reason)
                        }
                      />
                    )}
                  </td>
                  <td data-label={t('unitProofs.sent')}>{formatDateTime(proof.offeredAt)}</td>
                  <td data-label={t('staffUnit.proofs.weighed')}>
                    {proof.weighedAt === null ? (
                      '—'
                    ) : (
                      <>
                        {proof.weighedBy && <span translate="no">{proof.weighedBy.name}</span>}
                        {proof.weighedBy && ' · '}
                        {formatDateTime(proof.weighedAt)}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function ProofStatus({ proof }: { proof: UnitProofView }) {
  const { t } = useTranslation()
  if (proof.status === 'accepted') return <span className="note note-ok">{t('purchaseProof.accepted')}</span>
  if (proof.status === 'offered') return <span className="muted">{t('purchaseProof.waiting')}</span>
  return (
    <span className="note">
      {t('purchaseProof.refused')} {/* Staff's own words, as the customer was told them. */}
      <span translate="no">{proof.reason}</span>
    </span>
  )
}
