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
