import type { FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { formatMoney } from '../i18n/i18n.ts'

/** A payment against the accepted quote; the amount starts at what is still owed, in major units. */
export function PaymentForm({
  outstandingMinor,
  currency,
  proofs,
  today,
  busy,
  onSubmit,
}: {
  outstandingMinor: number
  currency: string
  /** The customer's proofs of payment, newest last; the newest is checked by default. */
  proofs: readonly { fileId: string; name: string }[]
  /** YYYY-MM-DD, the default day the money arrived. */
  today: string
  busy: boolean
  onSubmit(body: Record<string, unknown>): Promise<void>
}) {
  const { t } = useTranslation()
  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const reference = String(form.get('reference') ?? '').trim()
    const note = String(form.get('note') ?? '').trim()
    const paidOn = String(form.get('paidOn') ?? '')
    const proofFileId = String(form.get('proofFileId') ?? '')
    await onSubmit({
      amountMinor: Math.round(Number(form.get('amount')) * 100),
      ...(paidOn ? { paidOn } : {}),
      ...(reference ? { reference } : {}),
      ...(note ? { note } : {}),
      ...(proofFileId ? { proofFileId } : {}),
    }).catch(() => undefined)
  }
  return (
    <form
      className="card form"
      onSubmit={(event) => void handleSubmit(event)}
      aria-labelledby="payment-title"
      data-testid="payment-form"
    >
      <h2 id="payment-title">{t('payment.title')}</h2>
      <p>{t('payment.outstanding', { amount: formatMoney(outstandingMinor / 100, currency) })}</p>
      <label htmlFor="payment-amount">{t('payment.amount', { currency })}</label>
      <input
        id="payment-amount"
        name="amount"
        type="number"
        min="0.01"
        step="0.01"
        inputMode="decimal"
        required
        max={(outstandingMinor / 100).toFixed(2)}
        defaultValue={(outstandingMinor / 100).toFixed(2)}
      />
      <label htmlFor="payment-paid-on">{t('payment.paidOn')}</label>
      <input id="payment-paid-on" name="paidOn" type="date" required max={today} defaultValue={today} />
      <label htmlFor="payment-reference">{t('payment.reference')}</label>
      <input id="payment-reference" name="reference" maxLength={200} />
      <label htmlFor="payment-proof-file">{t('payment.proofChecked')}</label>
      <select id="payment-proof-file" name="proofFileId" defaultValue={proofs.at(-1)?.fileId ?? ''}>
        <option value="">{t('payment.noProof')}</option>
        {proofs.map((proof) => (
          <option key={proof.fileId} value={proof.fileId}>
            {proof.name}
          </option>
        ))}
      </select>
      <label htmlFor="payment-note">{t('payment.note')}</label>
      <textarea id="payment-note" name="note" maxLength={4000} rows={2} />
      <button type="submit" disabled={busy}>
        {t('action.record-payment')}
      </button>
    </form>
  )
}
