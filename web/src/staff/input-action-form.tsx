import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MoneyFieldError, moneyFieldInvalid, moneyInputProps } from '../components/money-field.tsx'
import { type MoneyRefusal, toMinorUnits } from '../i18n/money.ts'

/** Lifecycle steps that need one value from staff; the body field names follow src/claims/claim.schemas.ts. */
export const INPUT_ACTIONS: Record<
  string,
  { field: string; type: 'text' | 'date' | 'money'; fixed?: Record<string, unknown> }
> = {
  'request-info': { field: 'request', type: 'text' },
  'resolve-remotely': { field: 'note', type: 'text', fixed: { fix: 'remote-fix' } },
  'schedule-pickup': { field: 'pickupOn', type: 'date' },
  'issue-replacement': { field: 'newSerial', type: 'text' },
  'issue-refund': { field: 'amountMinor', type: 'money' },
  cancel: { field: 'reason', type: 'text' },
  // Staff answer a quote for a customer who answered by phone or e-mail, and say so.
  'accept-quote': { field: 'note', type: 'text' },
  'decline-quote': { field: 'note', type: 'text' },
}

export function InputActionForm({
  action,
  currency,
  busy,
  onSubmit,
}: {
  action: string
  /** The claim's currency: a money field is typed in it and sent in its minor units. */
  currency: string
  busy: boolean
  onSubmit(body: Record<string, unknown>): Promise<void>
}) {
  const { t } = useTranslation()
  const inputId = useId()
  const [refused, setRefused] = useState<MoneyRefusal | null>(null)
  const spec = INPUT_ACTIONS[action]
  if (!spec) return null
  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (!spec) return
    const raw = String(new FormData(event.currentTarget).get('value') ?? '').trim()
    let value: string | number = raw
    if (spec.type === 'money') {
      const amount = toMinorUnits(raw, currency)
      setRefused(amount.ok ? null : amount.refusal)
      if (!amount.ok) return
      value = amount.minor
    }
    await onSubmit({ ...spec.fixed, [spec.field]: value }).catch(() => undefined)
  }
  const errorId = `${inputId}-error`
  return (
    <form className="form inline-form" onSubmit={(event) => void handleSubmit(event)}>
      <label htmlFor={inputId}>{t(`actionInput.${action}`)}</label>
      <input
        id={inputId}
        name="value"
        required
        {...(spec.type === 'money'
          ? { ...moneyInputProps(currency), ...moneyFieldInvalid(errorId, refused) }
          : { type: spec.type })}
      />
      {spec.type === 'money' && <MoneyFieldError id={errorId} refusal={refused} currency={currency} />}
      <button type="submit" disabled={busy} className={action === 'cancel' ? 'button-quiet' : ''}>
        {t(`action.${action}`)}
      </button>
    </form>
  )
}
