import { CompiledQuery } from 'kysely'
import type { Db, Engine } from '../db/database.ts'

/** Columns of `units` a sale sets, in the order `toUnitValues` lists them. */
export const UNIT_SALE_COLUMNS = [
  'serial',
  'model_id',
  'batch',
  'channel',
  'dealer_org_id',
  'seller_org_id',
  'shipped_by',
  'purchased_on',
  'shipped_on',
  'delivered_on',
  'activated_on',
  'owner_customer_id',
  'second_hand',
  'proof_of_purchase',
  'warranty_card',
  'replaced_by_serial',
  'policy_id',
  'policy_version',
] as const

export type UnitSaleColumn = (typeof UNIT_SALE_COLUMNS)[number]
export type UnitSaleValues = Record<UnitSaleColumn, string | number | null>

/**
 * Builds `insert … on conflict (serial) do update … where (something changed)` for `rows`
 * rows. Only the `updatable` columns are overwritten, so a file that lacks a column leaves
 * what is stored there alone; the `where` keeps unchanged rows (and their `updated_at`)
 * untouched, which is how a re-import counts them as unchanged.
 */
export function buildUnitUpsertSql(
  engine: Engine,
  rows: number,
  updatable: readonly UnitSaleColumn[],
): string {
  const width = UNIT_SALE_COLUMNS.length + 2
  const tuples: string[] = []
  for (let row = 0; row < rows; row++) {
    const marks: string[] = []
    for (let col = 0; col < width; col++)
      marks.push(engine === 'postgres' ? `$${row * width + col + 1}` : '?')
    tuples.push(`(${marks.join(',')})`)
  }
  return unitUpsertSql(tuples, updatable)
}

/**
 * The same statement around value tuples written by the caller: one term per column of
 * `UNIT_SALE_COLUMNS`, then `created_at` and `updated_at`.
 */
export function unitUpsertSql(tuples: readonly string[], updatable: readonly UnitSaleColumn[]): string {
  const columns = [...UNIT_SALE_COLUMNS, 'created_at', 'updated_at']
  const updates = updatable.filter((column) => column !== 'serial')
  const set = [...updates.map((c) => `${c} = excluded.${c}`), 'updated_at = excluded.updated_at'].join(', ')
  const changed = updates.map((c) => `units.${c} is distinct from excluded.${c}`).join(' or ')
  return (
    `insert into units (${columns.join(', ')}) values ${tuples.join(',')} ` +
    `on conflict (serial) do update set ${set}${changed ? ` where ${changed}` : ' where 1 = 0'}`
  )
}

/**
 * `insert … on conflict (serial) do nothing returning serial`: writes only the serials not on
 * file. A serial another transaction is inserting meanwhile waits for it (PostgreSQL) and,
 * committed, is left as that transaction wrote it and not returned.
 */
export function buildUnitInsertNewSql(engine: Engine, rows: number): string {
  const insert = buildUnitUpsertSql(engine, rows, [])
  return `${insert.slice(0, insert.indexOf(' on conflict'))} on conflict (serial) do nothing returning serial`
}

export interface UnitUpserter {
  /** Writes the rows; returns how many were inserted or changed. */
  upsert(db: Db, rows: UnitSaleValues[], now: string): Promise<number>
  /** Inserts the rows whose serial is not on file; returns the serials it inserted. */
  insertNew(db: Db, rows: UnitSaleValues[], now: string): Promise<Set<string>>
}

/** An upserter that caches its statement text per batch size. */
export function createUnitUpserter(engine: Engine, updatable: readonly UnitSaleColumn[]): UnitUpserter {
  const upserts = new Map<number, string>()
  const inserts = new Map<number, string>()
  const statementFor = (
    rows: UnitSaleValues[],
    now: string,
    cache: Map<number, string>,
    build: () => string,
  ) => {
    let text = cache.get(rows.length)
    if (text === undefined) {
      text = build()
      cache.set(rows.length, text)
    }
    const parameters: unknown[] = []
    for (const row of rows) {
      for (const column of UNIT_SALE_COLUMNS) parameters.push(row[column])
      parameters.push(now, now)
    }
    return CompiledQuery.raw(text, parameters)
  }
  return {
    async upsert(db, rows, now) {
      if (rows.length === 0) return 0
      const query = statementFor(rows, now, upserts, () => buildUnitUpsertSql(engine, rows.length, updatable))
      const result = await db.executeQuery(query)
      return Number(result.numAffectedRows ?? 0n)
    },
    async insertNew(db, rows, now) {
      if (rows.length === 0) return new Set()
      const query = statementFor(rows, now, inserts, () => buildUnitInsertNewSql(engine, rows.length))
      const result = await db.executeQuery<{ serial: string }>(query as CompiledQuery<{ serial: string }>)
      return new Set(result.rows.map((row) => row.serial))
    },
  }
}
