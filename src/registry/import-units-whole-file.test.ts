import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type SqliteDatabase from 'better-sqlite3'
import { createTestContext } from '../app/test-context.ts'
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { DEMO_MODELS, ORG } from './demo-catalogue.ts'
import { seedDemoRegistry } from './demo-seed.ts'
import { importUnits } from './import-units.ts'
import { shouldLoadInOneTransaction, WHOLE_FILE_MIN_ROWS } from './import-units-sqlite.ts'

const HEADER = 'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer,batch'
/** Enough rows for the one-transaction load into the seeded registry, and for three batches otherwise. */
const ROWS = WHOLE_FILE_MIN_ROWS + 10_000

/** `rows` unit sales of Player One cameras, a third through a dealer; `broken` adds a stray cell to that row. */
function aLargeUnitFile(
  dir: string,
  name: string,
  prefix: string,
  options: { broken?: number; deliveredOn?: string } = {},
): string {
  const cameras = DEMO_MODELS.filter((m) => m.brandOrgId === ORG.playerOne && m.category === 'camera')
  const lines = [HEADER]
  for (let i = 0; i < ROWS; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0')
    const month = String(1 + (i % 12)).padStart(2, '0')
    const viaDealer = i % 3 === 0
    lines.push(
      [
        `${prefix}${String(i).padStart(6, '0')}`,
        cameras[i % cameras.length]?.name ?? 'Ares-M PRO',
        `2024-${month}-${day}`,
        `2024-${month}-${day}`,
        options.deliveredOn ?? `2024-${month}-${day}`,
        viaDealer ? 'dealer' : 'direct',
        viaDealer ? 'Starlight Optics' : '',
        `B24${month}`,
        ...(i === options.broken ? ['stray'] : []),
      ].join(','),
    )
  }
  const file = path.join(dir, name)
  fs.writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

/** The schema objects of `units` (indexes and triggers), as SQLite stores them. */
function unitSchema(sqlite: SqliteDatabase.Database): string[] {
  return sqlite
    .prepare<[], string>(
      "select type || ' ' || name || ' ' || coalesce(sql, '') from sqlite_master where tbl_name = 'units' order by name",
    )
    .pluck()
    .all()
}

const registryVersion = (sqlite: SqliteDatabase.Database) =>
  sqlite.prepare<[], number>('select version from registry_version').pluck().get() ?? 0
const countSerials = (sqlite: SqliteDatabase.Database, prefix: string) =>
  sqlite.prepare<[string], number>('select count(*) from units where serial like ?').pluck().get(`${prefix}%`)

describe('whole-file unit loads on SQLite', () => {
  let database: TestDatabase
  let ctx: AppContext
  let sqlite: SqliteDatabase.Database
  let schemaBefore: string[]
  let now = new Date('2025-06-15T10:00:00Z')

  before(async () => {
    // As the command line opens it: the one connection may leave the write-ahead log.
    database = await openTestDatabase('sqlite', { readConnection: false })
    sqlite = database.sqlite as SqliteDatabase.Database
    ctx = Object.assign(createTestContext(database, { now: () => now }), {
      sqlite,
    })
    await seedDemoRegistry(ctx)
    schemaBefore = unitSchema(sqlite)
  })
  after(async () => database.dispose())

  test('a load is taken whole when it brings at least twice the rows the table holds', () => {
    assert.equal(shouldLoadInOneTransaction(WHOLE_FILE_MIN_ROWS, 0), true)
    assert.equal(shouldLoadInOneTransaction(WHOLE_FILE_MIN_ROWS - 1, 0), false)
    assert.equal(shouldLoadInOneTransaction(1_000_000, 500_000), true)
    assert.equal(shouldLoadInOneTransaction(1_000_000, 500_001), false)
  })

  test('a large load that fails part-way leaves nothing written and the indexes in place', async () => {
    const file = aLargeUnitFile(database.dataDir, 'broken.csv', 'WFB', { broken: ROWS - 10 })
    const version = registryVersion(sqlite)
    await assert.rejects(
      importUnits(ctx, { file, exclusive: true }),
      (error: Error & { field?: string }) =>
        error.field === 'FILE' && /fields where the header has \d+ columns/.test(error.message),
    )
    assert.equal(countSerials(sqlite, 'WFB'), 0)
    assert.deepEqual(unitSchema(sqlite), schemaBefore)
    assert.equal(registryVersion(sqlite), version)
    assert.equal(sqlite.pragma('foreign_keys', { simple: true }), 1)
    assert.equal(sqlite.pragma('journal_mode', { simple: true }), 'wal')
  })

  test('a large load commits once: every row, the same indexes rebuilt whole, one look-up version', async () => {
    const file = aLargeUnitFile(database.dataDir, 'units.csv', 'WFL')
    const version = registryVersion(sqlite)
    const sortThreads = sqlite.pragma('threads', { simple: true })
    const journals = new Set<unknown>()
    const summary = await importUnits(ctx, {
      file,
      exclusive: true,
      onProgress: () => journals.add(sqlite.pragma('journal_mode', { simple: true })),
    })
    assert.deepEqual([summary.imported, summary.unchanged, summary.rejected], [ROWS, 0, 0])
    assert.equal(countSerials(sqlite, 'WFL'), ROWS)
    // Batch by batch the version would have gone up once per 25,000 rows.
    assert.equal(registryVersion(sqlite), version + 1)
    assert.deepEqual(unitSchema(sqlite), schemaBefore)
    // Every index holds exactly the table's rows.
    assert.equal(sqlite.prepare('pragma integrity_check').pluck().get(), 'ok')
    const byDealer = sqlite
      .prepare<[string], number>(
        "select count(*) from units indexed by units_dealer_idx where dealer_org_id = ? and serial like 'WFL%'",
      )
      .pluck()
      .get(ORG.starlight)
    assert.equal(byDealer, ROWS / 3)
    assert.equal(sqlite.pragma('foreign_keys', { simple: true }), 1)
    // Loaded through a rollback journal, then back in the log.
    assert.deepEqual([...journals], ['delete'])
    assert.equal(sqlite.pragma('journal_mode', { simple: true }), 'wal')
    assert.equal(fs.existsSync(path.join(database.dataDir, 'aftercare.db-journal')), false)
    // The sorter's helper threads served the rebuild only.
    assert.equal(sqlite.pragma('threads', { simple: true }), sortThreads)
  })

  test('re-importing it, batch by batch into a table now as large, changes nothing', async () => {
    const file = path.join(database.dataDir, 'units.csv')
    const stamp = () =>
      sqlite.prepare<[], string>("select max(updated_at) from units where serial like 'WFL%'").pluck().get()
    const before = stamp()
    const version = registryVersion(sqlite)
    now = new Date('2025-06-16T10:00:00Z')
    const summary = await importUnits(ctx, { file, exclusive: true })
    assert.deepEqual([summary.imported, summary.unchanged, summary.rejected], [0, ROWS, 0])
    assert.equal(stamp(), before)
    assert.equal(registryVersion(sqlite), version)
  })

  test('a large change to a table as large goes batch by batch, one look-up version a batch', async () => {
    const file = aLargeUnitFile(database.dataDir, 'delivered.csv', 'WFL', { deliveredOn: '2025-01-31' })
    const version = registryVersion(sqlite)
    const summary = await importUnits(ctx, { file, exclusive: true })
    assert.deepEqual([summary.imported, summary.unchanged, summary.rejected], [ROWS, 0, 0])
    assert.equal(registryVersion(sqlite), version + Math.ceil(ROWS / 25_000))
    const late = sqlite
      .prepare<[], number>(
        "select count(*) from units where serial like 'WFL%' and delivered_on = '2025-01-31'",
      )
      .pluck()
      .get()
    assert.equal(late, ROWS)
    assert.equal(sqlite.prepare('pragma integrity_check').pluck().get(), 'ok')
  })
})

describe('a large unit load on a serving database', () => {
  test('that fails past its first batches leaves nothing of the file written', async () => {
    const database = await openTestDatabase('sqlite')
    try {
      const sqlite = database.sqlite as SqliteDatabase.Database
      const ctx = Object.assign(createTestContext(database), { sqlite })
      await seedDemoRegistry(ctx)
      const file = aLargeUnitFile(database.dataDir, 'late-error.csv', 'LATE', { broken: ROWS - 10 })
      const version = registryVersion(sqlite)
      await assert.rejects(importUnits(ctx, { file }), /fields where the header has \d+ columns/)
      assert.equal(countSerials(sqlite, 'LATE'), 0)
      assert.equal(registryVersion(sqlite), version)
      assert.equal(sqlite.pragma('foreign_keys', { simple: true }), 1)
      assert.equal(sqlite.inTransaction, false)
    } finally {
      await database.dispose()
    }
  })

  test('goes batch by batch, so the server answers between batches, however empty the registry', async () => {
    const database = await openTestDatabase('sqlite')
    try {
      const sqlite = database.sqlite as SqliteDatabase.Database
      const ctx = Object.assign(createTestContext(database), { sqlite })
      await seedDemoRegistry(ctx)
      const file = aLargeUnitFile(database.dataDir, 'upload.csv', 'SRV')
      const version = registryVersion(sqlite)
      // An upload job on the server: no `exclusive`.
      const summary = await importUnits(ctx, { file })
      assert.deepEqual([summary.imported, summary.rejected], [ROWS, 0])
      assert.equal(registryVersion(sqlite), version + Math.ceil(ROWS / 2_500))
      assert.equal(sqlite.prepare('pragma integrity_check').pluck().get(), 'ok')
    } finally {
      await database.dispose()
    }
  })
})
