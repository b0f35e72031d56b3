import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DateField } from '../components/date-field.tsx'
import { MoneyFieldError, moneyFieldInvalid, moneyInputProps } from '../components/money-field.tsx'
import { formatMinorMoney } from '../i18n/i18n.ts'
import { fromMinorUnits, type MoneyRefusal, minorStep, toMinorUnits } from '../i18n/money.ts'

/**
 * A payment against the accepted quote; the amount starts at what is still owed, typed in
 * major units of the quote's currency (whole yen, euros and cents) and sent in its minor units.
 */
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
  const [refused, setRefused] = useState<MoneyRefusal | null>(null)
  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const amount = toMinorUnits(String(form.get('amount') ?? ''), currency)
    setRefused(amount.ok ? null : amount.refusal)
    if (!amount.ok) return
    const reference = String(form.get('reference') ?? '').trim()
    const note = String(form.get('note') ?? '').trim()
    const paidOn = String(form.get('paidOn') ?? '')
    const proofFileId = String(form.get('proofFileId') ?? '')
    await onSubmit({
      amountMinor: amount.minor,
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
      <p>{t('payment.outstanding', { amount: formatMinorMoney(outstandingMinor, currency) })}</p>
      <label htmlFor="payment-amount">{t('payment.amount', { currency })}</label>
      <input
        id="payment-amount"
        name="amount"
        {...moneyInputProps(currency)}
        min={minorStep(currency)}
        required
        max={fromMinorUnits(outstandingMinor, currency)}
        defaultValue={fromMinorUnits(outstandingMinor, currency)}
        {...moneyFieldInvalid('payment-amount-error', refused)}
      />
      <MoneyFieldError id="payment-amount-error" refusal={refused} currency={currency} />
      <label htmlFor="payment-paid-on">{t('payment.paidOn')}</label>
      <DateField id="payment-paid-on" name="paidOn" required max={today} defaultValue={today} />
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
