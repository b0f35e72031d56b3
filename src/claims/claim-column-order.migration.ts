import { type Kysely, type Migration, SqliteAdapter, sql } from 'kysely'

/**
 * The claim's documents, largest last. SQLite stores a row's columns in table order and
 * spills what does not fit on the row's page into a chain of overflow pages, read one by
 * one to reach any column stored after the spill. The two decisions (7 KB each, every
 * clause's text and translation) sat in the middle of the row, and every column added
 * since (list summaries, assignee, history head) after them, so a claim list, which reads
 * the decisions' short summaries and not the decisions, still walked their overflow chains
 * for each row: a page of 20 took 595 µs against 375 µs with the documents last (10,000
 * claims, a commit before each read as under load).
 *
 * SQLite cannot move a column, so the table is rebuilt by the documented procedure: foreign
 * keys off while the tables that reference claims point at the rebuilt one, in one
 * transaction, checked with `foreign_key_check` before it commits; a failure leaves the
 * table as it was. PostgreSQL keeps large values out of the row (TOAST), so there the order
 * does not matter and nothing is done.
 */
export const claimColumnOrderMigration: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return
    await sql`pragma foreign_keys = off`.execute(db)
    try {
      await db.transaction().execute(async (trx) => rebuildWithDocumentsLast(trx))
    } finally {
      await sql`pragma foreign_keys = on`.execute(db)
    }
  },
  // The order is physical only; the table's columns and meaning are the same either way.
  async down() {},
}

/** Columns holding JSON documents, in the order they go at the end of the row: the largest last. */
export const CLAIM_DOCUMENT_COLUMNS = [
  'problem_description',
  'rma_json',
  'quote_json',
  'inspection',
  'case_json',
  'provisional_decision',
  'final_decision',
] as const

interface ColumnInfo {
  name: string
  type: string
  notnull: number
  dflt_value: string | null
  pk: number
}

interface IndexInfo {
  name: string
  origin: string
}

interface ForeignKeyInfo {
  id: number
  seq: number
  table: string
  from: string
  to: string | null
  on_update: string
  on_delete: string
}

const columnList = (names: readonly string[]) => sql.join(names.map((name) => sql.id(name)))

const brokenReferences = async (db: Kysely<unknown>): Promise<number> =>
  (await sql`pragma foreign_key_check`.execute(db)).rows.length

async function rebuildWithDocumentsLast(db: Kysely<unknown>): Promise<void> {
  // The rebuilt table is declared from what `table_info` and the index and key lists say; a
  // table declared with more than they describe is left as it is (the order is only speed).
  const declared = (
    await sql<{
      sql: string
    }>`select sql from sqlite_master where type = 'table' and name = 'claims'`.execute(db)
  ).rows[0]?.sql
  if (declared === undefined || /\b(check|collate|generated|autoincrement)\b/i.test(declared)) return
  const brokenBefore = await brokenReferences(db)
  const columns = (await sql<ColumnInfo>`pragma table_info(claims)`.execute(db)).rows
  const documents = new Set<string>(CLAIM_DOCUMENT_COLUMNS)
  const ordered = [
    ...columns.filter((column) => !documents.has(column.name)),
    ...CLAIM_DOCUMENT_COLUMNS.flatMap((name) => columns.filter((column) => column.name === name)),
  ]
  const keyColumns = columns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk)
  // Types and defaults are SQL as SQLite keeps it in the schema; names go through `sql.id`.
  const definitions = ordered.map(
    (column) =>
      sql`${sql.id(column.name)} ${sql.raw(
        [
          column.type,
          keyColumns.length === 1 && column.pk > 0 ? 'primary key' : '',
          column.notnull ? 'not null' : '',
          column.dflt_value === null ? '' : `default ${column.dflt_value}`,
        ]
          .filter((part) => part !== '')
          .join(' '),
      )}`,
  )
  if (keyColumns.length > 1) definitions.push(sql`primary key (${columnList(keyColumns.map((c) => c.name))})`)
  const indexes = (await sql<IndexInfo>`pragma index_list(claims)`.execute(db)).rows
  for (const index of indexes.filter((i) => i.origin === 'u')) {
    const parts = (await sql<{ name: string }>`select name from pragma_index_info(${index.name})`.execute(db))
      .rows
    definitions.push(sql`unique (${columnList(parts.map((part) => part.name))})`)
  }
  const foreignKeys = (await sql<ForeignKeyInfo>`pragma foreign_key_list(claims)`.execute(db)).rows
  for (const id of new Set(foreignKeys.map((key) => key.id))) {
    const parts = foreignKeys.filter((key) => key.id === id).sort((a, b) => a.seq - b.seq)
    const first = parts[0]!
    const to = parts.every((part) => part.to !== null)
      ? sql` (${columnList(parts.map((part) => part.to!))})`
      : sql``
    definitions.push(
      sql`foreign key (${columnList(parts.map((part) => part.from))}) references ${sql.id(first.table)}${to} on update ${sql.raw(first.on_update)} on delete ${sql.raw(first.on_delete)}`,
    )
  }
  // Indexes made by `create index` are made again from their own statements.
  const created = (
    await sql<{ sql: string }>`
      select sql from sqlite_master where type = 'index' and tbl_name = 'claims' and sql is not null`.execute(
      db,
    )
  ).rows
  const names = columnList(ordered.map((column) => column.name))
  await sql`create table claims_rebuilt (${sql.join(definitions)})`.execute(db)
  await sql`insert into claims_rebuilt (rowid, ${names}) select rowid, ${names} from claims`.execute(db)
  await sql`drop table claims`.execute(db)
  await sql`alter table claims_rebuilt rename to claims`.execute(db)
  for (const index of created) await sql.raw(index.sql).execute(db)
  // References already broken before (written with foreign keys off) are not this rebuild's to mend.
  const broken = (await brokenReferences(db)) - brokenBefore
  if (broken > 0)
    throw new Error(`rebuilding claims would break ${broken} references to them; nothing was changed`)
}
