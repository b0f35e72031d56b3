import { availableParallelism } from 'node:os'
import type SqliteDatabase from 'better-sqlite3'
import { type PreparedRow, type RowReject, rejectWith } from './csv-import.ts'
import {
  UNIT_SALE_COLUMNS,
  type UnitSaleColumn,
  type UnitSaleValues,
  unitUpsertSql,
} from './unit-bulk.store.ts'

export interface UnitRow {
  values: UnitSaleValues
  /** Resolved to `owner_customer_id` in the write step, where the database is at hand. */
  customerEmail: string | null
}

type Reject = (row: PreparedRow<UnitRow>, why: RowReject) => void

export interface SqliteUnitWriterOptions {
  /**
   * Asked with each batch before it is written, in its transaction: a judge of each row's
   * owner (its customer resolved), whose refusal rejects the row.
   */
  judgeOwners?: (rows: PreparedRow<UnitRow>[]) => (row: PreparedRow<UnitRow>) => RowReject | undefined
}

export interface SqliteUnitWriter {
  /** Writes rows in the transaction `inTransaction` holds open, else in one of their own. */
  writeBatch(rows: PreparedRow<UnitRow>[], reject: Reject): number
  /**
   * Runs `body` (which calls `writeBatch`) in one transaction that bumps the look-up version
   * once; with `rebuildIndexes`, the secondary indexes of `units` are set aside and built
   * again, whole, before the commit. Inside a transaction already open on the connection it is
   * a savepoint, committed with that transaction.
   */
  inTransaction(body: () => void, options?: { rebuildIndexes?: boolean }): void
}

/**
 * Below this many rows a load keeps the indexes and writes batch by batch (still in the file's
 * one transaction): it is short either way, and the rebuild would read the whole table for
 * little gain.
 */
export const WHOLE_FILE_MIN_ROWS = 50_000

/**
 * Whether to load a file in one transaction with the indexes built after: when it brings at
 * least twice the rows the table holds. Sorting the whole table into fresh indexes then
 * costs less than inserting each row into indexes whose pages it finds scattered (measured
 * on 1M rows: 3.3 s of CPU to build all four, against about 9 s to maintain them row by row).
 */
export function shouldLoadInOneTransaction(estimatedRows: number, tableRows: number): boolean {
  return estimatedRows >= WHOLE_FILE_MIN_ROWS && estimatedRows >= 2 * tableRows
}

/**
 * Rows per upsert statement. One statement for many rows saves the per-statement work of
 * the binding and of SQLite (measured: a sixth to a fifth of the insert's CPU time at 40
 * rows); more rows save little more and make a longer statement to prepare.
 */
const ROWS_PER_STATEMENT = 40

/** Values every row of a load carries in a column (the file lacks it), by column. */
export type FixedUnitValues = Partial<Record<UnitSaleColumn, string | number | null>>

/** A value as an SQL literal. */
function literal(value: string | number | null): string {
  if (value === null) return 'null'
  if (typeof value === 'number') return String(value)
  return `'${value.replaceAll("'", "''")}'`
}

/**
 * The value tuple of one row: a parameter for each column the rows differ in, the literal
 * of each `fixed` one, and the batch's time stamp (`@now`) for `created_at` and `updated_at`.
 */
function valuesTuple(fixed: FixedUnitValues): string {
  const terms = UNIT_SALE_COLUMNS.map((column) => (column in fixed ? literal(fixed[column] ?? null) : '?'))
  return `(${[...terms, '@now', '@now'].join(',')})`
}

/**
 * Runs `work` with SQLite's sorter allowed a helper thread per core (`PRAGMA threads`),
 * then restores the connection's setting. Building an index sorts the whole table; the helpers
 * sort its runs side by side (measured on 1M rows, 2 cores: the four index builds took
 * 1.33–1.40 s against 1.54–1.63 s without, three pairs). Larger sort memory (`cache_size`)
 * was slower.
 */
function withSortHelpers<R>(sqlite: SqliteDatabase.Database, work: () => R): R {
  const before = sqlite.pragma('threads', { simple: true }) as number
  sqlite.pragma(`threads = ${availableParallelism()}`)
  try {
    return work()
  } finally {
    sqlite.pragma(`threads = ${before}`)
  }
}

/**
 * The SQLite bulk path of the unit import: prepared upserts of `ROWS_PER_STATEMENT` rows
 * (single-row ones for the rest of a batch) on the raw connection, a batch per transaction
 * (a savepoint inside the file's transaction when one is open).
 * better-sqlite3 is synchronous, so a batch costs no promise or query building per row;
 * SQLite itself skips unchanged rows (the upsert's `where`), and `changes` counts the rows
 * inserted or changed. Unlike PostgreSQL, SQLite lets one statement upsert a serial twice.
 * The `fixed` values and the time stamp are written into the statement once instead of
 * bound row by row (binding took about a fifth of the insert's CPU time with 20 values a row).
 */
export function createSqliteUnitWriter(
  sqlite: SqliteDatabase.Database,
  updatable: readonly UnitSaleColumn[],
  now: () => Date,
  fixed: FixedUnitValues = {},
  options: SqliteUnitWriterOptions = {},
): SqliteUnitWriter {
  const tuple = valuesTuple(fixed)
  const upsertOne = sqlite.prepare(unitUpsertSql([tuple], updatable))
  const upsertMany = sqlite.prepare(unitUpsertSql(new Array(ROWS_PER_STATEMENT).fill(tuple), updatable))
  const findCustomer = sqlite.prepare<[string], string>('select id from customers where email = ?').pluck()
  const customers = new Map<string, string | null>()
  const bound = UNIT_SALE_COLUMNS.filter((column) => !(column in fixed))
  // Parameter arrays refilled per statement: no allocation per run.
  const width = bound.length
  const many: Array<string | number | null> = new Array(width * ROWS_PER_STATEMENT).fill(null)
  const one: Array<string | number | null> = new Array(width).fill(null)
  const stamp = { now: '' }

  // SQLite has only row triggers: the look-up cache's version bump would run once per imported
  // row (a million updates of one row). Inside each batch's transaction the unit triggers are
  // set aside and the version bumped once; other connections never see them missing.
  const unitTriggers = sqlite
    .prepare<[], { name: string; sql: string }>(
      "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'units'",
    )
    .all()
  const bumpRegistryVersion = unitTriggers.length
    ? sqlite.prepare('update registry_version set version = version + 1 where id = 1')
    : undefined

  const dropAll = (objects: Array<{ name: string }>, kind: 'trigger' | 'index') => {
    for (const { name } of objects) sqlite.exec(`drop ${kind} "${name.replaceAll('"', '""')}"`)
  }

  // The running total while `inTransaction` holds its transaction open.
  let openWritten: number | undefined
  const transaction = sqlite.transaction((body: () => void, rebuildIndexes: boolean) => {
    // Only plain indexes: a unique one must keep refusing duplicates row by row.
    const indexes = rebuildIndexes
      ? sqlite
          .prepare<[], { name: string; sql: string }>(
            `select m.name, m.sql from sqlite_master m, pragma_index_list('units') l
             where m.type = 'index' and m.tbl_name = 'units' and m.name = l.name and l."unique" = 0 and m.sql is not null`,
          )
          .all()
      : []
    dropAll(unitTriggers, 'trigger')
    dropAll(indexes, 'index')
    openWritten = 0
    body()
    withSortHelpers(sqlite, () => {
      for (const index of indexes) sqlite.exec(index.sql)
    })
    for (const trigger of unitTriggers) sqlite.exec(trigger.sql)
    if (openWritten > 0) bumpRegistryVersion?.run()
  })

  const writeRows = (rows: PreparedRow<UnitRow>[], reject: Reject) => {
    stamp.now = now().toISOString()
    let written = 0
    let held = 0
    const judgeOwner = options.judgeOwners?.(rows)
    for (const row of rows) {
      const { values, customerEmail } = row.value
      if (customerEmail) {
        let id = customers.get(customerEmail)
        if (id === undefined) {
          id = findCustomer.get(customerEmail) ?? null
          customers.set(customerEmail, id)
        }
        if (!id) {
          reject(row, rejectWith('customer', { key: 'import.no-customer', params: { value: customerEmail } }))
          continue
        }
        values.owner_customer_id = id
      }
      const refusal = judgeOwner?.(row)
      if (refusal) {
        reject(row, refusal)
        continue
      }
      const offset = held * width
      for (let i = 0; i < width; i++) many[offset + i] = values[bound[i] as UnitSaleColumn]
      if (++held === ROWS_PER_STATEMENT) {
        written += upsertMany.run(many, stamp).changes
        held = 0
      }
    }
    for (let row = 0; row < held; row++) {
      for (let i = 0; i < width; i++) one[i] = many[row * width + i] as string | number | null
      written += upsertOne.run(one, stamp).changes
    }
    return written
  }

  // Foreign-key checks double the cost of an insert here (measured: 1M rows in 25 s with
  // them, 12 s without). Every reference a row carries was checked in this import: models
  // and organisations against the tables read at its start (the application never deletes
  // either), customers looked up inside this very transaction. The checks are off only
  // around a synchronous transaction, so no other statement on the connection runs without them.
  // Inside a transaction already open SQLite ignores the switch: the import then turns them off
  // before opening the file's (see `fileTransaction` in import-units.ts).
  const withoutForeignKeyChecks = <R>(work: () => R): R => {
    const enforced = sqlite.pragma('foreign_keys', { simple: true }) === 1
    if (enforced) sqlite.pragma('foreign_keys = OFF')
    try {
      return work()
    } finally {
      if (enforced) sqlite.pragma('foreign_keys = ON')
    }
  }

  const inTransaction: SqliteUnitWriter['inTransaction'] = (body, options = {}) => {
    try {
      withoutForeignKeyChecks(() => transaction(body, options.rebuildIndexes === true))
    } finally {
      openWritten = undefined
    }
  }
  const writeBatch: SqliteUnitWriter['writeBatch'] = (rows, reject) => {
    if (openWritten === undefined) {
      let written = 0
      inTransaction(() => {
        written = writeBatch(rows, reject)
      })
      return written
    }
    const written = writeRows(rows, reject)
    openWritten += written
    return written
  }
  return { writeBatch, inTransaction }
}
