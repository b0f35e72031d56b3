import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { seedDemo } from '../app/seed-demo.ts'
import { createTestContext } from '../app/test-context.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { seedDemoRegistry } from '../registry/demo-seed.ts'
import { ORG } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { buildReliabilityReport } from './build-reliability-report.ts'
import { DEMO_RELIABILITY_MODEL, seedDemoReliability } from './demo-seed.ts'

for (const engine of testEngines()) {
  describe(`the demo's reliability history (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    let seedMs = 0

    before(async () => {
      database = await openTestDatabase(engine)
      ctx = createTestContext(database, { now: () => new Date('2026-03-15T09:00:00.000Z') })
      const started = performance.now()
      await seedDemo(ctx)
      seedMs = performance.now() - started
    })
    after(async () => {
      await database?.dispose()
    })

    test('one model shows a fitted curve and a warning on the batch whose failure rate stepped up', async () => {
      const report = await buildReliabilityReport(ctx, { model: DEMO_RELIABILITY_MODEL })
      console.log(
        `demo seed on ${engine}: ${Math.round(seedMs)} ms; report ${Math.round(report.elapsedMs)} ms`,
      )
      assert.ok(report.counts.units >= 4000, `${report.counts.units} units`)
      assert.ok(report.counts.failures > 150, `${report.counts.failures} failures`)
      assert.ok(report.counts.claimsExcluded > 10, 'no-fault claims are there and left out')
      assert.ok(report.weibull && report.weibull.shape > 1, 'wear-out shape')
      assert.ok(report.nevada.rows.length >= 30, 'three years of shipment months')
      const batches = new Set(report.warnings.filter((w) => w.scope === 'batch').map((w) => w.key))
      assert.deepEqual([...batches], ['B3'])
    })

    test('seeding again adds nothing', async () => {
      const count = async () =>
        Number(
          (
            await ctx.db
              .selectFrom('claims')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      const before = await count()
      await seedDemo(ctx)
      assert.equal(await count(), before)
    })
  })

  describe(`the demo's reliability history after a seeding killed half-way (${engine})`, () => {
    let database: TestDatabase
    before(async () => {
      database = await openTestDatabase(engine)
    })
    after(() => database?.dispose())

    test('seeding again loads the units and claims still missing', async () => {
      const ctx = createTestContext(database, { now: () => new Date('2026-03-15T09:00:00.000Z') })
      await seedDemoRegistry(ctx)
      // What a kill after the first chunk of units leaves: the first unit is there, the
      // other units and every past claim are not.
      const nowIso = ctx.now().toISOString()
      await ctx.db
        .insertInto('units')
        .values({
          serial: 'Z455P-00000',
          model_id: DEMO_RELIABILITY_MODEL,
          batch: 'B1',
          channel: 'direct',
          dealer_org_id: null,
          seller_org_id: ORG.playerOne,
          shipped_by: 'vendor',
          purchased_on: '2023-03-01',
          shipped_on: '2023-03-02',
          delivered_on: '2023-03-05',
          activated_on: null,
          owner_customer_id: null,
          second_hand: 0,
          proof_of_purchase: 1,
          warranty_card: 1,
          replaced_by_serial: null,
          policy_id: 'player-one',
          policy_version: ctx.policies.summary('player-one')?.version ?? '1',
          created_at: nowIso,
          updated_at: nowIso,
        })
        .execute()
      const seeded = await seedDemoReliability(ctx)
      assert.ok(seeded.claims > 150, `${seeded.claims} claims`)
      const report = await buildReliabilityReport(ctx, { model: DEMO_RELIABILITY_MODEL })
      const units = await ctx.db
        .selectFrom('units')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('serial', 'like', 'Z455P-%')
        .executeTakeFirstOrThrow()
      assert.equal(Number(units.n), 4000)
      assert.ok(report.counts.failures > 150, `${report.counts.failures} failures`)
    })
  })
}
