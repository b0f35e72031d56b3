/**
 * Import benchmark: 1,000,000 unit sales through the real `importUnits` code path on
 * SQLite, against raw better-sqlite3 prepared-statement inserts of the same rows into a
 * bare table (no parsing, no validation, no upsert), measured in the same run; then the
 * PostgreSQL path on the first BENCH_PG_ROWS rows (100,000) when BENCH_PG_URL (default
 * postgresql://postgres@127.0.0.1:5432/aftercare_dev) answers, in a schema of its own.
 * On SQLite the same units are then imported twice more with a `customer` column, whose
 * rows are judged against the owners on file. Set BENCH_ROWS to change the size.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'
import { createTestContext } from '../src/app/test-context.ts'
import { openDatabase } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrations.ts'
import { formatImportSummary } from '../src/registry/csv-import.ts'
import { DEMO_MODELS, ORG } from '../src/registry/demo-catalogue.ts'
import { seedDemoRegistry } from '../src/registry/demo-seed.ts'
import { importUnits } from '../src/registry/import-units.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-import-bench-'))

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

function generateRows(): string[][] {
  const cameras = DEMO_MODELS.filter((m) => m.brandOrgId === ORG.playerOne && m.category === 'camera')
  const rows: string[][] = []
  for (let i = 0; i < ROWS; i++) {
    const model = cameras[i % cameras.length]?.name ?? 'Ares-M PRO'
    const purchasedOn = addDays('2023-01-01', i % 900)
    const viaDealer = i % 3 === 0
    rows.push([
      `BENCH${String(i).padStart(8, '0')}`,
      model,
      purchasedOn,
      addDays(purchasedOn, 1),
      addDays(purchasedOn, 6),
      viaDealer ? 'dealer' : 'direct',
      viaDealer ? 'Starlight Optics' : '',
      `B${purchasedOn.slice(2, 7).replace('-', '')}`,
    ])
  }
  return rows
}

console.log(
  `load average (1, 5, 15 min) at the start: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`,
)
const rows = generateRows()
const file = path.join(dir, 'units.csv')
const out = fs.createWriteStream(file)
out.write('serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer,batch\n')
for (const row of rows) out.write(`${row.join(',')}\n`)
await new Promise<void>((resolve) => out.end(resolve))
console.log(
  `generated ${ROWS.toLocaleString('en-US')} rows (${(fs.statSync(file).size / 1e6).toFixed(0)} MB) in ${dir}`,
)

// Opened as the command line opens it (`aftercare import units`).
const handle = openDatabase({ engine: 'sqlite', file: path.join(dir, 'aftercare.db'), readConnection: false })
await migrateToLatest(handle.db)
const ctx = Object.assign(createTestContext({ db: handle.db, engine: 'sqlite', dataDir: dir }), {
  sqlite: handle.sqlite,
})
await seedDemoRegistry(ctx)
const first = await importUnits(ctx, { file, exclusive: true })
console.log(`import (first):  ${formatImportSummary(first)}`)
const again = await importUnits(ctx, { file, exclusive: true })
console.log(`import (again):  ${formatImportSummary(again)}`)
// The same units with the seller's customers named: each row's stored owner is read and judged
// (an open claim keeps its owner) before it is written. The first gives every unit its owner.
const emails = (await handle.db.selectFrom('customers').select('email').orderBy('email').execute()).map(
  (c) => c.email,
)
const ownedFile = path.join(dir, 'units-owned.csv')
const ownedOut = fs.createWriteStream(ownedFile)
ownedOut.write('serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer,batch,customer\n')
for (const [i, row] of rows.entries()) ownedOut.write(`${row.join(',')},${emails[i % emails.length]}\n`)
await new Promise<void>((resolve) => ownedOut.end(resolve))
const owned = await importUnits(ctx, { file: ownedFile, exclusive: true })
console.log(`import (customer column, owners given): ${formatImportSummary(owned)}`)
const ownedAgain = await importUnits(ctx, { file: ownedFile, exclusive: true })
console.log(`import (customer column, again):        ${formatImportSummary(ownedAgain)}`)
await handle.close()

// The peer: the same values, already in memory, through one prepared statement.
const raw = new SqliteDatabase(path.join(dir, 'raw.db'))
raw.pragma('journal_mode = WAL')
raw.pragma('synchronous = FULL')
raw.exec(
  'create table units (serial text primary key, model text, purchased_on text, shipped_on text, delivered_on text, channel text, dealer text, batch text)',
)
const insert = raw.prepare('insert into units values (?, ?, ?, ?, ?, ?, ?, ?)')
const insertMany = raw.transaction((batch: string[][]) => {
  for (const row of batch) insert.run(row)
})
const rawStarted = performance.now()
for (let start = 0; start < rows.length; start += 10_000) insertMany(rows.slice(start, start + 10_000))
const rawSeconds = (performance.now() - rawStarted) / 1000
raw.close()
const rawRate = ROWS / rawSeconds
console.log(
  `raw better-sqlite3 prepared inserts: ${rawSeconds.toFixed(1)} s (${Math.round(rawRate).toLocaleString('en-US')} rows/s)`,
)
console.log(
  `ratio import/raw (rate): first ${(first.rowsPerSecond / rawRate).toFixed(2)}, re-import ${(again.rowsPerSecond / rawRate).toFixed(2)}`,
)

// PostgreSQL, when one is reachable: the Kysely path (multi-row upserts) on a smaller file.
const PG_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/aftercare_dev'
const PG_ROWS = Math.min(ROWS, Number(process.env.BENCH_PG_ROWS ?? 100_000))
const schema = `bench_import_${process.pid}`
const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 })
const reachable = await admin.connect().then(
  () => true,
  () => false,
)
if (!reachable) console.log(`PostgreSQL at ${PG_URL} not reachable: skipped`)
else {
  await admin.query(`create schema ${schema}`)
  const pgFile = path.join(dir, 'units-pg.csv')
  const pgOut = fs.createWriteStream(pgFile)
  pgOut.write('serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer,batch\n')
  for (const row of rows.slice(0, PG_ROWS)) pgOut.write(`${row.join(',')}\n`)
  await new Promise<void>((resolve) => pgOut.end(resolve))
  const pgHandle = openDatabase({ engine: 'postgres', url: PG_URL, schema })
  try {
    await migrateToLatest(pgHandle.db)
    const pgCtx = createTestContext({ db: pgHandle.db, engine: 'postgres', dataDir: dir })
    await seedDemoRegistry(pgCtx)
    const pgFirst = await importUnits(pgCtx, { file: pgFile })
    console.log(`postgres ${PG_ROWS.toLocaleString('en-US')} rows (first): ${formatImportSummary(pgFirst)}`)
    const pgAgain = await importUnits(pgCtx, { file: pgFile })
    console.log(`postgres ${PG_ROWS.toLocaleString('en-US')} rows (again): ${formatImportSummary(pgAgain)}`)
  } finally {
    await pgHandle.close()
    await admin.query(`drop schema ${schema} cascade`)
    await admin.end()
  }
}
console.log(
  `load average (1, 5, 15 min) at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`,
)
fs.rmSync(dir, { recursive: true, force: true })
