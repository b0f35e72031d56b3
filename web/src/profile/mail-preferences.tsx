import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../api/client.ts'
import { PROFILE } from '../api/endpoints.ts'
import type { MailPreferences } from '../api/types.ts'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'

type Kind = keyof MailPreferences

/** The optional e-mails a person may stop: only the kinds that reach someone of their role are shown. */
export function MailPreferencesCard({ kinds }: { kinds: readonly Kind[] }) {
  const { t } = useTranslation()
  const preferences = useApi<MailPreferences>(PROFILE.mailPreferences)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  // The box follows the click at once; the server's answer then settles it (or puts it back).
  const [shown, setShown] = useState<MailPreferences | null>(null)

  async function choose(kind: Kind, wanted: boolean) {
    const before = shown ?? preferences.data
    if (!before) return
    setShown({ ...before, [kind]: wanted })
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      setShown(await api.put<MailPreferences>(PROFILE.mailPreferences, { [kind]: wanted }))
      setSaved(true)
    } catch (failure) {
      setShown(before)
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const data = shown ?? preferences.data
  return (
    <section className="card stack" aria-labelledby="mail-preferences-title" data-testid="mail-preferences">
      <h2 id="mail-preferences-title">{t('mailPrefs.title')}</h2>
      <p className="muted">{t('mailPrefs.always')}</p>
      <ErrorNote error={error ?? (data ? null : preferences.error)} />
      {saved && (
        <p className="note note-ok" role="status">
          {t('mailPrefs.saved')}
        </p>
      )}
      {!data && preferences.loading ? (
        <Loading />
      ) : (
        data &&
        kinds.map((kind) => (
          <label key={kind} className="checkbox">
            <input
              type="checkbox"
              name={kind}
              checked={data[kind]}
              disabled={busy}
              onChange={(event) => void choose(kind, event.currentTarget.checked)}
            />{' '}
            {t(`mailPrefs.${kind}`)}
          </label>
        ))
      )}
    </section>
  )
}
