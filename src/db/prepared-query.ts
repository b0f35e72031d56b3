import type { Compilable, CompiledQuery, DialectAdapter } from 'kysely'
import type { Db } from './database.ts'

/**
 * A query whose shape never changes, built and compiled once per database dialect and then
 * run with new values. Kysely builds every query as a tree of frozen nodes and compiles it
 * to SQL on each call; for the statements nearly every request runs, that cost more than
 * the database took to answer (a session and its user: 13 µs built and compiled, 6 µs run
 * on SQLite).
 *
 * `build` is called once per dialect with stand-ins for its arguments, and must use each as
 * a value the SQL takes as a parameter: not as a name, a list, a piece of a string, or to
 * choose what it builds (a query whose shape depends on its arguments keeps one prepared
 * query per shape, as `listClaimSummaries` does). Preparing checks that every stand-in
 * became a parameter, so a misuse fails the first time the query runs, not silently.
 */
export interface PreparedQuery<A extends readonly unknown[], R> {
  execute(db: Db, ...args: A): Promise<R[]>
  executeTakeFirst(db: Db, ...args: A): Promise<R | undefined>
  /** For an insert, update or delete: the rows it changed. */
  executeCountingRows(db: Db, ...args: A): Promise<number>
}

export function preparedQuery<A extends readonly unknown[], R>(
  build: (db: Db, ...args: A) => Compilable<R>,
): PreparedQuery<A, R> {
  // One compiled form per dialect: a transaction's executor shares its database's adapter.
  const byAdapter = new WeakMap<DialectAdapter, Template<R>>()
  const compiledFor = (db: Db, args: A): CompiledQuery<R> => {
    const adapter = db.getExecutor().adapter
    let template = byAdapter.get(adapter)
    if (template === undefined) {
      template = prepare(db, build, args.length)
      byAdapter.set(adapter, template)
    }
    return fill(template, args)
  }
  return {
    async execute(db, ...args) {
      return (await db.executeQuery(compiledFor(db, args))).rows
    },
    async executeTakeFirst(db, ...args) {
      return (await db.executeQuery(compiledFor(db, args))).rows[0]
    },
    async executeCountingRows(db, ...args) {
      return Number((await db.executeQuery(compiledFor(db, args))).numAffectedRows ?? 0)
    },
  }
}

/**
 * Prepared queries of one family whose shape a caller's data picks (the columns an update
 * sets, the rows an insert writes), one per shape, made the first time that shape is asked
 * for. The shapes in use are few; past `capacity` the oldest made is dropped, so a caller
 * that made a new shape each time would still hold a bounded number.
 */
export function preparedQueriesByShape<A extends readonly unknown[], R>(
  buildFor: (shape: string) => (db: Db, ...args: A) => Compilable<R>,
  capacity = 200,
): (shape: string) => PreparedQuery<A, R> {
  const byShape = new Map<string, PreparedQuery<A, R>>()
  return (shape) => {
    let prepared = byShape.get(shape)
    if (prepared === undefined) {
      prepared = preparedQuery(buildFor(shape))
      byShape.set(shape, prepared)
      if (byShape.size > capacity) byShape.delete(byShape.keys().next().value as string)
    }
    return prepared
  }
}

interface Template<R> {
  compiled: CompiledQuery<R>
  /** Per parameter of the SQL, the argument it takes, or -1 for a value fixed by the query. */
  argumentAt: Int32Array
}

const STAND_IN = '\u0000prepared-query-argument-'

function prepare<A extends readonly unknown[], R>(
  db: Db,
  build: (db: Db, ...args: A) => Compilable<R>,
  count: number,
): Template<R> {
  const standIns = Array.from({ length: count }, (_, i) => `${STAND_IN}${i}\u0000`)
  const compiled = build(db, ...(standIns as unknown as A)).compile()
  const argumentAt = new Int32Array(compiled.parameters.length).fill(-1)
  const used = new Set<number>()
  compiled.parameters.forEach((value, i) => {
    if (typeof value !== 'string' || !value.includes(STAND_IN)) return
    const at = standIns.indexOf(value)
    if (at < 0)
      throw new Error(`prepared query: an argument was used inside a value, not as one: ${compiled.sql}`)
    argumentAt[i] = at
    used.add(at)
  })
  if (used.size !== count)
    throw new Error(
      `prepared query: ${count - used.size} argument(s) did not become parameters: ${compiled.sql}`,
    )
  return { compiled, argumentAt }
}

function fill<R>(template: Template<R>, args: readonly unknown[]): CompiledQuery<R> {
  const { compiled, argumentAt } = template
  const parameters = new Array<unknown>(argumentAt.length)
  for (let i = 0; i < argumentAt.length; i++) {
    const at = argumentAt[i]!
    parameters[i] = at < 0 ? compiled.parameters[i] : args[at]
  }
  return { ...compiled, parameters }
}
