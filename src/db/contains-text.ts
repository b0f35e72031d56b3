import { type RawBuilder, sql } from 'kysely'

/**
 * A search that matches `text` anywhere in a column, ignoring case, where `%`, `_` and `\`
 * match only themselves. The escape character is named in the query: PostgreSQL takes `\`
 * by default, SQLite has none, so without it a search for `ann_lee` found nothing there.
 */
export function lowerLike(column: string, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`
}

/** `text` lower-cased with LIKE's wildcards escaped, to build a pattern for `lowerLike`. */
export const likeLiteral = (text: string): string => text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)
