import { z } from 'zod'

/**
 * The one shape of every list the API answers: `{ items, next }`. `next` is the cursor of the
 * following page (pass it back as the route's cursor parameter) or null on the last page.
 * Pure Zod: the routes attach these schemas and the web client derives its types from them.
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
