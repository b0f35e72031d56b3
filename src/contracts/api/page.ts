import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'

/**
 * The one shape of every list the API answers: `{ items, next }`. `next` is the cursor of the
 * following page (pass it back as the route's cursor parameter) or null on the last page.
 * Pure (Zod and the one error type): the routes attach these schemas and read their cursors
 * here, and the web client derives its types from them.
 */
export const PAGE_LIMIT_MAX = 200

/** The `limit` query every list route accepts: 1 to 200 items per page. */
export const pageLimit = (fallback = 50) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_LIMIT_MAX)
    .default(Math.min(fallback, PAGE_LIMIT_MAX))
    .describe(`Items per page, 1 to ${PAGE_LIMIT_MAX}`)

/**
 * The `cursor` query parameter of every paged list: the `next` of the previous page. Some
 * lists took it under another name first (`after`, `before`) and still do.
 */
export const pageCursor = () => z.string().max(300).optional().describe('The `next` of the previous page')

/** The description of a list's earlier name for `cursor`. */
export const EARLIER_CURSOR = 'The earlier name of `cursor`'

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    next: z.string().nullable().describe('Cursor of the next page; null on the last page'),
  })

export interface Page<T> {
  items: T[]
  next: string | null
}

/** The cursor after a page of `limit` rows: the last row's key when the page is full, else null. */
export function nextCursor<Row>(
  rows: readonly Row[],
  limit: number,
  keyOf: (row: Row) => string,
): string | null {
  const last = rows.at(-1)
  return rows.length >= limit && last !== undefined ? keyOf(last) : null
}

/** Where a list ordered by an instant, then by id, stands: the last row's instant and id. */
export interface CursorKey {
  at: string
  id: string
}

/**
 * The cursor of a list ordered by an instant, then by id: `at|id`, the `keyOf` to give
 * `nextCursor`. An instant holds no `|`, so the id may hold anything, `|` too.
 */
export const joinCursor = (at: string, id: string): string => `${at}|${id}`

/**
 * The instant and id of a cursor `joinCursor` wrote. Anything else (no `|`, no id, no instant
 * before the `|`) is refused with a 400 naming `field`, the parameter it came in: read
 * loosely, a garbled cursor would start the list at some other place, or at its top again,
 * and the client would take that page for the next one.
 */
export function splitCursor(cursor: string, field = 'cursor'): CursorKey {
  const split = cursor.indexOf('|')
  const at = cursor.slice(0, Math.max(split, 0))
  const id = split < 0 ? '' : cursor.slice(split + 1)
  if (!isInstant(at) || id === '') throw badCursor(field)
  return { at, id }
}

/**
 * The cursor a list request gave, split (by `splitCursor` unless told otherwise): under
 * `cursor`, else under the earlier name the list took it by (`{ cursor, after }`, in that
 * order), a refusal naming the one it came under. Undefined when it gave none.
 */
export function splitGivenCursor(given: Record<string, string | undefined>): CursorKey | undefined
export function splitGivenCursor<Key>(
  given: Record<string, string | undefined>,
  split: (cursor: string, field: string) => Key,
): Key | undefined
export function splitGivenCursor(
  given: Record<string, string | undefined>,
  split: (cursor: string, field: string) => unknown = splitCursor,
): unknown {
  for (const [field, cursor] of Object.entries(given)) if (cursor !== undefined) return split(cursor, field)
  return undefined
}

/**
 * A bare instant where a list's earlier cursor took one (the claim list's `before` did,
 * before its `next` carried the id too), refused like a cursor when it is none.
 */
export function cursorInstant(text: string, field: string): string {
  if (!isInstant(text)) throw badCursor(field)
  return text
}

/**
 * The cursor of a list ordered by more than one column, each part URI-encoded and `|`-joined:
 * an instant first (the SLA queue's `due_at|claim_id|kind`, read by `splitEncodedCursor`) or
 * plain keys (a dealer's pending sales, read by `splitKeyCursor`).
 */
export const joinEncodedCursor = (parts: readonly [first: string, ...rest: string[]]): string =>
  parts.map(encodeURIComponent).join('|')

/**
 * The parts of a cursor `joinEncodedCursor` wrote, `count` of them, the first an instant and
 * none empty; anything else is refused as `splitCursor` refuses it (a stray `%` too, which
 * no encoding writes).
 */
export function splitEncodedCursor(cursor: string, count: number, field = 'cursor'): string[] {
  const parts = splitKeyCursor(cursor, count, field)
  if (!isInstant(parts[0] ?? '')) throw badCursor(field)
  return parts
}

/**
 * The parts of a cursor of a list ordered by plain keys, no instant among them (a dealer's
 * pending sales by dealer and serial), written by `joinEncodedCursor`, `count` of them and
 * none empty; anything else is refused as `splitCursor` refuses it (a stray `%` too, which no
 * encoding writes).
 */
export function splitKeyCursor(cursor: string, count: number, field = 'cursor'): string[] {
  const parts = cursor.split('|').map(decodeSafely)
  if (parts.length !== count || parts.some((part) => part === null || part === '')) throw badCursor(field)
  return parts as string[]
}

function decodeSafely(part: string): string | null {
  try {
    return decodeURIComponent(part)
  } catch {
    return null
  }
}

/**
 * An instant as the lists store and compare them, as text: an ISO 8601 date, with a time
 * and zone or without. Looser forms (`Jan 1`, `1`) parse as dates too, but compare with the
 * stored text as nothing a client meant.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/
const isInstant = (text: string): boolean => INSTANT.test(text) && !Number.isNaN(Date.parse(text))

const badCursor = (field: string) =>
  new AppError('validation', { key: 'page.bad-cursor', params: { field } }, { field })
