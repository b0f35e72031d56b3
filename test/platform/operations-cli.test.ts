import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { openTestDatabase } from '../../src/db/test-database.ts'
import { enqueueEmail } from '../../src/notify/outbox.ts'
import { loadPolicyLibrary, SHIPPED_POLICIES_DIR } from '../../src/policies/load-policies.ts'
import { runForTest } from '../../src/shared/test-process.ts'
import { applySlaForClaimEvent } from '../../src/sla/claim-clocks.ts'

const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin/aftercare.js')

function runAftercare(dataDir: string, ...args: string[]) {
  return runForTest(process.execPath, [bin, ...args], {
    cwd: root,
    // The reports are read in English, whatever the locale of the shell running the tests.
    env: {
      ...process.env,
      AFTERCARE_DATA: dataDir,
      DATABASE_URL: '',
      SMTP_URL: '',
      AFTERCARE_LANGUAGE: 'en',
    },
  })
}

test('aftercare outbox deliver sends what is due, once', { timeout: 60_000 }, async () => {
  const database = await openTestDatabase('sqlite')
  try {
    await enqueueEmail(database.db, {
      to: 'anna@example.com',
      template: 'claim.opened',
      locale: 'en',
      data: { claimNumber: 'RMA-2026-000001' },
    })
    const first = runAftercare(database.dataDir, 'outbox', 'deliver')
    assert.equal(first.status, 0, first.stderr)
    assert.match(first.stdout, /claimed 1, sent 1/)
    const files = fs.readdirSync(path.join(database.dataDir, 'outbox')).filter((f) => f.endsWith('.eml'))
    assert.equal(files.length, 1)
    assert.match(
      fs.readFileSync(path.join(database.dataDir, 'outbox', files[0] ?? ''), 'utf8'),
      /RMA-2026-000001/,
    )
    const again = runAftercare(database.dataDir, 'outbox', 'deliver')
    assert.match(again.stdout, /claimed 0, sent 0/)
  } finally {
    await database.dispose()
  }
})

test('aftercare sla sweep marks an overdue clock as breached, once', { timeout: 60_000 }, async () => {
  const database = await openTestDatabase('sqlite')
  try {
    const policies = loadPolicyLibrary([SHIPPED_POLICIES_DIR])
    // Seed 002: fault verified within 12 h of receipt. A unit received two days ago and
    // never inspected is overdue.
    const receivedAt = new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString()
    await applySlaForClaimEvent(database.db, {
      claimId: 'claim-overdue',
      eventType: 'unit.received',
      at: receivedAt,
      brand: 'own',
      serviceLevels: policies.serviceLevels('shenzhen-service'),
    })
    const first = runAftercare(database.dataDir, 'sla', 'sweep')
    assert.equal(first.status, 0, first.stderr)
    assert.match(first.stdout, /breached 1/)
    const again = runAftercare(database.dataDir, 'sla', 'sweep')
    assert.match(again.stdout, /breached 0/)
  } finally {
    await database.dispose()
  }
})

test('aftercare export --out leaves the previous file whole when the export fails', {
  timeout: 60_000,
}, async () => {
  const database = await openTestDatabase('sqlite')
  try {
    const file = path.join(database.dataDir, 'units.csv')
    fs.writeFileSync(file, 'the previous export\n')
    // A database that cannot be reached: the export fails before it has written a row.
    const failed = runForTest(process.execPath, [bin, 'export', 'units', '--out', file], {
      cwd: root,
      env: {
        ...process.env,
        AFTERCARE_DATA: database.dataDir,
        DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
      },
    })
    assert.notEqual(failed.status, 0, failed.stdout)
    assert.equal(fs.readFileSync(file, 'utf8'), 'the previous export\n')
    const done = runAftercare(database.dataDir, 'export', 'units', '--out', file)
    assert.equal(done.status, 0, done.stderr)
    assert.match(fs.readFileSync(file, 'utf8'), /^\uFEFFserial,model,/)
    assert.deepEqual(
      fs.readdirSync(database.dataDir).filter((name) => name.endsWith('.partial')),
      [],
    )
  } finally {
    await database.dispose()
  }
})
