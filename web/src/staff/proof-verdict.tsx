import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'

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
