import type SqliteDatabase from 'better-sqlite3'
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  SqliteDialect,
  type TransactionSettings,
} from 'kysely'

/** Where statements come from: a connection behind a cache of prepared statements. */
export interface StatementSource {
  prepare(sql: string): SqliteDatabase.Statement
}

/**
 * SQLite through Kysely with two connections to one WAL-mode file: the writer, held by one
 * transaction or write at a time as Kysely's own driver does, and a reader for queries
 * that are plain selects outside any transaction. A read therefore never queues behind a
 * transaction that holds the writer across awaits (a claim step, an import batch) and sees
 * the last committed state, as it would from another process. Streamed selects stay on
 * the writer: an open iterator makes its connection busy for every other statement.
 *
 * While nobody holds the writer, a plain select runs on the writer instead. SQLite empties
 * a connection's page cache whenever it sees that another connection wrote, so under a
 * steady stream of commits the reader reads every page afresh from the file, index roots
 * and all (a claim's row: 60 µs on a reader that sees one commit before each read, 37 µs
 * on the writer whose cache its own commits keep). The writer free means no transaction
 * is open on it, and a statement runs to its end before anything else may start one, so
 * such a read sees exactly the committed state the reader would.
 */
export class SplitSqliteDialect extends SqliteDialect {
  constructor(
    private readonly writer: StatementSource,
    /** Absent on a database opened without a read connection: every statement holds the writer. */
    private readonly reader: StatementSource | undefined,
    private readonly closeAll: () => void,
  ) {
    // The base class needs a database for its config; the driver below replaces its own.
    super({ database: { close: closeAll, prepare: (sql: string) => writer.prepare(sql) } })
  }

  override createDriver(): Driver {
    return new SplitSqliteDriver(this.writer, this.reader, this.closeAll)
  }
}

class SplitSqliteDriver implements Driver {
  readonly writerLock = new Mutex()

  constructor(
    readonly writer: StatementSource,
    readonly reader: StatementSource | undefined,
    private readonly closeAll: () => void,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // The writer is locked lazily, by the first statement that needs it.
    return new SplitConnection(this)
  }

  /**
   * A transaction takes the file's write lock when it begins (`begin immediate`), waiting
   * for it under the busy timeout. A deferred `begin` reads first and asks for the lock at
   * its first write; if another process committed in between, its snapshot is stale and
   * SQLite refuses the upgrade at once (SQLITE_BUSY_SNAPSHOT), busy timeout or not. Every
   * transaction here holds the writer anyway, so in this process nothing waits longer.
   * A transaction declared read only (a backup's snapshot) stays deferred and so never
   * keeps another process from writing.
   */
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await asSplit(connection).holdWriter()
    const begin = settings.accessMode === 'read only' ? 'begin' : 'begin immediate'
    await connection.executeQuery(CompiledQuery.raw(begin))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    asSplit(connection).release()
  }

  async destroy(): Promise<void> {
    this.closeAll()
  }
}

function asSplit(connection: DatabaseConnection): SplitConnection {
  if (!(connection instanceof SplitConnection)) throw new Error('not a connection of this driver')
  return connection
}

class SplitConnection implements DatabaseConnection {
  private holding = false

  constructor(private readonly driver: SplitSqliteDriver) {}

  async holdWriter(): Promise<void> {
    if (this.holding) return
    await this.driver.writerLock.lock()
    this.holding = true
  }

  release(): void {
    if (!this.holding) return
    this.holding = false
    this.driver.writerLock.unlock()
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { reader } = this.driver
    if (reader && !this.holding && SelectQueryNode.is(compiled.query))
      return run<R>(this.driver.writerLock.isHeld ? reader : this.driver.writer, compiled)
    await this.holdWriter()
    return run<R>(this.driver.writer, compiled)
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error('only selects can be streamed on SQLite')
    await this.holdWriter()
    const statement = this.driver.writer.prepare(compiled.sql)
    const shape = rowShapeOf(statement)
    for (const row of statement.iterate(compiled.parameters as unknown[]))
      yield { rows: [(shape === undefined ? row : rowOf(shape, row as unknown[])) as R] }
  }
}

function run<R>(source: StatementSource, compiled: CompiledQuery): Promise<QueryResult<R>> {
  const statement = source.prepare(compiled.sql)
  const parameters = compiled.parameters as unknown[]
  if (statement.reader) {
    const shape = rowShapeOf(statement)
    const rows = statement.all(parameters)
    if (shape === undefined) return Promise.resolve({ rows: rows as R[] })
    const objects = new Array<R>(rows.length)
    for (let i = 0; i < rows.length; i++) objects[i] = rowOf(shape, rows[i] as unknown[]) as R
    return Promise.resolve({ rows: objects })
  }
  const { changes, lastInsertRowid } = statement.run(parameters)
  return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] })
}

/**
 * Rows are read as arrays and made into objects here. better-sqlite3 makes each row object
 * by adding its columns one by one under computed names, and V8 turns an object that grows
 * that way past a dozen properties into a slow dictionary: a claim's row (forty columns)
 * then cost more to make and to read than the query took (a list page of 20 claims: 172 µs
 * made and read, against 126 µs this way). A copy of a template with every column already
 * in place keeps the row a fast object; the values are written into properties that exist.
 *
 * Only a statement that names its columns is read so: SQLite prepares a statement again
 * when the schema changes, and what `*` stands for may then come in another order (a
 * migration that rebuilds a table does that), while named columns keep their places. A `*`
 * anywhere in the SQL (also `count(*)` or a product) keeps better-sqlite3's own objects.
 */
interface RowShape {
  names: readonly string[]
  template: Record<string, unknown>
}

const rowShapes = new WeakMap<SqliteDatabase.Statement, RowShape | null>()

/** The statement's shape, the statement then switched to arrays; undefined where its columns may move. */
function rowShapeOf(statement: SqliteDatabase.Statement): RowShape | undefined {
  let shape = rowShapes.get(statement)
  if (shape === undefined) {
    shape = statement.source.includes('*') ? null : shapeOf(statement)
    rowShapes.set(statement, shape)
  }
  return shape ?? undefined
}

function shapeOf(statement: SqliteDatabase.Statement): RowShape {
  const names = statement.columns().map((column) => column.name)
  // Parsed from JSON, the template is a fast object with the columns in their order; a name
  // twice is one property, written last by the later column, as better-sqlite3 does.
  const template = JSON.parse(
    JSON.stringify(Object.fromEntries(names.map((name) => [name, null]))),
  ) as Record<string, unknown>
  statement.raw(true)
  return { names, template }
}

function rowOf(shape: RowShape, values: readonly unknown[]): Record<string, unknown> {
  const row = { ...shape.template }
  const { names } = shape
  for (let i = 0; i < names.length; i++) row[names[i]!] = values[i]
  return row
}

class Mutex {
  private held: Promise<void> | undefined
  private releaseHeld: (() => void) | undefined

  get isHeld(): boolean {
    return this.held !== undefined
  }

  async lock(): Promise<void> {
    while (this.held) await this.held
    this.held = new Promise((resolve) => {
      this.releaseHeld = resolve
    })
  }

  unlock(): void {
    const release = this.releaseHeld
    this.held = undefined
    this.releaseHeld = undefined
    release?.()
  }
}
