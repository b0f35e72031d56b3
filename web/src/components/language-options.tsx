import { HTML_LANG, LANGUAGES, type Language } from '../i18n/i18n.ts'

/** Each language named in itself, so a reader finds theirs whatever the page is in. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', zh: '简体中文' }

/** The options of a select that chooses the language of e-mails and documents. */
export function LanguageOptions() {
  return LANGUAGES.map((language) => (
    <option key={language} value={language} lang={HTML_LANG[language]}>
      {LANGUAGE_NAMES[language]}
    </option>
  ))
}
