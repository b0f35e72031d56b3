import { en } from './en.ts'
import { isMessageKey, type Message, render } from './translate.ts'

/** The parts of a Zod issue the wording needs; both Zod's issues and the HTTP validator's entries fit. */
export interface IssueLike {
  code: string
  message: string
  expected?: unknown
  origin?: unknown
  minimum?: unknown
  maximum?: unknown
  format?: unknown
  values?: unknown
  keys?: unknown
  divisor?: unknown
  /** Values a schema's own check gives its catalogue key (`ctx.addIssue({ params })`). */
  params?: unknown
}

/** The values of a check's own parameters that can fill a placeholder. */
export function wordsOf(params: unknown): Record<string, string | number> {
  if (typeof params !== 'object' || params === null) return {}
  return Object.fromEntries(
    Object.entries(params).filter(
      (entry): entry is [string, string | number] =>
        typeof entry[1] === 'string' || typeof entry[1] === 'number',
    ),
  )
}

const SIZED = ['string', 'number', 'array'] as const
type Sized = (typeof SIZED)[number]
const isSized = (value: unknown): value is Sized => SIZED.includes(value as Sized)

/**
 * A Zod issue as a catalogue message naming the field. The generic issues are worded by
 * their code; an issue with wording of its own (`custom`, refinements) says only that the
 * field is not valid in other languages, while English keeps the schema's own words.
 */
export function issueMessage(field: string, issue: IssueLike): Message {
  // A schema may word a check by a catalogue key, so every language gets its own words.
  if (isMessageKey(issue.message)) {
    const params = { ...wordsOf(issue.params), field }
    // Words that follow the field (a date's checks, shared by cases and policy files) are put after it.
    return en[issue.message].includes('{field}')
      ? { key: issue.message, params }
      : { key: 'validation.field-reason', params: { ...params, reason: issue.message } }
  }
  const origin = isSized(issue.origin) ? issue.origin : null
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined/.test(issue.message)) return { key: 'validation.required', params: { field } }
      return typeof issue.expected === 'string'
        ? { key: 'validation.invalid-type', params: { field, expected: issue.expected } }
        : { key: 'validation.invalid', params: { field } }
    case 'too_small':
      if (origin && issue.minimum !== undefined)
        return {
          key: `validation.too-small.${origin}` as const,
          params: { field, minimum: Number(issue.minimum) },
        }
      break
    case 'too_big':
      if (origin && issue.maximum !== undefined)
        return {
          key: `validation.too-big.${origin}` as const,
          params: { field, maximum: Number(issue.maximum) },
        }
      break
    case 'invalid_format':
      if (typeof issue.format === 'string' && isMessageKey(`format.${issue.format}`))
        return { key: 'validation.format', params: { field, format: issue.format } }
      break
    case 'invalid_value':
      if (Array.isArray(issue.values))
        return { key: 'validation.one-of', params: { field, values: issue.values.map(String).join(', ') } }
      break
    case 'unrecognized_keys':
      if (Array.isArray(issue.keys))
        return { key: 'validation.unknown-keys', params: { field, keys: issue.keys.map(String).join(', ') } }
      break
    case 'not_multiple_of':
      return { key: 'validation.not-multiple', params: { field, divisor: Number(issue.divisor) } }
  }
  return { key: 'validation.invalid', params: { field } }
}

/** How Zod's own messages begin, as opposed to the words a schema gives its checks. */
const ZOD_GENERIC_WORDS = /^(Too (big|small)|Invalid|Unrecognized key|Expected|Required)/

/**
 * The English line of an issue: a schema's own words ("may hold only letters, digits, …")
 * as written, Zod's generic ones ("Too big: expected string to have <=4000 characters") and
 * catalogue keys from the catalogue.
 */
export function englishIssueText(field: string, message: string, text: Message): string {
  return isMessageKey(message) || ZOD_GENERIC_WORDS.test(message)
    ? render('en', text)
    : `${field}: ${message}`
}
