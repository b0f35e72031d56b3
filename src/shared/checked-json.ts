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
  const answers = new Map<string, string>()
  let chars = 0
  const held = (stored: string, answer: string) => stored.length + (answer === stored ? 0 : answer.length)
  return {
    answer(stored) {
      const known = answers.get(stored)
      if (known !== undefined) return known
      const written = writeChecked(schema, JSON.parse(stored), `stored ${options.name}`)
      const answer = written === stored ? stored : written
      const cost = held(stored, answer)
      if (cost > options.maxChars) return answer
      while (chars + cost > options.maxChars) {
        const oldest = answers.entries().next().value
        if (oldest === undefined) break
        answers.delete(oldest[0])
        chars -= held(oldest[0], oldest[1])
      }
      answers.set(stored, answer)
      chars += cost
      return answer
    },
    size: () => chars,
  }
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
