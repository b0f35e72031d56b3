import assert from 'node:assert/strict'
import { test } from 'node:test'
import { verifyHistory } from '../../src/claims/claim-history.ts'
import { seedDemoClaims } from '../../src/claims/demo-seed.ts'
import { seedDemoRegistry } from '../../src/registry/demo-seed.ts'
import { openClaimsWorld } from './claim-factories.ts'

test('the demo claims span the lifecycle and the five policies, and seeding twice adds nothing', {
  timeout: 120_000,
}, async () => {
  const world = await openClaimsWorld('sqlite')
  try {
    const registry = await seedDemoRegistry(world.ctx)
    const first = await seedDemoClaims(world.ctx, registry)
    assert.ok(first.created >= 18, `created ${first.created}`)
    const again = await seedDemoClaims(world.ctx, registry)
    assert.equal(again.created, 0)
    const rows = await world.database.db.selectFrom('claims').select(['state', 'policy_id']).execute()
    assert.equal(rows.length, first.created)
    assert.equal(new Set(rows.map((r) => r.policy_id)).size, 5)
    assert.ok(new Set(rows.map((r) => r.state)).size >= 8, JSON.stringify(rows.map((r) => r.state)))
    assert.ok(rows.some((r) => r.state === 'closed'))
    // The demo's quotes reach Chinese customers: no line carries English typed by staff.
    const typed = await world.database.db
      .selectFrom('claim_cost_lines')
      .select('description')
      .where('quote_id', 'is not', null)
      .execute()
    assert.ok(typed.length > 0)
    assert.deepEqual(
      typed.filter((line) => line.description !== ''),
      [],
    )
    // What the demo's staff wrote to a customer (a message, a question) is in that customer's language.
    const written = await world.database.db
      .selectFrom('claim_messages')
      .innerJoin('claims', 'claims.id', 'claim_messages.claim_id')
      .innerJoin('customers', 'customers.id', 'claims.customer_id')
      .select(['customers.locale', 'claim_messages.body'])
      .where('claim_messages.author_role', '!=', 'customer')
      .execute()
    const toChinese = written.filter((m) => m.locale === 'zh')
    assert.ok(toChinese.length > 0, 'the demo writes to a Chinese customer')
    assert.deepEqual(
      toChinese.filter((m) => /[A-Za-z]/.test(m.body)),
      [],
    )
    assert.ok(written.some((m) => m.locale === 'en' && /[A-Za-z]/.test(m.body)))
    assert.deepEqual(
      (await verifyHistory(world.database.db)).filter((r) => !r.ok),
      [],
    )
  } finally {
    await world.close()
  }
})
