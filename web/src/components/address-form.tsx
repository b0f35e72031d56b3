import { type FormEvent, Fragment } from 'react'
import { useTranslation } from 'react-i18next'
import type { PostalAddress } from '../api/types.ts'

const FIELDS = [
  { name: 'name', required: true, max: 120, autoComplete: 'name' },
  { name: 'street', required: true, max: 200, autoComplete: 'address-line1' },
  { name: 'line2', required: false, max: 200, autoComplete: 'address-line2' },
  { name: 'city', required: true, max: 100, autoComplete: 'address-level2' },
  { name: 'region', required: false, max: 100, autoComplete: 'address-level1' },
  { name: 'postalCode', required: false, max: 20, autoComplete: 'postal-code' },
  { name: 'country', required: true, max: 2, autoComplete: 'country' },
  { name: 'phone', required: false, max: 30, autoComplete: 'tel' },
] as const

/** A postal address in full, as the repair order prints it; empty optional fields are left out. */
export function AddressForm({
  idPrefix,
  initial,
  busy,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  idPrefix: string
  initial?: PostalAddress | undefined
  busy: boolean
  submitLabel: string
  onSubmit(address: Record<string, string>): Promise<void>
  onCancel?: () => void
}) {
  const { t } = useTranslation()
  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const address: Record<string, string> = {}
    for (const field of FIELDS) {
      const value = String(form.get(field.name) ?? '').trim()
      if (value) address[field.name] = value
    }
    await onSubmit(address).catch(() => undefined)
  }
  return (
    <form className="form" onSubmit={(event) => void handleSubmit(event)} data-testid={`${idPrefix}-form`}>
      {FIELDS.map((field) => (
        <Fragment key={field.name}>
          <label htmlFor={`${idPrefix}-${field.name}`}>{t(`address.${field.name}`)}</label>
          <input
            id={`${idPrefix}-${field.name}`}
            name={field.name}
            required={field.required}
            maxLength={field.max}
            autoComplete={field.autoComplete}
            defaultValue={initial?.[field.name] ?? ''}
            {...(field.name === 'country' ? { pattern: '[A-Za-z]{2}', placeholder: 'CN' } : {})}
          />
        </Fragment>
      ))}
      <p className="actions">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button-quiet" onClick={onCancel}>
            {t('address.cancel')}
          </button>
        )}
      </p>
    </form>
  )
}
