import type SqliteDatabase from 'better-sqlite3'
import { type PreparedRow, type RowReject, rejectWith } from './csv-import.ts'
import {
  buildUnitUpsertSql,
  UNIT_SALE_COLUMNS,
  type UnitSaleColumn,
  type UnitSaleValues,
} from './unit-bulk.store.ts'

export interface UnitRow {
  values: UnitSaleValues
  /** Resolved to `owner_customer_id` in the write step, where the database is at hand. */
  customerEmail: string | null
}

/**
 * The SQLite bulk path of the unit import: one prepared single-row upsert run per row on
 * the raw connection, a batch per transaction. better-sqlite3 is synchronous, so a batch
 * costs no promise or query building per row; SQLite itself skips unchanged rows (the
 * upsert's `where`), and `changes` tells a written row from an unchanged one.
 */
export function createSqliteUnitWriter(
  sqlite: SqliteDatabase.Database,
  updatable: readonly UnitSaleColumn[],
  now: () => Date,
): (rows: PreparedRow<UnitRow>[], reject: (row: PreparedRow<UnitRow>, why: RowReject) => void) => number {
  const upsert = sqlite.prepare(buildUnitUpsertSql('sqlite', 1, updatable))
  const findCustomer = sqlite.prepare<[string], string>('select id from customers where email = ?').pluck()
  const customers = new Map<string, string | null>()
  // One parameter array, refilled per row: no allocation per statement run.
  const width = UNIT_SALE_COLUMNS.length
  const parameters: Array<string | number | null> = new Array(width + 2).fill(null)

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

  const writeInTransaction = sqlite.transaction((rows: PreparedRow<UnitRow>[], reject) => {
    for (const trigger of unitTriggers) sqlite.exec(`drop trigger "${trigger.name.replaceAll('"', '""')}"`)
    const written = writeRows(rows, reject)
    for (const trigger of unitTriggers) sqlite.exec(trigger.sql)
    if (written > 0) bumpRegistryVersion?.run()
    return written
  })

  const writeRows = (
    rows: PreparedRow<UnitRow>[],
    reject: (row: PreparedRow<UnitRow>, why: RowReject) => void,
  ) => {
    const stamp = now().toISOString()
    parameters[width] = stamp
    parameters[width + 1] = stamp
    let written = 0
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
      for (let i = 0; i < width; i++) parameters[i] = values[UNIT_SALE_COLUMNS[i] as UnitSaleColumn]
      written += upsert.run(parameters).changes
    }
    return written
  }

  return (rows, reject) => {
    // Foreign-key checks double the cost of an insert here (measured: 1M rows in 25 s with
    // them, 12 s without). Every reference a row carries was checked in this import: models
    // and organisations against the tables read at its start (the application never deletes
    // either), customers looked up inside this very transaction. The checks are off only
    // around this synchronous batch, so no other statement on the connection runs without them.
    const enforced = sqlite.pragma('foreign_keys', { simple: true }) === 1
    if (enforced) sqlite.pragma('foreign_keys = OFF')
    try {
      return writeInTransaction(rows, reject)
    } finally {
      if (enforced) sqlite.pragma('foreign_keys = ON')
    }
  }
}
