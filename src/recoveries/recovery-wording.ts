import {
  isMessageKey,
  type Message,
  type MessageLanguage,
  type MessageParams,
  translate,
} from '../shared/messages/translate.ts'

/**
 * The words of recovery lines and findings in a reader's language. A derivation writes each
 * in English (`description`, `message`, which other programs read) and as a catalogue message
 * (key and values); lines and outcomes stored before it did have the English alone.
 */

const isParams = (value: unknown): value is MessageParams =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number')

/** A message as stored (`{key, params}`), or null: none stored, or not one this catalogue words. */
export function readStoredMessage(json: string | null): Message | null {
  if (json === null) return null
  try {
    const { key, params } = JSON.parse(json) as { key?: unknown; params?: unknown }
    if (typeof key !== 'string' || !isMessageKey(key)) return null
    return { key, params: isParams(params) ? params : {} }
  } catch {
    return null
  }
}

/**
 * The text in the reader's language: the message worded in it where there is one, else the
 * English as stored. An English reader gets the stored English, word for word.
 */
export function inLanguage(
  language: MessageLanguage,
  english: string,
  key: string | null | undefined,
  params: unknown,
): string {
  if (language === 'en' || !key || !isMessageKey(key)) return english
  return translate(language, key, isParams(params) ? params : {})
}
