import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { seedDemo } from '../../src/app/seed-demo.ts'
import { createTestContext } from '../../src/app/test-context.ts'
import { openTestDatabase, type TestDatabase } from '../../src/db/test-database.ts'
import { ORG } from '../../src/registry/demo-catalogue.ts'

describe('the demo seeds claims that yield recovery claims', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase('sqlite')
  })
  after(() => database.dispose())

  test('one for each demo dealer and one for the agent-brand maker, and a second run adds none', async () => {
    const ctx = createTestContext(database)
    await seedDemo(ctx)
    const count = async () =>
      database.db.selectFrom('recovery_claims').select(['id', 'creditor_org_id', 'debtor_org_id']).execute()
    const rows = await count()
    assert.ok(rows.some((r) => r.creditor_org_id === ORG.starlight && r.debtor_org_id === ORG.playerOne))
    assert.ok(rows.some((r) => r.creditor_org_id === ORG.prairie && r.debtor_org_id === ORG.touptek))
    assert.ok(rows.some((r) => r.creditor_org_id === ORG.shenzhen && r.debtor_org_id === ORG.aurora))
    await seedDemo(ctx)
    assert.equal((await count()).length, rows.length)
  })
})

describe('the demo seeds the same at any hour', () => {
  // Around the turns of the day in UTC and in Shanghai (16:00 UTC), where the policies count their days.
  for (const instant of [
    '2026-12-01T15:59:00Z',
    '2026-12-01T16:00:00Z',
    '2026-12-01T23:59:00Z',
    '2026-12-02T00:00:00Z',
  ]) {
    test(`at ${instant}`, async () => {
      const database = await openTestDatabase('sqlite')
      try {
        const ctx = createTestContext(database, { now: () => new Date(instant) })
        await seedDemo(ctx)
        const rows = await database.db.selectFrom('recovery_claims').select('creditor_org_id').execute()
        assert.deepEqual(
          new Set(rows.map((r) => r.creditor_org_id)),
          new Set([ORG.starlight, ORG.prairie, ORG.shenzhen]),
        )
      } finally {
        await database.dispose()
      }
    })
  }
})
