import { type FormEvent, useId } from 'react'
import { useTranslation } from 'react-i18next'

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
}

export function InputActionForm({
  action,
  busy,
  onSubmit,
}: {
  action: string
  busy: boolean
  onSubmit(body: Record<string, unknown>): Promise<void>
}) {
  const { t } = useTranslation()
  const inputId = useId()
  const spec = INPUT_ACTIONS[action]
  if (!spec) return null
  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (!spec) return
    const raw = String(new FormData(event.currentTarget).get('value') ?? '').trim()
    const value = spec.type === 'money' ? Math.round(Number(raw) * 100) : raw
    await onSubmit({ ...spec.fixed, [spec.field]: value }).catch(() => undefined)
  }
  return (
    <form className="form inline-form" onSubmit={(event) => void handleSubmit(event)}>
      <label htmlFor={inputId}>{t(`actionInput.${action}`)}</label>
      <input
        id={inputId}
        name="value"
        required
        type={spec.type === 'text' ? 'text' : spec.type === 'date' ? 'date' : 'number'}
        {...(spec.type === 'money' ? { min: '0', step: '0.01', inputMode: 'decimal' as const } : {})}
      />
      <button type="submit" disabled={busy} className={action === 'cancel' ? 'button-quiet' : ''}>
        {t(`action.${action}`)}
      </button>
    </form>
  )
}
