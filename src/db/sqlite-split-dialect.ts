import type SqliteDatabase from 'better-sqlite3'
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  SqliteDialect,
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

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await asSplit(connection).holdWriter()
    await connection.executeQuery(CompiledQuery.raw('begin'))
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
    if (reader && !this.holding && SelectQueryNode.is(compiled.query)) return run<R>(reader, compiled)
    await this.holdWriter()
    return run<R>(this.driver.writer, compiled)
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error('only selects can be streamed on SQLite')
    await this.holdWriter()
    const statement = this.driver.writer.prepare(compiled.sql)
    for (const row of statement.iterate(compiled.parameters as unknown[])) yield { rows: [row as R] }
  }
}

function run<R>(source: StatementSource, compiled: CompiledQuery): Promise<QueryResult<R>> {
  const statement = source.prepare(compiled.sql)
  const parameters = compiled.parameters as unknown[]
  if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as R[] })
  const { changes, lastInsertRowid } = statement.run(parameters)
  return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] })
}

class Mutex {
  private held: Promise<void> | undefined
  private releaseHeld: (() => void) | undefined

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
