import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { formatMinorIn } from '../../../src/contracts/money.ts'
import { INTL_LOCALE } from '../../../src/shared/human-date.ts'
import { setReaderLanguage } from '../api/client.ts'
import { en } from './en.ts'
import { formatListIn } from './lists.ts'

export const LANGUAGES = ['en', 'zh'] as const
export type Language = (typeof LANGUAGES)[number]
const STORAGE_KEY = 'aftercare.language'
/**
 * The signed-in account's language, once followed, kept for the tab (not the browser): a reload
 * or a page typed in the address bar must not fall back to the browser's guess while the same
 * reader is signed in, and the next reader of a shared computer must not inherit it.
 */
const ACCOUNT_KEY = 'aftercare.accountLanguage'

/** `<html lang>` needs the BCP 47 tag so screen readers and CJK fonts pick the right voice and glyphs. */
export const HTML_LANG: Record<Language, string> = { en: 'en', zh: 'zh-CN' }

/**
 * The locale dates and times are written in: that of the e-mails and printed documents
 * (`INTL_LOCALE`), so a day reads the same on the page as on the repair order, and in an
 * order nobody misreads: 5 Jan 2025, never 1/5 or "Jan 5" beside the sheet's "5 January".
 */
const DATE_LOCALE: Record<Language, string> = INTL_LOCALE

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

export function readStoredLanguage(): Language | null {
  try {
    const stored = localStorage.getItem(STORAGE_KEY)
    return isLanguage(stored) ? stored : null
  } catch {
    return null
  }
}

function readAccountLanguage(): Language | null {
  try {
    const followed = sessionStorage.getItem(ACCOUNT_KEY)
    return isLanguage(followed) ? followed : null
  } catch {
    return null
  }
}

function detectLanguage(): Language {
  const stored = readStoredLanguage() ?? readAccountLanguage()
  if (stored) return stored
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en'
}

// Chinese is loaded on demand so English readers never download it, and vice versa is not worth it.
async function loadLanguage(language: Language): Promise<void> {
  if (language === 'en' || i18next.hasResourceBundle(language, 'translation')) return
  const { zh } = await import('./zh.ts')
  i18next.addResourceBundle('zh', 'translation', zh, true, true)
}

function applyHtmlLang(language: Language): void {
  document.documentElement.lang = HTML_LANG[language]
}

export async function startI18n(): Promise<void> {
  const language = detectLanguage()
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en } },
    lng: 'en',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  await switchLanguage(language, { remember: false })
}

export async function switchLanguage(language: Language, options = { remember: true }): Promise<void> {
  await loadLanguage(language)
  // Pages that ask the server again when the language changes must already ask in the new one.
  setReaderLanguage(language)
  await i18next.changeLanguage(language)
  applyHtmlLang(language)
  if (options.remember) {
    try {
      localStorage.setItem(STORAGE_KEY, language)
    } catch {
      // Private mode without storage: the switch still works for this visit.
    }
  }
}

/**
 * Opens the app in the language of the account that signed in from an e-mail (a sign-in link,
 * a claim link): the browser's language is a guess, the account's a choice. A language the
 * reader chose on the page in this browser stays theirs.
 */
export async function followAccountLanguage(locale: string | null | undefined): Promise<void> {
  if (!isLanguage(locale) || readStoredLanguage() !== null) return
  try {
    sessionStorage.setItem(ACCOUNT_KEY, locale)
  } catch {
    // Without storage the account's language holds until the next reload.
  }
  if (locale !== currentLanguage()) await switchLanguage(locale, { remember: false })
}

/** On sign-out: the next reader of this tab gets the browser's language, not the last account's. */
export function forgetAccountLanguage(): void {
  try {
    sessionStorage.removeItem(ACCOUNT_KEY)
  } catch {
    // Nothing was kept.
  }
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en'
}

/** A list of words in the reader's language (lists.ts). */
export function formatList(items: readonly string[]): string {
  return formatListIn(HTML_LANG[currentLanguage()], items)
}

/** Dates are stored as `YYYY-MM-DD`; show them in the reader's language without shifting the day. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—'
  const date = new Date(value.length === 10 ? `${value}T12:00:00Z` : value)
  if (Number.isNaN(date.getTime())) return value
  return new Intl.DateTimeFormat(DATE_LOCALE[currentLanguage()], {
    dateStyle: 'medium',
    ...(value.length === 10 ? { timeZone: 'UTC' } : {}),
  }).format(date)
}

/** A month stored as `YYYY-MM` (a recovery period) in the reader's words: "December 2026", "2026年12月". */
/** A month key (`2026-12`) as the reader writes it; `short` for tight places such as a chart's axis. */
export function formatMonth(value: string | null | undefined, length: 'long' | 'short' = 'long'): string {
  if (!value) return '—'
  if (!/^\d{4}-\d{2}$/.test(value)) return value
  const date = new Date(`${value}-15T12:00:00Z`)
  if (Number.isNaN(date.getTime())) return value
  return new Intl.DateTimeFormat(DATE_LOCALE[currentLanguage()], {
    year: 'numeric',
    month: length,
    timeZone: 'UTC',
  }).format(date)
}

/**
 * A moment in the reader's own time zone, the zone named beside it ("6 Dec 2026, 14:05
 * (Greenwich Mean Time)"): the customer and the seller may be hours apart, and a bare
 * "14:05" does not say whose clock it is.
 */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—'
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return value
  const locale = DATE_LOCALE[currentLanguage()]
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date)
  return i18next.t('common.timeInZone', { time, zone: readZoneName(locale, date) })
}

/** The reader's time zone as their language names it at that moment (summer time or not). */
function readZoneName(locale: string, date: Date): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZoneName: 'long' }).formatToParts(date)
  return (
    parts.find((part) => part.type === 'timeZoneName')?.value ??
    Intl.DateTimeFormat().resolvedOptions().timeZone
  )
}

export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(HTML_LANG[currentLanguage()], { style: 'currency', currency }).format(amount)
  } catch {
    return `${amount.toFixed(2)} ${currency}`
  }
}

/**
 * An amount the API holds in whole minor units (`amountMinor`, `totalMinor`, …), in the
 * reader's language with the currency's own decimals: ¥1,000 for 1000 JPY, $12.50 for 1250 USD.
 */
export function formatMinorMoney(minor: number, currency: string): string {
  return formatMinorIn(HTML_LANG[currentLanguage()], minor, currency)
}
