import type { CompiledQuery } from 'kysely'
import type { AppContext } from '../shared/app-context.ts'
import { selectUnitRecords, toUnitRecord, type UnitRecord } from './unit.store.ts'

type UnitRow = Parameters<typeof toUnitRecord>[0]

/**
 * `findUnitBySerial` for hot paths (the public warranty look-up): the query is compiled
 * once, and on SQLite prepared once, instead of built, compiled and prepared per call.
 * Nothing is cached but the statement: every call reads the row as it is now.
 */
export function prepareFindUnitBySerial(
  ctx: Pick<AppContext, 'db' | 'sqlite' | 'sqliteReader'>,
): (serial: string) => Promise<UnitRecord | undefined> {
  const compiled = selectUnitRecords(ctx.db).where('u.serial', '=', '').compile()
  if (compiled.parameters.length !== 1) throw new Error('the unit-by-serial query must take one parameter')
  const viaKysely = async (serial: string) => {
    const query: CompiledQuery<UnitRow> = { ...compiled, parameters: [serial] }
    const { rows } = await ctx.db.executeQuery(query)
    return rows[0]
  }
  // The read connection never holds a transaction; the writer may (see below).
  const sqlite = ctx.sqliteReader ?? ctx.sqlite
  if (sqlite === undefined) {
    return async (serial) => {
      const row = await viaKysely(serial.trim())
      return row ? toUnitRecord(row) : undefined
    }
  }
  // Rows as arrays: better-sqlite3 builds row objects property by property through V8's
  // API, which costs more than the lookup itself; a plain loop here is cheaper.
  const statement = sqlite.prepare<[string], unknown[]>(compiled.sql).raw(true)
  const toRow = rowBuilder(statement.columns().map((column) => column.name))
  return async (serial) => {
    // Kysely holds SQLite's one connection across awaits for a transaction; reading
    // beside it would see its uncommitted writes, so wait for it like any Kysely query.
    if (sqlite.inTransaction) {
      const row = await viaKysely(serial.trim())
      return row ? toUnitRecord(row) : undefined
    }
    const values = statement.get(serial.trim())
    return values ? toUnitRecord(toRow(values)) : undefined
  }
}

/**
 * Units in serial order after a given serial, a page at a time (filling the look-up cache).
 * Compiled once; on SQLite a plain select, which the read connection answers.
 */
export function prepareReadUnitPage(
  ctx: Pick<AppContext, 'db' | 'sqliteReader'>,
  size: number,
): (after: string) => Promise<UnitRecord[]> {
  const compiled = selectUnitRecords(ctx.db)
    .where('u.serial', '>', '')
    .orderBy('u.serial')
    .limit(size)
    .compile()
  if (compiled.parameters.length !== 2) throw new Error('the unit page query must take two parameters')
  const reader = ctx.sqliteReader
  if (reader) {
    // Rows as arrays, as for the single read above: a page builds a thousand row objects.
    const statement = reader.prepare<[string, number], unknown[]>(compiled.sql).raw(true)
    const toRow = rowBuilder(statement.columns().map((column) => column.name))
    return async (after) => statement.all(after, size).map((values) => toUnitRecord(toRow(values)))
  }
  return async (after) => {
    const query: CompiledQuery<UnitRow> = { ...compiled, parameters: [after, size] }
    const { rows } = await ctx.db.executeQuery(query)
    return rows.map(toUnitRecord)
  }
}

function rowBuilder(names: string[]): (values: unknown[]) => UnitRow {
  return (values) => {
    const row: Record<string, unknown> = {}
    for (let i = 0; i < names.length; i++) row[names[i] as string] = values[i]
    return row as UnitRow
  }
}
