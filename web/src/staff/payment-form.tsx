import type { FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { formatMoney } from '../i18n/i18n.ts'

/** A payment against the accepted quote; the amount starts at what is still owed, in major units. */
export function PaymentForm({
  outstandingMinor,
  currency,
  busy,
  onSubmit,
}: {
  outstandingMinor: number
  currency: string
  busy: boolean
  onSubmit(body: Record<string, unknown>): Promise<void>
}) {
  const { t } = useTranslation()
  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const reference = String(form.get('reference') ?? '').trim()
    await onSubmit({
      amountMinor: Math.round(Number(form.get('amount')) * 100),
      ...(reference ? { reference } : {}),
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
      <label htmlFor="payment-reference">{t('payment.reference')}</label>
      <input id="payment-reference" name="reference" maxLength={200} />
      <button type="submit" disabled={busy}>
        {t('action.record-payment')}
      </button>
    </form>
  )
}
