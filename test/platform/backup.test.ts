import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createUser } from '../../src/auth/create-user.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import { backupDatabase, restoreDatabase } from '../../src/db/backup.ts'
import type { Db } from '../../src/db/database.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../../src/db/test-database.ts'
import { runForTest } from '../../src/shared/test-process.ts'

/** A database with rows in several features' tables, including rows that reference others. */
async function seedBackupFixture(db: Db) {
  const at = '2026-01-31T09:00:00.000Z'
  await db
    .insertInto('customers')
    .values([
      {
        id: 'cus-1',
        name: 'Ada',
        email: 'ada@example.com',
        phone: null,
        address: '{"city":"Berlin"}',
        locale: 'en',
        created_at: at,
        updated_at: at,
      },
      {
        id: 'cus-2',
        name: '李雷',
        email: 'li@example.com',
        phone: '+86 10 1234',
        address: null,
        locale: 'zh',
        created_at: at,
        updated_at: at,
      },
    ])
    .execute()
  await createUser(
    db,
    { email: 'staff@example.com', name: 'Staff', role: 'support', password: 'long password 1' },
    new Date(at),
  )
  await createTestUser(db, { role: 'customer', customerId: 'cus-1' })
  const admin = await createTestUser(db, { role: 'admin' })
  // A dealer that left the network: its flag, and who deactivated it, travel with it.
  await createTestUser(db, { role: 'dealer', orgId: 'org-gone' })
  await db
    .updateTable('organisations')
    .set({ active: 0, deactivated_at: at, deactivated_by_user_id: admin.userId })
    .where('id', '=', 'org-gone')
    .execute()
}

/** Every row of every table that has rows, sorted, so two databases can be compared whatever the engine. */
async function snapshotOf(db: Db, tables: string[]) {
  const result: Record<string, string[]> = {}
  for (const table of tables) {
    // biome-ignore lint/suspicious/noExplicitAny: comparing arbitrary tables
    const rows = await (db as any).selectFrom(table).selectAll().execute()
    result[table] = rows.map((r: Record<string, unknown>) => JSON.stringify(Object.entries(r).sort())).sort()
  }
  return result
}

const TABLES = ['customers', 'organisations', 'users', 'sessions', 'api_keys', 'sign_in_links']
const engines = testEngines()
const target = engines.includes('postgres') ? 'postgres' : 'sqlite'

describe(`backup and restore, sqlite to ${target}`, () => {
  let source: TestDatabase
  let destination: TestDatabase
  let file: string
  before(async () => {
    source = await openTestDatabase('sqlite')
    destination = await openTestDatabase(target)
    file = path.join(source.dataDir, 'backup.jsonl')
    await seedBackupFixture(source.db)
  })
  after(async () => {
    await source.dispose()
    await destination.dispose()
  })

  it('copies every row into an empty database of the other engine', async () => {
    const written = await backupDatabase(source.db, source.engine, file, new Date())
    assert.ok(written.rows >= 7, `rows written: ${written.rows}`)
    const header = JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0] ?? '')
    assert.equal(header.format, 'aftercare-backup')
    assert.ok(
      header.tables.indexOf('users') < header.tables.indexOf('api_keys'),
      'referenced tables come first',
    )
    const restored = await restoreDatabase(destination.db, destination.engine, file)
    assert.equal(restored.rows, written.rows)
    assert.deepEqual(await snapshotOf(destination.db, TABLES), await snapshotOf(source.db, TABLES))
  })

  it('refuses a database that is not empty, and replaces it with --force', async () => {
    await assert.rejects(restoreDatabase(destination.db, destination.engine, file), /not empty/)
    await createTestUser(destination.db, { role: 'support' })
    await restoreDatabase(destination.db, destination.engine, file, { force: true })
    assert.deepEqual(await snapshotOf(destination.db, TABLES), await snapshotOf(source.db, TABLES))
  })

  it('round-trips back to SQLite from the other engine', async () => {
    const back = path.join(source.dataDir, 'back.jsonl')
    await backupDatabase(destination.db, destination.engine, back, new Date())
    const again = await openTestDatabase('sqlite')
    try {
      await restoreDatabase(again.db, again.engine, back)
      assert.deepEqual(await snapshotOf(again.db, TABLES), await snapshotOf(source.db, TABLES))
    } finally {
      await again.dispose()
    }
  })

  it('a failed backup leaves the backup it would replace as it was, and no partial file', async () => {
    const kept = path.join(source.dataDir, 'kept.jsonl')
    fs.writeFileSync(kept, 'the previous backup\n')
    const closed = await openTestDatabase('sqlite')
    await closed.dispose()
    await assert.rejects(backupDatabase(closed.db, closed.engine, kept, new Date()))
    assert.equal(fs.readFileSync(kept, 'utf8'), 'the previous backup\n')
    assert.deepEqual(
      fs.readdirSync(source.dataDir).filter((name) => name.endsWith('.partial')),
      [],
    )
  })

  it('refuses to write into a missing folder, onto a folder or under too long a name, naming FILE', async () => {
    const targets = [
      path.join(source.dataDir, 'no-such-folder', 'backup.jsonl'),
      source.dataDir,
      path.join(source.dataDir, 'b'.repeat(300)),
    ]
    for (const to of targets)
      await assert.rejects(
        backupDatabase(source.db, source.engine, to, new Date()),
        (error: Error & { field?: string; code?: string }) => {
          assert.equal(error.field, 'FILE', to)
          assert.equal(error.code, 'validation', to)
          return true
        },
      )
    assert.deepEqual(
      fs.readdirSync(source.dataDir).filter((name) => name.endsWith('.partial')),
      [],
    )
  })

  it('rejects a file that is not a backup, naming FILE', async () => {
    const junk = path.join(source.dataDir, 'junk.txt')
    fs.writeFileSync(junk, 'hello\n')
    await assert.rejects(
      restoreDatabase(destination.db, destination.engine, junk),
      (error: Error & { field?: string }) => {
        assert.equal(error.field, 'FILE')
        return true
      },
    )
  })

  it('refuses a backup cut short or damaged, naming FILE and the line, and leaves the database as it was', async () => {
    const whole = path.join(source.dataDir, 'whole.jsonl')
    await backupDatabase(source.db, source.engine, whole, new Date())
    const lines = fs.readFileSync(whole, 'utf8').split('\n')
    const before = await snapshotOf(destination.db, TABLES)
    const userLine = lines.findIndex((line) => line.startsWith('{"table":"users"'))
    const damaged: Array<[string, string, RegExp]> = [
      // Copied in part, ending at a line end: every line reads, rows are missing.
      ['cut.jsonl', `${lines.slice(0, userLine).join('\n')}\n`, /cut short/],
      [
        'cut-mid-line.jsonl',
        lines.join('\n').slice(0, lines.slice(0, userLine).join('\n').length + 20),
        /line \d+/,
      ],
      [
        'edited.jsonl',
        [...lines.slice(0, userLine), 'not json', ...lines.slice(userLine)].join('\n'),
        new RegExp(`line ${userLine + 1}`),
      ],
    ]
    for (const [name, text, message] of damaged) {
      const file = path.join(source.dataDir, name)
      fs.writeFileSync(file, text)
      await assert.rejects(
        restoreDatabase(destination.db, destination.engine, file, { force: true }),
        (error: Error & { field?: string; code?: string }) => {
          assert.equal(error.field, 'FILE', name)
          assert.equal(error.code, 'validation', name)
          assert.match(error.message, message, name)
          assert.match(error.message, /nothing was restored/, name)
          return true
        },
      )
      assert.deepEqual(await snapshotOf(destination.db, TABLES), before, `${name}: the database is as it was`)
    }
    // A backup written before backups had an end line still restores.
    const older = path.join(source.dataDir, 'version-1.jsonl')
    const header = { ...JSON.parse(lines[0] ?? ''), version: 1 }
    fs.writeFileSync(
      older,
      [JSON.stringify(header), ...lines.slice(1).filter((l) => !l.startsWith('{"end"'))].join('\n'),
    )
    await restoreDatabase(destination.db, destination.engine, older, { force: true })
    assert.deepEqual(await snapshotOf(destination.db, TABLES), await snapshotOf(source.db, TABLES))
  })
})

describe('a backup killed part-way', () => {
  const root = path.resolve(import.meta.dirname, '../..')
  const bin = path.join(root, 'bin/aftercare.js')
  const env = (dataDir: string) => ({
    ...process.env,
    AFTERCARE_DATA: dataDir,
    DATABASE_URL: '',
    SMTP_URL: '',
  })
  const partials = (folder: string) => fs.readdirSync(folder).filter((name) => name.endsWith('.partial'))
  let source: TestDatabase
  before(async () => {
    source = await openTestDatabase('sqlite')
    await seedBackupFixture(source.db)
    // Enough rows that the backup is still writing when it is killed.
    const at = '2026-01-31T09:00:00.000Z'
    for (let start = 0; start < 40_000; start += 2000)
      await source.db
        .insertInto('customers')
        .values(
          Array.from({ length: 2000 }, (_, i) => ({
            id: `bulk-${start + i}`,
            name: `Customer ${start + i} with a name long enough to take some bytes`,
            email: `bulk-${start + i}@example.com`,
            phone: null,
            address: null,
            locale: 'en',
            created_at: at,
            updated_at: at,
          })),
        )
        .execute()
  })
  after(async () => {
    await source.dispose()
  })

  it('leaves nothing the next backup keeps or a restore takes', { timeout: 120_000 }, async () => {
    const folder = fs.mkdtempSync(path.join(source.dataDir, 'backups-'))
    const file = path.join(folder, 'nightly.jsonl')
    const child = spawn(process.execPath, [bin, 'backup', file], { cwd: root, env: env(source.dataDir) })
    const exited = once(child, 'exit')
    let left: string | undefined
    for (const started = Date.now(); left === undefined && Date.now() - started < 60_000; ) {
      left = partials(folder).find((name) => fs.statSync(path.join(folder, name)).size > 0)
      if (left === undefined) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    child.kill('SIGKILL')
    await exited
    assert.ok(left, 'the backup was caught writing')
    assert.ok(!fs.existsSync(file), 'a killed backup never takes the name of a backup')
    assert.deepEqual(partials(folder), [left])

    // The file of a backup that is still running, by a live process of this host, is not touched.
    const running = left.replace(/-\d+-(?=[0-9a-f]{8}-)/, `-${process.pid}-`)
    fs.writeFileSync(path.join(folder, running), '{"format":"aftercare-backup"}\n')

    const restored = await openTestDatabase('sqlite')
    try {
      await assert.rejects(
        restoreDatabase(restored.db, restored.engine, path.join(folder, left)),
        (error: Error & { field?: string; code?: string }) => {
          assert.equal(error.field, 'FILE')
          assert.equal(error.code, 'validation')
          assert.match(error.message, /did not finish|stopped before it finished/)
          return true
        },
      )
      // Even one whose lines all reached the disk before the kill: its name says it never finished.
      const whole = path.join(folder, 'whole.jsonl')
      await backupDatabase(restored.db, restored.engine, whole, new Date())
      const complete = left.replace(/-\d+-(?=[0-9a-f]{8}-)/, '-999999999-')
      fs.renameSync(whole, path.join(folder, complete))
      await assert.rejects(restoreDatabase(restored.db, restored.engine, path.join(folder, complete)), /FILE/)
      fs.rmSync(path.join(folder, complete))
    } finally {
      await restored.dispose()
    }

    const again = runForTest(process.execPath, [bin, 'backup', file], { cwd: root, env: env(source.dataDir) })
    assert.equal(again.status, 0, again.stderr)
    assert.deepEqual(partials(folder), [running], "the killed backup's file is gone, the running one's kept")
    assert.match(fs.readFileSync(file, 'utf8'), /"end":\{"rows":\d+\}/)
  })
})
