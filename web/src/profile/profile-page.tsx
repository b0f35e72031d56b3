import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../api/client.ts'
import { PROFILE } from '../api/endpoints.ts'
import type { CustomerProfile, SavedAddress } from '../api/types.ts'
import { AddressForm } from '../components/address-form.tsx'
import { countryName } from '../components/country-options.ts'
import { LanguageOptions } from '../components/language-options.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { useReloadOnLanguageChange } from '../components/use-reload-on-language.ts'
import { currentLanguage, HTML_LANG } from '../i18n/i18n.ts'
import { contactChanges } from './contact-changes.ts'
import { MailPreferencesCard } from './mail-preferences.tsx'

/** The customer's contact details and saved addresses: add, edit, remove. */
export function ProfilePage() {
  const { t } = useTranslation()
  const profile = useApi<CustomerProfile>(PROFILE.me)
  // Read again after the header's language switch, so saving this form does not put back the
  // language shown before the switch.
  useReloadOnLanguageChange(profile.reload)
  const [editing, setEditing] = useState<string | 'new' | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)

  async function run(change: () => Promise<unknown>) {
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      await change()
      setEditing(null)
      setSaved(true)
      profile.reload()
    } catch (failure) {
      setError(failure)
      throw failure
    } finally {
      setBusy(false)
    }
  }

  async function saveContact(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const phone = String(form.get('phone') ?? '').trim()
    const locale = form.get('locale') === 'zh' ? 'zh' : 'en'
    const shown = profile.data
    if (!shown) return
    await run(() =>
      api.patch(
        PROFILE.me,
        contactChanges(shown, { name: String(form.get('name') ?? '').trim(), phone: phone || null, locale }),
      ),
    ).catch(() => undefined)
  }

  if (profile.loading && !profile.data) return <Loading />
  const data = profile.data
  if (!data) return <ErrorNote error={profile.error} />
  return (
    <section className="page narrow">
      <h1>{t('profile.title')}</h1>
      <ErrorNote error={error} />
      {saved && (
        <p className="note note-ok" role="status">
          {t('profile.saved')}
        </p>
      )}
      <form
        className="card form"
        onSubmit={(event) => void saveContact(event)}
        aria-labelledby="contact-title"
        data-testid="contact-form"
      >
        <h2 id="contact-title">{t('profile.contact')}</h2>
        <p className="muted">{data.email}</p>
        <label htmlFor="profile-name">{t('profile.name')}</label>
        <input id="profile-name" name="name" required maxLength={120} defaultValue={data.name} />
        <label htmlFor="profile-phone">{t('address.phone')}</label>
        <input id="profile-phone" name="phone" type="tel" maxLength={30} defaultValue={data.phone ?? ''} />
        <label htmlFor="profile-locale">{t('profile.locale')}</label>
        <select id="profile-locale" name="locale" defaultValue={data.locale} key={data.locale}>
          <LanguageOptions />
        </select>
        <button type="submit" disabled={busy}>
          {t('address.save')}
        </button>
      </form>
      <section className="card stack" aria-labelledby="addresses-title" data-testid="saved-addresses">
        <h2 id="addresses-title">{t('profile.addresses')}</h2>
        {data.addresses.length === 0 && <p className="muted">{t('profile.noAddresses')}</p>}
        <ul className="plain-list stack">
          {data.addresses.map((address: SavedAddress) => (
            <li key={address.id} data-testid="saved-address">
              {editing === address.id ? (
                <AddressForm
                  idPrefix={`address-${address.id}`}
                  initial={address}
                  busy={busy}
                  submitLabel={t('address.save')}
                  onSubmit={(body) => run(() => api.put(PROFILE.address(address.id), body))}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <>
                  <address translate="no">
                    {[
                      address.name,
                      address.street,
                      address.line2,
                      address.city,
                      address.region,
                      address.postalCode,
                      countryName(HTML_LANG[currentLanguage()], address.country),
                      address.phone,
                    ]
                      .filter(Boolean)
                      .join(', ')}
                  </address>
                  <p className="actions">
                    <button type="button" className="button-quiet" onClick={() => setEditing(address.id)}>
                      {t('profile.edit')}
                    </button>
                    <button
                      type="button"
                      className="button-quiet"
                      disabled={busy}
                      onClick={() =>
                        void run(() => api.delete(PROFILE.address(address.id))).catch(() => undefined)
                      }
                    >
                      {t('profile.remove')}
                    </button>
                  </p>
                </>
              )}
            </li>
          ))}
        </ul>
        {editing === 'new' ? (
          <AddressForm
            idPrefix="new-address"
            busy={busy}
            submitLabel={t('profile.addAddress')}
            onSubmit={(body) => run(() => api.post(PROFILE.addresses, body))}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <p>
            <button type="button" onClick={() => setEditing('new')}>
              {t('profile.addAddress')}
            </button>
          </p>
        )}
      </section>
      <MailPreferencesCard kinds={['quote-reminders']} />
    </section>
  )
}
