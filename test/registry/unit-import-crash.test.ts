import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import type SqliteDatabase from 'better-sqlite3'
import { createTestContext } from '../../src/app/test-context.ts'
import { openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrations.ts'
import { DEMO_MODELS, ORG } from '../../src/registry/demo-catalogue.ts'
import { seedDemoRegistry } from '../../src/registry/demo-seed.ts'

const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin/aftercare.js')
/** Enough rows that the load is still writing when it is killed. */
const ROWS = 300_000

function aLargeUnitFile(file: string): void {
  const cameras = DEMO_MODELS.filter((m) => m.brandOrgId === ORG.playerOne && m.category === 'camera')
  const lines = ['serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer,batch']
  for (let i = 0; i < ROWS; i++) {
    const month = String(1 + (i % 12)).padStart(2, '0')
    const viaDealer = i % 3 === 0
    lines.push(
      [
        `KILL${String(i).padStart(7, '0')}`,
        cameras[i % cameras.length]?.name ?? 'Ares-M PRO',
        `2024-${month}-15`,
        `2024-${month}-16`,
        `2024-${month}-20`,
        viaDealer ? 'dealer' : 'direct',
        viaDealer ? 'Starlight Optics' : '',
        `B24${month}`,
      ].join(','),
    )
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`)
}

/** What a load must leave as it was: the units, the schema of `units` and the look-up version. */
function registryState(sqlite: SqliteDatabase.Database) {
  return {
    units: sqlite.prepare('select count(*) from units').pluck().get(),
    schema: sqlite
      .prepare(
        "select type || ' ' || name || ' ' || coalesce(sql, '') from sqlite_master where tbl_name = 'units'",
      )
      .pluck()
      .all()
      .sort(),
    version: sqlite.prepare('select version from registry_version').pluck().get(),
  }
}

test('kill -9 in the middle of a whole-file unit import leaves the registry as it was before it', {
  timeout: 120_000,
}, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-import-crash-'))
  const dbFile = path.join(dataDir, 'aftercare.db')
  try {
    const setup = openDatabase({ engine: 'sqlite', file: dbFile })
    await migrateToLatest(setup.db)
    await seedDemoRegistry(Object.assign(createTestContext({ ...setup, dataDir }), { sqlite: setup.sqlite }))
    const before = registryState(setup.sqlite as SqliteDatabase.Database)
    await setup.close()
    const sizeBefore = fs.statSync(dbFile).size
    const units = path.join(dataDir, 'units.csv')
    aLargeUnitFile(units)

    const child = spawn(process.execPath, [bin, 'import', 'units', units], {
      cwd: root,
      env: { ...process.env, AFTERCARE_DATA: dataDir, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
    // Killed once the load has written rows into the file itself, with its journal beside it.
    const deadline = Date.now() + 60_000
    while (
      child.exitCode === null &&
      Date.now() < deadline &&
      !(fs.existsSync(`${dbFile}-journal`) && fs.statSync(dbFile).size > sizeBefore + (8 << 20))
    )
      await new Promise((resolve) => setTimeout(resolve, 10))
    assert.equal(child.exitCode, null, `the import ended before it could be killed: ${output}`)
    child.kill('SIGKILL')
    await exited
    assert.ok(fs.existsSync(`${dbFile}-journal`), 'no journal was left to play back')

    const reopened = openDatabase({ engine: 'sqlite', file: dbFile })
    try {
      const sqlite = reopened.sqlite as SqliteDatabase.Database
      assert.deepEqual(registryState(sqlite), before)
      assert.equal(sqlite.prepare('pragma integrity_check').pluck().get(), 'ok')
      assert.equal(sqlite.pragma('journal_mode', { simple: true }), 'wal')
      assert.equal(fs.existsSync(`${dbFile}-journal`), false)
    } finally {
      await reopened.close()
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
