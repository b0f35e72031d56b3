import { en, type MessageKey } from './en.ts'
import { zh } from './zh.ts'

export type { MessageKey } from './en.ts'
export const MESSAGE_LANGUAGES = ['en', 'zh'] as const
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number]
export type MessageParams = Readonly<Record<string, string | number>>

/** A message as data: the key into the catalogue and the values of its placeholders. */
export interface Message {
  key: MessageKey
  params?: MessageParams
}

const CATALOGUES: Record<MessageLanguage, Record<MessageKey, string>> = { en, zh }

/** Parameters whose values are words of a vocabulary and get translated themselves. */
const VOCABULARIES = new Set([
  'state',
  'action',
  'party',
  'remedy',
  'role',
  'expected',
  'format',
  'payer',
  'cost',
  'handler',
  'recoveryState',
  'recoveryAction',
  'leg',
  'priceBasis',
  'costKind',
  'language',
])

/**
 * Parameters whose values are words of a vocabulary of another name: a file's type, as
 * detected or as declared; the creditor of a recovery and the payer its decision named;
 * what an export held.
 */
const VOCABULARY_OF: Readonly<Record<string, string>> = {
  detected: 'file-type',
  declared: 'file-type',
  creditorRole: 'party',
  payerRole: 'party',
  timeUnit: 'time-unit',
  problem: 'yaml-problem',
  exportKind: 'export-kind',
}

export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(en, key)

/** The vocabulary whose words a parameter's values are (`state`, `file-type`, …), or undefined. */
export const vocabularyOf = (name: string): string | undefined =>
  VOCABULARY_OF[name] ?? (VOCABULARIES.has(name) ? name : undefined)

/**
 * The parameter `name` as worded for a language: `{name}@{language}` when the message carries
 * one (a list of problems each worded in the catalogue, joined once per language), else `name`.
 */
export const paramIn = (language: MessageLanguage, name: string): string => `${name}@${language}`

/** The fewest characters a cut value keeps (`echoed`, `clip`): a value that only ends like one is left alone. */
const FEWEST_KEPT = 60
const CUT = /^([\s\S]*)… \((\d+) characters\)$/

/** A value cut to its first `most` characters, followed by its whole length, for an error to echo. */
export const cutValue = (value: string, most: number): string =>
  value.length <= most
    ? value
    : translate('en', 'echo.cut', { kept: value.slice(0, most), length: value.length })

/** A value `cutValue` cut, its length in the language (the cut is made once, in English, wherever the value is built). */
function cutIn(language: MessageLanguage, value: string): string {
  if (language === 'en') return value
  const cut = CUT.exec(value)
  const kept = cut?.[1]
  const length = Number(cut?.[2])
  if (kept === undefined || kept.length < FEWEST_KEPT || length <= kept.length) return value
  return translate(language, 'echo.cut', { kept, length })
}

/** The message in one language, placeholders filled; a vocabulary value is translated too. */
export function translate(language: MessageLanguage, key: MessageKey, params: MessageParams = {}): string {
  const catalogue = CATALOGUES[language]
  return catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[paramIn(language, name)] ?? params[name]
    if (value === undefined) return whole
    const vocabulary = vocabularyOf(name)
    const word = `${vocabulary}.${value}`
    if (vocabulary !== undefined && isMessageKey(word)) return catalogue[word]
    // A reason is a message of its own (a rule's refusal put after the field it concerns),
    // worded with the same parameters.
    if (name === 'reason' && typeof value === 'string' && isMessageKey(value) && value !== key)
      return translate(language, value, params)
    if (name === 'roles' && typeof value === 'string') {
      return value
        .split(', ')
        .map((role) => (isMessageKey(`role.${role}`) ? catalogue[`role.${role}` as MessageKey] : role))
        .join(language === 'zh' ? '、' : ', ')
    }
    return typeof value === 'string' ? cutIn(language, value) : String(value)
  })
}

export const render = (language: MessageLanguage, message: Message): string =>
  translate(language, message.key, message.params)

/**
 * A message that begins with the field it names (as the `validation.*` lines do), without
 * that field: for a list that shows each problem's field in a place of its own.
 */
export function renderAfterField(language: MessageLanguage, message: Message): string {
  const text = render(language, message)
  const field = message.params?.field
  if (typeof field !== 'string' || !text.startsWith(field)) return text
  const rest = /^(?:: |：| )(.*)$/s.exec(text.slice(field.length))
  return rest?.[1] ?? text
}

/**
 * The reader's language from an `Accept-Language` header: the first of en/zh by weight,
 * or null when the header names neither.
 */
export function languageFromHeader(header: string | undefined): MessageLanguage | null {
  if (!header) return null
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';')
      const q = rest.map((r) => r.trim()).find((r) => r.startsWith('q='))
      return { tag: tag.trim().toLowerCase(), weight: q ? Number(q.slice(2)) : 1, index }
    })
    .filter((entry) => Number.isFinite(entry.weight) && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh'
    if (tag === 'en' || tag.startsWith('en-')) return 'en'
  }
  return null
}

/** A word of a vocabulary (`payer`, `cost`, `remedy`, …) in a language, or the value itself when unknown. */
export function wordOf(language: MessageLanguage, vocabulary: string, value: string): string {
  const key = `${vocabulary}.${value}`
  return isMessageKey(key) ? CATALOGUES[language][key] : value
}
