import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { AppError } from '../shared/errors.ts'
import { enqueueEmail, enqueueWebhookEvent } from './outbox.ts'

for (const engine of testEngines()) {
  describe(`outbox enqueue (${engine})`, () => {
    let tdb: TestDatabase
    before(async () => {
      tdb = await openTestDatabase(engine)
    })
    after(async () => {
      await tdb.dispose()
    })

    it('writes the e-mail in the caller transaction and rolls back with it', async () => {
      const committed = await tdb.db.transaction().execute((trx) =>
        enqueueEmail(trx, {
          to: 'li.wei@example.cn',
          template: 'claim.opened',
          locale: 'zh',
          data: { claimNumber: 'C-1001' },
          claimId: 'claim-1',
        }),
      )
      await assert.rejects(
        tdb.db.transaction().execute(async (trx) => {
          await enqueueEmail(trx, {
            to: 'anna@example.com',
            template: 'claim.opened',
            locale: 'en',
            data: { claimNumber: 'C-1002' },
          })
          throw new Error('the caller fails after enqueueing')
        }),
        /caller fails/,
      )
      const rows = await tdb.db.selectFrom('outbox_messages').selectAll().execute()
      assert.deepEqual(
        rows.map((r) => [r.id, r.recipient, r.topic, r.status, r.claim_id, r.attempts]),
        [[committed, 'li.wei@example.cn', 'claim.opened', 'pending', 'claim-1', 0]],
      )
    })

    it('names the missing template field, the unknown template and a bad address', async () => {
      await assert.rejects(
        enqueueEmail(tdb.db, {
          to: 'a@example.com',
          template: 'rma.authorized',
          locale: 'en',
          data: { claimNumber: 'C-1', rmaNumber: 'RMA-1', itemsToInclude: [] },
        }),
        (error: unknown) => error instanceof AppError && error.field === 'data.shipTo',
      )
      await assert.rejects(
        enqueueEmail(tdb.db, { to: 'a@example.com', template: 'claim.exploded', locale: 'en', data: {} }),
        (error: unknown) => error instanceof AppError && error.field === 'template',
      )
      await assert.rejects(
        enqueueEmail(tdb.db, {
          to: 'not-an-address',
          template: 'claim.closed',
          locale: 'en',
          data: { claimNumber: 'C-1' },
        }),
        (error: unknown) => error instanceof AppError && error.field === 'to',
      )
    })

    it('writes one webhook delivery per matching active subscription', async () => {
      const now = new Date('2026-03-01T08:00:00.000Z').toISOString()
      const base = { secret: 's', created_by: 'admin-1', created_at: now }
      await tdb.db
        .insertInto('webhook_subscriptions')
        .values([
          { id: 'sub-all', url: 'http://127.0.0.1:1/all', event_types: '["*"]', active: 1, ...base },
          {
            id: 'sub-rma',
            url: 'http://127.0.0.1:1/rma',
            event_types: '["rma.authorized"]',
            active: 1,
            ...base,
          },
          { id: 'sub-off', url: 'http://127.0.0.1:1/off', event_types: '["*"]', active: 0, ...base },
          {
            id: 'sub-other',
            url: 'http://127.0.0.1:1/x',
            event_types: '["claim.closed"]',
            active: 1,
            ...base,
          },
        ])
        .execute()
      const ids = await enqueueWebhookEvent(tdb.db, {
        type: 'rma.authorized',
        claimId: 'claim-9',
        data: { rmaNumber: 'RMA-9' },
      })
      const rows = await tdb.db
        .selectFrom('outbox_messages')
        .selectAll()
        .where('channel', '=', 'webhook')
        .orderBy('subscription_id')
        .execute()
      assert.equal(ids.length, 2)
      assert.deepEqual(
        rows.map((r) => r.subscription_id),
        ['sub-all', 'sub-rma'],
      )
      const body = JSON.parse(rows[0]?.payload ?? '{}')
      assert.equal(body.type, 'rma.authorized')
      assert.equal(body.claimId, 'claim-9')
      assert.equal(body.claimPage, '/claims/claim-9', 'the same claim page the e-mails link to')
      assert.deepEqual(body.data, { rmaNumber: 'RMA-9' })
      assert.equal(rows[0]?.payload, rows[1]?.payload, 'every subscriber gets the same event body')
    })
  })
}
