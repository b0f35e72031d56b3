import {
  languageFromHeader,
  type MessageKey,
  type MessageLanguage,
  type MessageParams,
  translate,
} from './translate.ts'

/**
 * The operator's language on the command line: AFTERCARE_LANGUAGE, else the locale of the
 * shell (LC_ALL, LC_MESSAGES, LANG), as other programs in the same terminal read it.
 */
export function operatorLanguage(env: NodeJS.ProcessEnv = process.env): MessageLanguage {
  for (const name of ['AFTERCARE_LANGUAGE', 'LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name]
    if (!value) continue
    const tag = value.split('.')[0]?.replace('_', '-')
    return languageFromHeader(tag) ?? 'en'
  }
  return 'en'
}

/** A line a command prints for the operator to read, in the operator's language. */
export const operatorText = (key: MessageKey, params: MessageParams = {}): string =>
  translate(operatorLanguage(), key, params)
