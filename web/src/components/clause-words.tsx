import { useTranslation } from 'react-i18next'
import type { Language, Translations } from '../api/types.ts'
import { LANGUAGES } from '../i18n/i18n.ts'

/** A clause's words as the policy gives them: its own words, their language, and translations. */
export interface ClauseSource {
  text: string
  /** The language of `text`; decisions stored before it existed leave it out. */
  language?: Language | undefined
  translations?: Translations | undefined
}

const LANG_TAG: Record<Language, string> = { en: 'en', zh: 'zh-CN' }

// Decisions stored before clauses named their language: Chinese characters say zh.
const languageOf = (source: ClauseSource): Language =>
  source.language ?? (/[\u4e00-\u9fff]/.test(source.text) ? 'zh' : 'en')

const asLanguage = (value: string): Language =>
  (LANGUAGES as readonly string[]).includes(value) ? (value as Language) : 'en'

/**
 * A clause in the reader's language: the policy's translation where it has one, with the
 * source's own wording one click away, marked with its language and kept from page
 * translators (it is a quote). Without a translation, the source's words as they are.
 */
export function ClauseWords({ source }: { source: ClauseSource }) {
  const { t, i18n } = useTranslation()
  const reader = asLanguage(i18n.language)
  const own = languageOf(source)
  const translated = own === reader ? undefined : source.translations?.[reader]
  if (translated === undefined) {
    return (
      <blockquote lang={LANG_TAG[own]} translate={own === reader ? undefined : 'no'}>
        {source.text}
      </blockquote>
    )
  }
  return (
    <div className="clause-words">
      <blockquote lang={LANG_TAG[reader]}>{translated}</blockquote>
      <details className="clause-original" data-testid="clause-original">
        <summary>{t('decisionCard.originalWording')}</summary>
        <blockquote lang={LANG_TAG[own]} translate="no">
          {source.text}
        </blockquote>
      </details>
    </div>
  )
}

/** A policy's title in the reader's language, where the policy translates it. */
export function usePolicyTitle(): (policy: {
  title: string
  translations?: { en?: { title?: string | undefined }; zh?: { title?: string | undefined } }
}) => string {
  const { i18n } = useTranslation()
  const reader = asLanguage(i18n.language)
  return (policy) => policy.translations?.[reader]?.title ?? policy.title
}
