import { useTranslation } from 'react-i18next'
import { api } from '../api/client.ts'
import { PROFILE } from '../api/endpoints.ts'
import { useSession } from '../auth/session.tsx'
import { currentLanguage, HTML_LANG, type Language, switchLanguage } from '../i18n/i18n.ts'
import { LANGUAGE_NAMES } from './language-options.tsx'

export function LanguageSwitch() {
  const { t } = useTranslation()
  const { user } = useSession()
  const language = currentLanguage()
  const other: Language = language === 'en' ? 'zh' : 'en'
  async function choose(): Promise<void> {
    // A customer who reads us in a language wants our e-mails and documents in it too: they
    // go out from the profile's language, which the profile page also sets. Saved before the
    // page changes language, so a page that reads the profile again on the change sees it.
    // Staff and dealer users keep theirs on their account, which their e-mails follow.
    if (user?.role === 'customer') await api.patch(PROFILE.me, { locale: other }).catch(() => undefined)
    else if (user) await api.put(PROFILE.language, { locale: other }).catch(() => undefined)
    await switchLanguage(other)
  }
  return (
    <button
      type="button"
      className="button-quiet"
      lang={HTML_LANG[other]}
      aria-label={t('nav.switchLanguage', { language: LANGUAGE_NAMES[other] })}
      onClick={() => void choose()}
      data-testid="language-switch"
    >
      {LANGUAGE_NAMES[other]}
    </button>
  )
}
