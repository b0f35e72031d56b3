import { useTranslation } from 'react-i18next'
import { api } from '../api/client.ts'
import { PROFILE } from '../api/endpoints.ts'
import { useSession } from '../auth/session.tsx'
import { currentLanguage, type Language, switchLanguage } from '../i18n/i18n.ts'

const NAMES: Record<Language, string> = { en: 'English', zh: '简体中文' }

export function LanguageSwitch() {
  const { t } = useTranslation()
  const { user } = useSession()
  const language = currentLanguage()
  const other: Language = language === 'en' ? 'zh' : 'en'
  async function choose(): Promise<void> {
    // A customer who reads us in a language wants our e-mails and documents in it too: they
    // go out from the profile's language, which the profile page also sets. Saved before the
    // page changes language, so a page that reads the profile again on the change sees it.
    if (user?.role === 'customer') await api.patch(PROFILE.me, { locale: other }).catch(() => undefined)
    await switchLanguage(other)
  }
  return (
    <button
      type="button"
      className="button-quiet"
      lang={other === 'zh' ? 'zh-CN' : 'en'}
      aria-label={t('nav.switchLanguage', { language: NAMES[other] })}
      onClick={() => void choose()}
      data-testid="language-switch"
    >
      {NAMES[other]}
    </button>
  )
}
