import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../api/client.ts'
import { REGISTRY } from '../api/endpoints.ts'
import { type QueueAction, useQueueAction } from '../components/queue-action.tsx'

/** A refusal naming the reason (`body.reason: is required`) says it by the form's own label. */
export const PROOF_VERDICT_LABELS = { reason: 'unitProofs.reason' }

/**
 * Staff's verdict on a proof of purchase a customer filed with their registration: accept it,
 * or refuse it with the reason the customer is mailed (required). Shown in the queue of proofs
 * waiting and on the unit's page.
 */
export function ProofVerdict({
  busy,
  onAccept,
  onRefuse,
}: {
  busy: boolean
  onAccept(): Promise<void>
  onRefuse(reason: string): Promise<void>
}) {
  const { t } = useTranslation()
  const reasonId = useId()
  const [reason, setReason] = useState('')
  return (
    <div className="stack">
      <button type="button" disabled={busy} onClick={() => void onAccept()}>
        {t('unitProofs.accept')}
      </button>
      <form
        className="form inline-form"
        onSubmit={(event) => {
          event.preventDefault()
          void onRefuse(reason.trim())
        }}
      >
        <label htmlFor={reasonId}>{t('unitProofs.reason')}</label>
        <input id={reasonId} required value={reason} onChange={(event) => setReason(event.target.value)} />
        <button type="submit" className="button-quiet" disabled={busy}>
          {t('unitProofs.refuse')}
        </button>
      </form>
    </div>
  )
}

/** A verdict staff give on one proof of a unit: what the queue and the unit's page both send. */
export interface ProofWeighing {
  action: QueueAction
  weigh(
    proof: { serial: string; fileId: string },
    verdict: 'accept' | 'refuse',
    reason?: string,
  ): Promise<void>
}

/** Sends verdicts on units' proofs of purchase, one at a time; `onWeighed` reads the proofs again. */
export function useProofWeighing(onWeighed: () => void): ProofWeighing {
  const action = useQueueAction(onWeighed)
  return {
    action,
    weigh: (proof, verdict, reason) =>
      action.run(
        () =>
          api.post(REGISTRY.weighUnitProof(proof.serial, verdict), {
            fileId: proof.fileId,
            ...(verdict === 'refuse' ? { reason } : {}),
          }),
        {
          key: verdict === 'accept' ? 'unitProofs.accepted' : 'unitProofs.refused',
          values: { serial: proof.serial },
        },
      ),
  }
}

/** The document filed as a proof, opened in a new tab; its name as the customer gave it. */
export function ProofDocumentLink({ proof }: { proof: { fileId: string; fileName?: string | null } }) {
  const { t } = useTranslation()
  return (
    <a
      href={`${REGISTRY.files}/${encodeURIComponent(proof.fileId)}`}
      target="_blank"
      rel="noreferrer"
      translate="no"
    >
      {proof.fileName ?? t('unitProofs.unnamed')}
    </a>
  )
}
