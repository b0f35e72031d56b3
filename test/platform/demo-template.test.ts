import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { sql } from 'kysely'
import { seedDemo } from '../../src/app/seed-demo.ts'
import { createTestContext } from '../../src/app/test-context.ts'
import type { DatabaseHandle } from '../../src/db/database.ts'
import { openTestDatabase } from '../../src/db/test-database.ts'
import { DEMO_TEMPLATE_ENV, readDemoTemplate, writeDemoTemplate } from '../browser/demo-template.ts'

async function rowCounts(handle: DatabaseHandle): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
    handle.db,
  )
  const counts: Record<string, number> = {}
  for (const { name } of tables.rows) {
    const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(handle.db)
    counts[name] = Number(row.rows[0]?.n)
  }
  return counts
}

/** The files under a data folder other than the SQLite database's own (its log, its migration lock). */
function filesBesideDatabase(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => !/^aftercare\.db(-wal|-shm|-migration-lock)?$/.test(name))
    .filter((name) => !fs.statSync(path.join(dir, name)).isDirectory())
    .sort()
}

// Browser files start on a copy of the demo the runner seeded once. The copy is the database
// file alone, so it serves only while the seeding writes nothing else, and holds all it wrote.
test('a copy of the seeded demo template holds what seeding the demo in place writes, and nothing lies beside it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-demo-template-test-'))
  const seeded = await openTestDatabase('sqlite')
  try {
    await writeDemoTemplate(dir)
    assert.deepEqual(filesBesideDatabase(dir), ['demo.json'])

    process.env[DEMO_TEMPLATE_ENV] = dir
    const template = readDemoTemplate()
    assert.ok(template)
    const demo = await seedDemo(createTestContext(seeded))
    assert.deepEqual(template.demo, demo)
    // Seeding in place leaves only the database in the data folder: a file beside it would
    // be one the copy lacks.
    assert.deepEqual(filesBesideDatabase(seeded.dataDir), [])

    const copy = await openTestDatabase('sqlite', { from: template.databaseFile })
    try {
      assert.deepEqual(await rowCounts(copy), await rowCounts(seeded))
    } finally {
      await copy.dispose()
    }
  } finally {
    delete process.env[DEMO_TEMPLATE_ENV]
    await seeded.dispose()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('a template folder without a seeded demo is refused by name', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-demo-template-test-'))
  process.env[DEMO_TEMPLATE_ENV] = dir
  try {
    assert.throws(
      () => readDemoTemplate(),
      new RegExp(`${DEMO_TEMPLATE_ENV} names .* which holds no seeded demo`),
    )
  } finally {
    delete process.env[DEMO_TEMPLATE_ENV]
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('only a SQLite test database starts as a copy of a file', async () => {
  await assert.rejects(openTestDatabase('postgres', { from: '/nonexistent' }), /only a SQLite test database/)
})
