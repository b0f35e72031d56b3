import { createHash, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { finished } from 'node:stream/promises'
import { type Kysely, sql, type Transaction } from 'kysely'
import { AppError } from '../shared/errors.ts'
import { echoed, fileErrorParams } from '../shared/validate.ts'
import { syncFolder } from '../shared/whole-file.ts'
import type { Db, Engine } from './database.ts'

/**
 * Backups are JSON lines, the same on both engines: a header, then `{"table", "row"}` per
 * row, tables in foreign-key order (referenced tables first) so a restore can insert in
 * file order, then an end line `{"end": {"rows"}}`. Values are the plain text and numbers of
 * our column conventions, which is what makes a SQLite backup restorable into PostgreSQL and
 * back. The end line (version 2) tells a whole backup from one cut short at a line's end,
 * which reads line by line as well as a whole one; version 1 backups, which lack it, are
 * restored as they always were.
 */
export const BACKUP_FORMAT = 'aftercare-backup'
const BACKUP_VERSION = 2
const VERSIONS_READ = [1, 2]
// Bookkeeping of this database, not data: the migrations it has, and the registry version
// that its own triggers bump (restoring rows into the registry bumps it again).
const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock', 'registry_version'])
const PAGE_SIZE = 5000

// biome-ignore lint/suspicious/noExplicitAny: backups move rows of every table, whatever their type
type AnyDb = Kysely<any>
type Row = Record<string, unknown>

interface BackupHeader {
  format: typeof BACKUP_FORMAT
  version: number
  engine: Engine
  createdAt: string
  migrations: string[]
  tables: string[]
}

export interface BackupReport {
  tables: number
  rows: number
}

const cannotWrite = (file: string, error: unknown): AppError =>
  new AppError(
    'validation',
    {
      key: 'backup.cannot-write',
      params: { field: 'FILE', file: echoed(file), ...fileErrorParams(error) },
    },
    { field: 'FILE' },
  )

/**
 * Writes every table of the current schema, read in one transaction so the copy is a
 * consistent snapshot. The rows go to a hidden file beside FILE, flushed to disk, and only
 * a complete backup takes FILE's name: a failed or interrupted backup never leaves a
 * truncated file that looks like a backup, nor destroys the one it was replacing.
 */
export async function backupDatabase(db: Db, engine: Engine, file: string, now: Date): Promise<BackupReport> {
  if (fs.existsSync(file) && !fs.statSync(file).isFile())
    throw new AppError(
      'validation',
      { key: 'backup.not-a-file', params: { field: 'FILE', file: echoed(file) } },
      { field: 'FILE' },
    )
  const folder = path.dirname(file)
  removeStalePartials(folder)
  const partial = path.join(
    folder,
    `${PARTIAL_PREFIX}${HOST_TAG}-${process.pid}-${randomUUID()}${PARTIAL_SUFFIX}`,
  )
  let fd: number
  try {
    fd = fs.openSync(partial, 'wx')
  } catch (error) {
    throw cannotWrite(file, error)
  }
  try {
    const out = fs.createWriteStream(partial, { fd, autoClose: false })
    const report = await writeBackup(db, engine, out, now).catch((error: unknown) => {
      // The disk refused a write (full, gone): the file is at fault, not the database.
      throw error instanceof Error && 'syscall' in error ? cannotWrite(file, error) : error
    })
    fs.fsyncSync(fd)
    fs.closeSync(fd)
    fd = -1
    try {
      fs.renameSync(partial, file)
    } catch (error) {
      throw cannotWrite(file, error)
    }
    syncFolder(path.dirname(file))
    return report
  } finally {
    if (fd !== -1) fs.closeSync(fd)
    fs.rmSync(partial, { force: true })
  }
}

/**
 * A backup writes under this name until it is whole. The host and process in the name let a
 * later backup tell the file of one killed part-way (power cut, kill -9, out of memory), which
 * nothing else would ever remove, from the file of one still running beside it.
 */
const PARTIAL_PREFIX = '.aftercare-backup-'
const PARTIAL_SUFFIX = '.partial'
// A hash, not the name: a host name may hold dashes and dots, which would blur the fields.
const HOST_TAG = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8)
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const PARTIAL_NAME = new RegExp(`^\\.aftercare-backup-(?:([0-9a-f]{8})-(\\d+)-)?${UUID}\\.partial$`)
// Names from before the process was in the name say nothing of who writes them; a backup
// appends every few milliseconds, so one untouched this long has stopped.
const UNNAMED_PARTIAL_STALE_MS = 60 * 60 * 1000

/** Whether a file name is one a backup writes to before it is whole. */
export function isPartialBackupName(name: string): boolean {
  return PARTIAL_NAME.test(name)
}

/**
 * Removes what backups killed in this folder left: files under a partial name of this host
 * whose process is gone. Another host's files are left alone, as its processes cannot be seen.
 */
function removeStalePartials(folder: string): void {
  let names: string[]
  try {
    names = fs.readdirSync(folder)
  } catch {
    // A folder that cannot be listed is reported by the write that follows, naming FILE.
    return
  }
  for (const name of names) {
    const match = PARTIAL_NAME.exec(name)
    if (!match) continue
    const [, host, pid] = match
    const full = path.join(folder, name)
    try {
      const stale =
        host === undefined
          ? Date.now() - fs.statSync(full).mtimeMs > UNNAMED_PARTIAL_STALE_MS
          : host === HOST_TAG && !processIsRunning(Number(pid))
      if (stale) fs.rmSync(full, { force: true })
    } catch {
      // Removed by another backup meanwhile, or not ours to remove: neither stops this backup.
    }
  }
}

function processIsRunning(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

async function writeBackup(db: Db, engine: Engine, out: fs.WriteStream, now: Date): Promise<BackupReport> {
  out.setDefaultEncoding('utf8')
  // A failed write (a full disk) is reported by `finished` below, not as an unhandled event.
  out.on('error', () => {})
  const write = async (line: unknown) => {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain')
  }
  let rows = 0
  let tables: string[] = []
  try {
    // Read only: on SQLite a snapshot that takes no write lock lets other processes go on writing.
    let transaction = (db as AnyDb).transaction().setAccessMode('read only')
    if (engine === 'postgres') transaction = transaction.setIsolationLevel('repeatable read')
    await transaction.execute(async (trx) => {
      tables = await listTablesInDependencyOrder(trx, engine)
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        engine,
        createdAt: now.toISOString(),
        migrations: await listAppliedMigrations(trx),
        tables,
      }
      await write(header)
      for (const table of tables) {
        const orderColumns = await listColumns(trx, engine, table)
        for (let offset = 0; ; offset += PAGE_SIZE) {
          let query = trx.selectFrom(table).selectAll()
          for (const column of orderColumns) query = query.orderBy(sql.ref(column))
          const page = (await query.limit(PAGE_SIZE).offset(offset).execute()) as Row[]
          for (const row of page) await write({ table, row })
          rows += page.length
          if (page.length < PAGE_SIZE) break
        }
      }
      await write({ end: { rows } })
    })
  } finally {
    out.end()
    await finished(out)
  }
  return { tables: tables.length, rows }
}

/**
 * Loads a backup into a migrated database in one transaction: all of it or nothing.
 * Refuses a database that holds rows unless `force`, which first empties every table.
 */
export async function restoreDatabase(
  db: Db,
  engine: Engine,
  file: string,
  options: { force?: boolean } = {},
): Promise<BackupReport> {
  if (!fs.existsSync(file))
    throw new AppError(
      'validation',
      { key: 'backup.no-file', params: { field: 'FILE', file: echoed(file) } },
      { field: 'FILE' },
    )
  // A folder opens without complaint and fails only when read, as an unexpected error.
  if (!fs.statSync(file).isFile())
    throw new AppError(
      'validation',
      { key: 'backup.not-a-file', params: { field: 'FILE', file: echoed(file) } },
      { field: 'FILE' },
    )
  // Its name says the backup writing it never finished, whatever the lines that made it to disk.
  if (isPartialBackupName(path.basename(file)))
    throw new AppError(
      'validation',
      { key: 'backup.unfinished', params: { field: 'FILE', file: echoed(file) } },
      { field: 'FILE' },
    )
  const lines = readline.createInterface({
    input: fs.createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  })
  const iterator = lines[Symbol.asyncIterator]()
  const first = await iterator.next()
  const header = parseHeader(first.done ? '' : first.value)
  let rows = 0
  try {
    await (db as AnyDb).transaction().execute(async (trx) => {
      const targetTables = await listTablesInDependencyOrder(trx, engine)
      const applied = new Set(await listAppliedMigrations(trx))
      const missing = header.migrations.filter((m) => !applied.has(m))
      if (missing.length > 0) {
        throw new AppError('conflict', {
          key: 'backup.missing-migrations',
          params: { migrations: missing.join(', '), command: 'migrate' },
        })
      }
      const unknown = header.tables.filter((t) => !targetTables.includes(t))
      if (unknown.length > 0)
        throw new AppError('conflict', {
          key: 'backup.unknown-tables',
          params: { tables: unknown.join(', ') },
        })
      const occupied = await listNonEmptyTables(trx, targetTables)
      if (occupied.length > 0 && !options.force) {
        throw new AppError('conflict', {
          key: 'backup.not-empty',
          params: { tables: occupied.join(', '), flag: '--force' },
        })
      }
      if (engine === 'sqlite') await sql`pragma defer_foreign_keys = on`.execute(trx)
      for (const table of [...targetTables].reverse()) await trx.deleteFrom(table).execute()

      let batch: Row[] = []
      let batchTable = ''
      let line = 1
      let end: number | undefined
      const flush = async () => {
        if (batch.length === 0) return
        await trx.insertInto(batchTable).values(batch).execute()
        rows += batch.length
        batch = []
      }
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        line++
        if (next.value.trim() === '') continue
        if (end !== undefined) throw damaged(line, 'backup.line-after-end')
        const entry = parseLine(next.value, line)
        if ('end' in entry) {
          end = entry.end
          continue
        }
        const { table, row } = entry
        if (!header.tables.includes(table))
          throw new AppError('validation', {
            key: 'backup.unexpected-table',
            params: { field: 'FILE', table },
          })
        // Both engines cap bound parameters per statement; stay well under SQLite's 32766.
        const batchLimit = Math.max(
          1,
          Math.min(500, Math.floor(30000 / Math.max(1, Object.keys(row).length))),
        )
        if (table !== batchTable || batch.length >= batchLimit) await flush()
        batchTable = table
        batch.push(row)
      }
      await flush()
      if (header.version >= 2 && end !== rows)
        throw new AppError(
          'validation',
          end === undefined
            ? { key: 'backup.cut-short', params: { field: 'FILE', rows } }
            : { key: 'backup.row-count', params: { field: 'FILE', expected: end, rows } },
          { field: 'FILE' },
        )
    })
  } finally {
    lines.close()
  }
  return { tables: header.tables.length, rows }
}

const damaged = (
  line: number,
  key: 'backup.line-not-json' | 'backup.line-not-a-row' | 'backup.line-after-end',
): AppError =>
  new AppError('validation', { key, params: { field: 'FILE', line } }, { field: 'FILE', details: { line } })

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** One line after the header: a row of a table, or the end line with the number of rows. */
function parseLine(text: string, line: number): { table: string; row: Row } | { end: number } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // A line cut in the middle (a copy stopped part-way) or edited by hand.
    throw damaged(line, 'backup.line-not-json')
  }
  if (isObject(value) && isObject(value.end) && Number.isSafeInteger(value.end.rows))
    return { end: value.end.rows as number }
  if (isObject(value) && typeof value.table === 'string' && isObject(value.row))
    return { table: value.table, row: value.row }
  throw damaged(line, 'backup.line-not-a-row')
}

function parseHeader(line: string): BackupHeader {
  let header: Partial<BackupHeader>
  try {
    header = JSON.parse(line) as Partial<BackupHeader>
  } catch {
    throw new AppError(
      'validation',
      { key: 'backup.no-header', params: { field: 'FILE' } },
      {
        field: 'FILE',
      },
    )
  }
  if (
    header.format !== BACKUP_FORMAT ||
    !VERSIONS_READ.includes(header.version as number) ||
    !header.tables ||
    !header.migrations
  ) {
    throw new AppError(
      'validation',
      { key: 'backup.wrong-version', params: { field: 'FILE', version: BACKUP_VERSION } },
      {
        field: 'FILE',
      },
    )
  }
  return header as BackupHeader
}

async function listAppliedMigrations(trx: Transaction<unknown>): Promise<string[]> {
  const rows = await (trx as AnyDb).selectFrom('kysely_migration').select('name').orderBy('name').execute()
  return rows.map((r: { name: string }) => r.name)
}

async function listNonEmptyTables(trx: Transaction<unknown>, tables: string[]): Promise<string[]> {
  const occupied: string[] = []
  for (const table of tables) {
    const row = await (trx as AnyDb).selectFrom(table).select(sql`1`.as('one')).limit(1).executeTakeFirst()
    if (row) occupied.push(table)
  }
  return occupied
}

async function listColumns(trx: Transaction<unknown>, engine: Engine, table: string): Promise<string[]> {
  if (engine === 'sqlite') {
    const { rows } = await sql<{
      name: string
      pk: number
    }>`select name, pk from pragma_table_info(${table})`.execute(trx)
    const keys = rows.filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk)
    return (keys.length > 0 ? keys : rows).map((r) => r.name)
  }
  const { rows } = await sql<{ column_name: string }>`
    select a.attname as column_name
    from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident(${table}))::regclass and i.indisprimary
    order by array_position(i.indkey, a.attnum)`.execute(trx)
  if (rows.length > 0) return rows.map((r) => r.column_name)
  const all = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(trx)
  return all.rows.map((r) => r.column_name)
}

/** Tables of the current schema, each after the tables it references. */
async function listTablesInDependencyOrder(trx: Transaction<unknown>, engine: Engine): Promise<string[]> {
  const references = new Map<string, Set<string>>()
  if (engine === 'sqlite') {
    const { rows } = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
      trx,
    )
    for (const { name } of rows) {
      const fks = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(
        trx,
      )
      references.set(name, new Set(fks.rows.map((r) => r.table)))
    }
  } else {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(trx)
    for (const { table_name } of rows) references.set(table_name, new Set())
    const fks = await sql<{ child: string; parent: string }>`
      select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where c.contype = 'f' and n.nspname = current_schema()`.execute(trx)
    for (const { child, parent } of fks.rows) references.get(unquote(child))?.add(unquote(parent))
  }
  for (const table of MIGRATION_TABLES) references.delete(table)
  const ordered: string[] = []
  const visiting = new Set<string>()
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return
    visiting.add(table)
    for (const parent of references.get(table) ?? [])
      if (parent !== table && references.has(parent)) visit(parent)
    visiting.delete(table)
    ordered.push(table)
  }
  for (const table of [...references.keys()].sort()) visit(table)
  return ordered
}

// regclass::text qualifies with the schema only when it is not on the search path.
const unquote = (name: string): string => name.split('.').pop()?.replaceAll('"', '') ?? name
