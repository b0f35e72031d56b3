import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { seedDemoRegistry } from '../registry/demo-seed.ts'
import type { AppContext } from '../shared/app-context.ts'
import { seedDemoOnFirstStart } from './seed-demo.ts'
import { createTestContext } from './test-context.ts'

for (const engine of testEngines()) {
  describe(`a first start's demo seeding (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    before(async () => {
      database = await openTestDatabase(engine)
      ctx = createTestContext(database, { now: () => new Date('2026-03-15T09:00:00.000Z') })
    })
    after(() => database?.dispose())

    const admin = () =>
      ctx.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'admin@demo.aftercare.local')
        .executeTakeFirst()

    test('a database with organisations and no record of a demo seeding is left alone', async () => {
      // What a seeding killed after its first transaction left before the record was kept,
      // and, as far as this check can tell, an installation set up for real.
      await seedDemoRegistry(ctx)
      let told = false
      assert.equal(
        await seedDemoOnFirstStart(ctx, () => {
          told = true
        }),
        false,
      )
      assert.equal(told, false)
      assert.equal(await admin(), undefined)
    })

    test('a demo seeding that never finished is seeded again, whole, and then recorded finished', async () => {
      // The record a seeding writes before its first row, left unfinished by a kill.
      await ctx.db
        .insertInto('demo_seed')
        .values({ id: 1, started_at: ctx.now().toISOString(), finished_at: null })
        .execute()
      let told = false
      assert.equal(
        await seedDemoOnFirstStart(ctx, () => {
          told = true
        }),
        true,
      )
      assert.equal(told, true, 'the operator is told the demo is being seeded')
      assert.ok(await admin(), 'the demo sign-ins are there')
      const claims = await ctx.db
        .selectFrom('claims')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      assert.ok(Number(claims.n) > 100, `${claims.n} claims`)
      const record = await ctx.db.selectFrom('demo_seed').select('finished_at').executeTakeFirstOrThrow()
      assert.ok(record.finished_at)
      assert.equal(await seedDemoOnFirstStart(ctx, () => {}), false, 'a finished demo is not seeded again')
    })
  })

  describe(`a first start on an empty ${engine} database`, () => {
    let database: TestDatabase
    before(async () => {
      database = await openTestDatabase(engine)
    })
    after(() => database?.dispose())

    test('records the demo seeding before its first row', async () => {
      const ctx = createTestContext(database, { now: () => new Date('2026-03-15T09:00:00.000Z') })
      // The seeding stops at its first query after the record: as a kill there would.
      const stopped = await seedDemoOnFirstStart(ctx, () => {
        throw new Error('killed')
      }).then(
        () => undefined,
        (error: unknown) => error,
      )
      assert.equal((stopped as Error).message, 'killed')
      const record = await ctx.db.selectFrom('demo_seed').selectAll().executeTakeFirstOrThrow()
      assert.equal(record.finished_at, null)
    })
  })
}
