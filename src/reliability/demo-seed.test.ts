import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { seedDemo } from '../app/seed-demo.ts'
import { createTestContext } from '../app/test-context.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { buildReliabilityReport } from './build-reliability-report.ts'
import { DEMO_RELIABILITY_MODEL } from './demo-seed.ts'

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
}
