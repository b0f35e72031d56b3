import type { z } from 'zod'
import { AppError } from './errors.ts'

/**
 * Stored JSON documents as a response sends them: each text is parsed, checked against the
 * response schema (unknown fields stripped) and written again, exactly as the route's
 * serializer would, once; after that the same text is answered from memory. Found by its
 * own characters, an entry cannot go stale: a changed document is another text. Claim pages
 * and lists answer the same few documents over and over (the claims being worked on), and
 * the check and the rewriting cost more than the rest of a claim's page together.
 *
 * Bounded by the characters it holds, oldest out first, so memory stays flat whatever is read.
 */
export interface CheckedJsonTexts {
  /** The text the response carries for `stored`: itself when checking changes nothing. */
  answer(stored: string): string
  /** Characters held, keys and answers; for tests and the bench. */
  size(): number
}

export function createCheckedJsonTexts(
  schema: z.ZodType,
  options: { name: string; maxChars: number },
): CheckedJsonTexts {
  const kept = createKeptByText<string>(options.maxChars)
  return {
    answer(stored) {
      const known = kept.get(stored)
      if (known !== undefined) return known
      const written = writeChecked(schema, JSON.parse(stored), `stored ${options.name}`)
      const answer = written === stored ? stored : written
      kept.set(stored, answer, answer === stored ? 0 : answer.length)
      return answer
    },
    size: kept.size,
  }
}

/**
 * Stored JSON documents parsed once and shared: every reader of the same text gets the same
 * value, frozen all the way down, so a reader that tried to change it in place would throw
 * instead of changing it for the others. A claim's page and list rows read the claim's
 * decisions (about 6,000 characters each) and its case; parsing them again for every
 * request cost more than finding the text among those kept.
 */
export interface SharedJsonValues {
  parse<T>(stored: string): T
  /** Characters held (the texts); for tests. */
  size(): number
}

export function createSharedJsonValues(options: { maxChars: number }): SharedJsonValues {
  const kept = createKeptByText<unknown>(options.maxChars)
  return {
    parse<T>(stored: string): T {
      let value = kept.get(stored)
      if (value === undefined) {
        value = deepFreeze(JSON.parse(stored))
        kept.set(stored, value, 0)
      }
      return value as T
    },
    size: kept.size,
  }
}

/**
 * Values kept by the text they came from, bounded by the characters held (each text, plus
 * what its value costs beyond it), oldest out first.
 */
function createKeptByText<T>(maxChars: number) {
  const values = new Map<string, { value: T; chars: number }>()
  let chars = 0
  return {
    get: (text: string): T | undefined => values.get(text)?.value,
    set(text: string, value: T, extraChars: number): void {
      const cost = text.length + extraChars
      if (cost > maxChars || values.has(text)) return
      while (chars + cost > maxChars) {
        const oldest = values.entries().next().value
        if (oldest === undefined) break
        values.delete(oldest[0])
        chars -= oldest[1].chars
      }
      values.set(text, { value, chars: cost })
      chars += cost
    },
    size: () => chars,
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const member of Object.values(value)) deepFreeze(member)
  }
  return value
}

/**
 * `value` as the route's serializer writes it: checked against `schema`, then stringified.
 * What the schema refuses is our fault, not the caller's: a 500, as the serializer answers,
 * never a 400 naming a field the caller did not send.
 */
export function writeChecked(schema: z.ZodType, value: unknown, name: string): string {
  const checked = schema.safeParse(value)
  if (!checked.success)
    throw new AppError('internal', `A ${name} does not match its response schema`, { cause: checked.error })
  return JSON.stringify(checked.data)
}
