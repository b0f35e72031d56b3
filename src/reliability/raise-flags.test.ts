import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { renderEmail } from '../notify/domain/render-email.ts'
import type { AppContext } from '../shared/app-context.ts'
import { buildReliabilityReport } from './build-reliability-report.ts'
import { AS_OF, STEPPED_BATCH_MODEL } from './generated-registry.test-support.ts'
import { raiseReliabilityFlags, startReliabilitySweeper } from './raise-flags.ts'
import { seedSyntheticModel } from './synthetic-registry.ts'

interface Flag {
  scope: string
  key: string
  month: string
  level: string
}

for (const engine of testEngines()) {
  describe(`reliability warnings notify managers once (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    const managers: string[] = []

    before(async () => {
      database = await openTestDatabase(engine)
      ctx = createTestContext(database, { now: () => new Date(`${AS_OF}T12:00:00.000Z`) })
      // Batch B2 steps up its failure rate from September.
      await seedSyntheticModel(ctx.db, STEPPED_BATCH_MODEL)
      for (const name of ['a', 'b']) {
        const email = `manager-${name}@seller.example`
        await createTestUser(ctx.db, { role: 'manager', email })
        managers.push(email)
      }
      // Manager b chose Chinese in the web app; a keeps the seller's country's language.
      await ctx.db
        .updateTable('users')
        .set({ locale: 'zh' })
        .where('email', '=', 'manager-b@seller.example')
        .execute()
      await createTestUser(ctx.db, { role: 'support', email: 'support@seller.example' })
    })
    after(async () => {
      await database?.dispose()
    })

    const warningMails = () =>
      ctx.db
        .selectFrom('outbox_messages')
        .select(['recipient', 'payload', 'locale'])
        .where('topic', '=', 'reliability.warning')
        .where('channel', '=', 'email')
        .orderBy('recipient')
        .orderBy('payload')
        .execute()

    test('the first run raises the flags and e-mails every manager once per flag', async () => {
      const first = await raiseReliabilityFlags(ctx, AS_OF)
      assert.ok(first.raised > 0, 'the stepped-up batch is flagged')
      assert.equal(first.mailed, first.raised)
      const mails = await warningMails()
      assert.equal(mails.length, first.raised * managers.length)
      assert.deepEqual([...new Set(mails.map((m) => m.recipient))].sort(), managers.sort())
      const localeOf = (recipient: string) => [
        ...new Set(mails.filter((m) => m.recipient === recipient).map((m) => m.locale)),
      ]
      assert.deepEqual(localeOf('manager-a@seller.example'), ['en'], "the seller's country's language")
      assert.deepEqual(localeOf('manager-b@seller.example'), ['zh'], 'the language the manager chose')
      const batchMail = mails.find((m) => JSON.parse(m.payload).batch === 'B2')
      assert.ok(batchMail, 'batch B2 is named in a warning e-mail')
      const rendered = renderEmail('reliability.warning', 'en', JSON.parse(batchMail.payload), {
        publicUrl: 'https://service.example.com',
        claimId: null,
      })
      assert.match(rendered.subject, /batch B2 of Nova RX-2/)
      const flags = await ctx.db.selectFrom('reliability_flags').select('notified_at').execute()
      assert.ok(flags.every((f) => f.notified_at !== null))
    })

    test('a second run sends nothing new', async () => {
      const before = await warningMails()
      const second = await raiseReliabilityFlags(ctx, AS_OF)
      assert.ok(second.warnings > 0, 'the warnings are still there')
      assert.equal(second.raised, 0)
      assert.equal(second.mailed, 0)
      assert.deepEqual(await warningMails(), before)
    })

    test("the server's sweeper runs the same check and stops cleanly", async () => {
      await ctx.db.deleteFrom('reliability_flags').execute()
      await ctx.db.deleteFrom('outbox_messages').execute()
      const errors: unknown[] = []
      const stop = startReliabilitySweeper(ctx, {
        intervalMs: 3_600_000,
        firstDelayMs: 0,
        onError: (error) => errors.push(error),
      })
      let flags = 0
      for (let i = 0; i < 600 && flags === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        flags = (await ctx.db.selectFrom('reliability_flags').select('id').execute()).length
      }
      await stop()
      assert.deepEqual(errors, [])
      assert.ok(flags > 0)
      const byWarning = (a: Flag, b: Flag) =>
        `${a.scope} ${a.key} ${a.month} ${a.level}`.localeCompare(`${b.scope} ${b.key} ${b.month} ${b.level}`)
      const after = (
        await ctx.db.selectFrom('reliability_flags').select(['scope', 'key', 'month', 'level']).execute()
      ).sort(byWarning)
      assert.equal((await warningMails()).length, after.length * managers.length)
      // The page asked without a day is as of today in the seller's zone, and the sweeper flags
      // the warnings it shows.
      const page = await buildReliabilityReport(ctx, { model: 'model-rx' })
      const shown = page.warnings
        .map((w): Flag => ({ scope: w.scope, key: w.key, month: w.month, level: w.level }))
        .sort(byWarning)
      assert.deepEqual(after, shown)
    })
  })
}
