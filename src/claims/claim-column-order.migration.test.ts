import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { sql } from 'kysely'
import { type Db, openDatabase } from '../db/database.ts'
import { allMigrations, migrateToLatest } from '../db/migrations.ts'
import { openTestDatabase, testEngines } from '../db/test-database.ts'
import { CLAIM_DOCUMENT_COLUMNS, claimColumnOrderMigration } from './claim-column-order.migration.ts'

const MIGRATION = '0499_claim_documents_last'
const before = Object.fromEntries(Object.entries(allMigrations).filter(([name]) => name !== MIGRATION))

interface ColumnInfo {
  cid: number
  name: string
  type: string
  notnull: number
  dflt_value: string | null
  pk: number
}

const columnsOf = async (db: Db, table: string) =>
  (await sql<ColumnInfo>`select * from pragma_table_info(${table})`.execute(db)).rows

const columnOrder = async (db: Db) => (await columnsOf(db, 'claims')).map((column) => column.name)

const foreignKeysOn = async (db: Db) =>
  (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0]?.foreign_keys === 1

/** A history row of the claim: the table whose references to claims the rebuild must keep. */
const insertOpenedEvent = (db: Db, claimId: string) =>
  sql`insert into claim_events (claim_id, seq, type, at, actor_id, actor_role, actor_name, data, prev_hash, hash)
    values (${claimId}, 1, 'claim.opened', '2026-01-01T00:00:00.000Z', 'u', 'staff', 'U', '{}', '', 'h')`.execute(
    db,
  )

/** Everything SQLite knows of the table but its columns' order. */
async function schemaOf(db: Db) {
  const columns = (await columnsOf(db, 'claims'))
    .map(({ cid: _order, ...column }) => column)
    .sort((a, b) => a.name.localeCompare(b.name))
  const indexes = (
    await sql<{ name: string; unique: number; origin: string; partial: number }>`
      select name, "unique", origin, partial from pragma_index_list('claims')`.execute(db)
  ).rows
    // An index made by a unique constraint is named by its place among the table's; its
    // columns say what it is.
    .map((index) => ({ ...index, name: index.origin === 'c' ? index.name : '(constraint)' }))
    .sort((a, b) => a.name.localeCompare(b.name))
  const created = (
    await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master where type = 'index' and tbl_name = 'claims' and sql is not null
      order by name`.execute(db)
  ).rows
  const references = (
    await sql<{ table: string; from: string; to: string }>`
      select m.name as "table", f."from", f."to" from sqlite_master m, pragma_foreign_key_list(m.name) f
      where m.type = 'table' and f."table" = 'claims' order by m.name, f."from"`.execute(db)
  ).rows
  return { columns, indexes, created, references }
}

/** A value of the column's type; text with quotes, NUL-free Unicode and, for the documents, kilobytes. */
const arbitraryOf = (column: ColumnInfo): fc.Arbitrary<unknown> => {
  if (column.type === 'integer') return fc.integer()
  if (column.type === 'double precision') return fc.double({ noNaN: true })
  const documents: readonly string[] = CLAIM_DOCUMENT_COLUMNS
  const text = documents.includes(column.name)
    ? fc
        .string({ unit: 'grapheme', minLength: 0, maxLength: 40 })
        .map((s) => `{"x":${JSON.stringify(s.repeat(300))}}`)
    : fc.string({ unit: 'grapheme', maxLength: 30 })
  return text
}

async function openAtPreviousVersion() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-column-order-'))
  const file = path.join(dir, 'aftercare.db')
  const handle = openDatabase({ engine: 'sqlite', file })
  await migrateToLatest(handle.db, before)
  return {
    db: handle.db,
    dispose: async () => {
      await handle.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

describe('claims with their documents last (migration 0499)', () => {
  test('moves the documents to the end of the row and keeps every row, column, index and reference', async () => {
    const probe = await openAtPreviousVersion()
    const columns = await columnsOf(probe.db, 'claims')
    await probe.dispose()
    const row = fc.record(
      Object.fromEntries(
        columns
          .filter((column) => column.name !== 'id')
          .map((column) => [
            column.name,
            column.notnull ? arbitraryOf(column) : fc.option(arbitraryOf(column), { nil: null }),
          ]),
      ),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), async (rows) => {
        const { db, dispose } = await openAtPreviousVersion()
        try {
          const names = ['id', ...columns.filter((c) => c.name !== 'id').map((c) => c.name)]
          for (const [n, values] of rows.entries()) {
            const record: Record<string, unknown> = { id: `claim-${n}`, ...values }
            // The RMA number is unique; generated ones may repeat.
            if (record.rma_number !== null) record.rma_number = `RMA-${n}-${String(record.rma_number)}`
            await sql`insert into claims (${sql.join(names.map((name) => sql.ref(name)))})
              values (${sql.join(names.map((name) => record[name]))})`.execute(db)
            await insertOpenedEvent(db, `claim-${n}`)
          }
          const schemaBefore = await schemaOf(db)
          const rowsBefore = (await sql`select rowid, * from claims order by id`.execute(db)).rows

          const { applied } = await migrateToLatest(db)
          assert.deepEqual(applied, [MIGRATION])

          assert.deepEqual((await columnOrder(db)).slice(-CLAIM_DOCUMENT_COLUMNS.length), [
            ...CLAIM_DOCUMENT_COLUMNS,
          ])
          assert.deepEqual(await schemaOf(db), schemaBefore)
          assert.deepEqual((await sql`select rowid, * from claims order by id`.execute(db)).rows, rowsBefore)
          assert.deepEqual((await sql`pragma foreign_key_check`.execute(db)).rows, [])
          assert.ok(await foreignKeysOn(db))
          // The references are enforced on the rebuilt table as before.
          await assert.rejects(insertOpenedEvent(db, 'no-such-claim'), /FOREIGN KEY/)
          await assert.rejects(sql`delete from claims where id = 'claim-0'`.execute(db), /FOREIGN KEY/)
        } finally {
          await dispose()
        }
      }),
      { numRuns: 6 },
    )
  })

  test('a rebuild that fails half-way leaves the table, its rows and the foreign keys as they were', async () => {
    const { db, dispose } = await openAtPreviousVersion()
    try {
      await sql`insert into claims (id, state, version, policy_id, currency, brand, serial, opened_by, opened_by_role,
        case_json, problem_description, opened_at, updated_at)
        values ('c1', 'opened', 1, 'p', 'USD', 'own', 'S1', 'u', 'staff', '{}', 'd', 't', 't')`.execute(db)
      // A reference broken before the migration (written with foreign keys off) is no reason to stop.
      await sql`pragma foreign_keys = off`.execute(db)
      await insertOpenedEvent(db, 'gone')
      await sql`pragma foreign_keys = on`.execute(db)
      const schemaBefore = await schemaOf(db)
      const order = await columnOrder(db)
      // The name the rebuilt table takes is in use: the rebuild stops after its first steps.
      await sql`create table claims_rebuilt (id text)`.execute(db)
      await assert.rejects(migrateToLatest(db), /claims_rebuilt/)
      assert.deepEqual(await columnOrder(db), order)
      assert.deepEqual(await schemaOf(db), schemaBefore)
      assert.deepEqual((await sql`select id from claims`.execute(db)).rows, [{ id: 'c1' }])
      assert.ok(await foreignKeysOn(db))

      await sql`drop table claims_rebuilt`.execute(db)
      assert.deepEqual((await migrateToLatest(db)).applied, [MIGRATION])
      assert.deepEqual((await columnOrder(db)).slice(-CLAIM_DOCUMENT_COLUMNS.length), [
        ...CLAIM_DOCUMENT_COLUMNS,
      ])
      assert.deepEqual((await sql`select id from claims`.execute(db)).rows, [{ id: 'c1' }])
    } finally {
      await dispose()
    }
  })
})

describe('claims tables declared otherwise', () => {
  async function withTable(declaration: string, check: (db: Db) => Promise<void>, before: string[] = []) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-column-order-'))
    const handle = openDatabase({ engine: 'sqlite', file: path.join(dir, 'aftercare.db') })
    try {
      for (const statement of [...before, declaration]) await sql.raw(statement).execute(handle.db)
      await check(handle.db)
    } finally {
      await handle.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }

  test('a key of several columns stays the key, in its order, and a reference of several columns stays', async () => {
    await withTable(
      'create table claims (final_decision text, tenant text not null, id text not null, state text, ' +
        'unit_tenant text, unit_serial text, primary key (tenant, id), ' +
        'foreign key (unit_tenant, unit_serial) references units (tenant, serial) on delete set null)',
      async (db) => {
        await sql`insert into units values ('t1', 'S1')`.execute(db)
        await sql`insert into claims values ('{"covered":true}', 't1', 'c1', 'opened', 't1', 'S1')`.execute(
          db,
        )
        const referencesBefore = (await sql`select * from pragma_foreign_key_list('claims')`.execute(db)).rows
        await claimColumnOrderMigration.up(db)
        const columns = await columnsOf(db, 'claims')
        assert.deepEqual(
          columns.map((column) => [column.name, column.pk]),
          [
            ['tenant', 1],
            ['id', 2],
            ['state', 0],
            ['unit_tenant', 0],
            ['unit_serial', 0],
            ['final_decision', 0],
          ],
        )
        await assert.rejects(sql`insert into claims (tenant, id) values ('t1', 'c1')`.execute(db), /UNIQUE/)
        assert.deepEqual(
          (await sql`select * from pragma_foreign_key_list('claims')`.execute(db)).rows,
          referencesBefore,
        )
        await assert.rejects(
          sql`insert into claims (tenant, id, unit_tenant, unit_serial) values ('t1', 'c2', 't1', 'S2')`.execute(
            db,
          ),
          /FOREIGN KEY/,
        )
        await sql`delete from units`.execute(db)
        assert.deepEqual((await sql`select unit_serial from claims`.execute(db)).rows, [
          { unit_serial: null },
        ])
      },
      ['create table units (tenant text not null, serial text not null, primary key (tenant, serial))'],
    )
  })

  test('a table declared with a check or a collation is left as it is', async () => {
    for (const extra of ["check (state <> '')", 'collate nocase']) {
      const declaration = `CREATE TABLE claims (id text primary key, final_decision text, state text ${extra})`
      await withTable(declaration, async (db) => {
        await claimColumnOrderMigration.up(db)
        const { rows } = await sql<{
          sql: string
        }>`select sql from sqlite_master where name = 'claims'`.execute(db)
        assert.equal(rows[0]?.sql, declaration)
      })
    }
  })
})

for (const engine of testEngines().filter((e) => e === 'postgres')) {
  test(`claims on ${engine} keep their columns as they are`, async () => {
    const database = await openTestDatabase(engine)
    try {
      const { rows } = await sql<{ column_name: string }>`
        select column_name from information_schema.columns
        where table_schema = current_schema() and table_name = 'claims' order by ordinal_position`.execute(
        database.db,
      )
      assert.equal(rows[0]?.column_name, 'id')
      assert.ok(rows.some((row) => row.column_name === 'final_decision'))
    } finally {
      await database.dispose()
    }
  })
}
