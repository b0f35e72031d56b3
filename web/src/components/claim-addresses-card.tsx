import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../api/client.ts'
import { CLAIMS, PROFILE } from '../api/endpoints.ts'
import type { ClaimAddresses, Page, SavedAddress } from '../api/types.ts'
import { readItems } from '../api/types.ts'
import { AddressForm } from './address-form.tsx'
import { ErrorNote } from './status.tsx'
import { useApi } from './use-api.ts'

/**
 * Where the unit goes (ship-to, once the return is authorised) and where it comes back to.
 * The return address may be chosen from the customer's saved addresses or entered, until
 * the return ships; staff enter one for the customer when it is missing.
 */
export function ClaimAddressesCard({
  claimId,
  customer,
  onSaved,
}: {
  claimId: string
  /** The customer picks from their saved addresses; staff only enter one. */
  customer: boolean
  onSaved?: () => void
}) {
  const { t, i18n } = useTranslation()
  const addresses = useApi<ClaimAddresses>(CLAIMS.addresses(claimId))
  // The server words the lines (the phone's label) in the language they were asked in: a
  // reader who switches language mid-way gets them again in the new one.
  const askedIn = useRef(i18n.language)
  const { reload } = addresses
  useEffect(() => {
    if (askedIn.current === i18n.language) return
    askedIn.current = i18n.language
    reload()
  }, [i18n.language, reload])
  const saved = useApi<Page<SavedAddress>>(customer ? PROFILE.addresses : null)
  const [editing, setEditing] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const data = addresses.data
  if (!data) return <ErrorNote error={addresses.error} />

  async function save(body: unknown) {
    setBusy(true)
    setError(null)
    try {
      await api.put(CLAIMS.returnAddress(claimId), body)
      setEditing(false)
      addresses.reload()
      onSaved?.()
    } catch (failure) {
      setError(failure)
      throw failure
    } finally {
      setBusy(false)
    }
  }
  const choices = readItems(saved.data)
  return (
    <section className="card" aria-labelledby={`addresses-${claimId}`} data-testid="claim-addresses">
      <h2 id={`addresses-${claimId}`}>{t('address.title')}</h2>
      <div className="columns">
        <div>
          <h3>{t('address.returnTo')}</h3>
          {data.returnAddressLines.length > 0 ? (
            <address data-testid="return-address" translate="no">
              {data.returnAddressLines.map((line) => (
                <div key={line}>{line}</div>
              ))}
            </address>
          ) : (
            <p className="note note-warn" data-testid="return-address-missing">
              {t('address.missing')}
            </p>
          )}
        </div>
        {data.shipToLines.length > 0 && (
          <div>
            <h3>{t('address.shipTo')}</h3>
            {data.servedInsteadOf && (
              <p className="note" data-testid="served-instead-of">
                {t('address.servedInsteadOf', { dealer: data.servedInsteadOf })}
              </p>
            )}
            <address data-testid="ship-to-address" translate="no">
              {data.shipToLines.map((line) => (
                <div key={line}>{line}</div>
              ))}
            </address>
          </div>
        )}
      </div>
      <ErrorNote error={error} />
      {data.editable && !editing && (
        <div className="stack">
          {customer && choices.length > 0 && (
            <p className="actions">
              <label htmlFor={`saved-${claimId}`}>{t('address.useSaved')}</label>
              <select
                id={`saved-${claimId}`}
                defaultValue=""
                disabled={busy}
                onChange={(event) => {
                  if (event.target.value) void save({ addressId: event.target.value }).catch(() => undefined)
                }}
              >
                <option value="">{t('address.choose')}</option>
                {choices.map((choice) => (
                  <option key={choice.id} value={choice.id}>
                    {[choice.name, choice.street, choice.city].join(', ')}
                  </option>
                ))}
              </select>
            </p>
          )}
          <p>
            <button type="button" className="button-quiet" onClick={() => setEditing(true)}>
              {data.returnAddress ? t('address.change') : t('address.enter')}
            </button>
          </p>
        </div>
      )}
      {editing && (
        <AddressForm
          idPrefix="return-address"
          initial={data.returnAddress ?? undefined}
          busy={busy}
          submitLabel={t('address.save')}
          onSubmit={(address) => save({ address })}
          onCancel={() => setEditing(false)}
        />
      )}
    </section>
  )
}
