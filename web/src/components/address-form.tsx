import { type FormEvent, Fragment } from 'react'
import { useTranslation } from 'react-i18next'
import type { PostalAddress } from '../api/types.ts'
import { currentLanguage, HTML_LANG } from '../i18n/i18n.ts'
import { countryOptions } from './country-options.ts'

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
          {field.name === 'country' ? (
            // Chosen by name in the reader's language: a two-letter box cut "China" to CH,
            // Switzerland, and refused 中国 with no word of why.
            <select
              id={`${idPrefix}-${field.name}`}
              name={field.name}
              required
              autoComplete={field.autoComplete}
              defaultValue={initial?.country?.trim().toUpperCase() ?? ''}
            >
              <option value="">{t('address.chooseCountry')}</option>
              {countryOptions(HTML_LANG[currentLanguage()], initial?.country).map((option) => (
                <option key={option.code} value={option.code}>
                  {option.name}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={`${idPrefix}-${field.name}`}
              name={field.name}
              required={field.required}
              maxLength={field.max}
              autoComplete={field.autoComplete}
              defaultValue={initial?.[field.name] ?? ''}
            />
          )}
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
