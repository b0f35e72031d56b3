import { useTranslation } from 'react-i18next'
import { currentLanguage, type Language, switchLanguage } from '../i18n/i18n.ts'

const NAMES: Record<Language, string> = { en: 'English', zh: '简体中文' }

export function LanguageSwitch() {
  const { t } = useTranslation()
  const language = currentLanguage()
  const other: Language = language === 'en' ? 'zh' : 'en'
  return (
    <button
      type="button"
      className="button-quiet"
      lang={other === 'zh' ? 'zh-CN' : 'en'}
      aria-label={t('nav.switchLanguage', { language: NAMES[other] })}
      onClick={() => void switchLanguage(other)}
      data-testid="language-switch"
    >
      {NAMES[other]}
    </button>
  )
}
