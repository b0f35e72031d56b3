import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import { enqueueWebhookEvent } from './outbox.ts'

for (const engine of testEngines()) {
  describe(`webhook routes (${engine})`, () => {
    let database: TestDatabase
    let app: HttpApp
    let admin: Record<string, string>
    let support: Record<string, string>
    before(async () => {
      database = await openTestDatabase(engine)
      app = await buildApp(createTestContext(database), { webDir: null })
      admin = (await createTestUser(database.db, { role: 'admin' })).headers
      support = (await createTestUser(database.db, { role: 'support' })).headers
    })
    after(async () => {
      await app.close()
      await database.dispose()
    })

    it('lets an admin subscribe, list and remove a webhook; events then reach the outbox', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: admin,
        payload: {
          url: 'https://erp.example.com/aftercare',
          eventTypes: ['rma.authorized', 'rma.authorized'],
        },
      })
      assert.equal(created.statusCode, 201, created.body)
      const body = created.json()
      assert.match(body.secret, /^whsec_/)
      assert.deepEqual(body.eventTypes, ['rma.authorized'])

      const list = await app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: admin })
      assert.equal(list.statusCode, 200)
      assert.deepEqual(
        list.json().items.map((i: { id: string; secret?: string }) => [i.id, i.secret]),
        [[body.id, undefined]],
        'the secret is not shown again',
      )

      await enqueueWebhookEvent(database.db, { type: 'rma.authorized', claimId: 'c1', data: {} })
      const outbox = await app.inject({ method: 'GET', url: '/api/v1/outbox?status=pending', headers: admin })
      assert.equal(outbox.statusCode, 200)
      assert.deepEqual(
        outbox.json().items.map((i: { recipient: string; topic: string }) => [i.recipient, i.topic]),
        [['https://erp.example.com/aftercare', 'rma.authorized']],
      )

      const removed = await app.inject({
        method: 'DELETE',
        url: `/api/v1/webhooks/${body.id}`,
        headers: admin,
      })
      assert.equal(removed.statusCode, 204)
      const again = await app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${body.id}`, headers: admin })
      assert.equal(again.statusCode, 404)
    })

    it('refuses a URL that is not http(s), naming the field', async () => {
      for (const url of [
        'ftp://files.example.com/x',
        'javascript:alert(1)',
        'https://user:pw@example.com/',
      ]) {
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/webhooks',
          headers: admin,
          payload: { url, eventTypes: ['*'] },
        })
        assert.equal(response.statusCode, 400, url)
        assert.equal(response.json().error.field, 'body.url', url)
      }
      const badType = await app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: admin,
        payload: { url: 'https://example.com/h', eventTypes: ['Claim Opened'] },
      })
      assert.equal(badType.statusCode, 400)
      assert.match(badType.json().error.field, /^body\.eventTypes/)
    })

    it('keeps webhooks and the outbox to admins', async () => {
      const anonymous = await app.inject({ method: 'GET', url: '/api/v1/webhooks' })
      assert.equal(anonymous.statusCode, 401)
      const staff = await app.inject({ method: 'GET', url: '/api/v1/outbox', headers: support })
      assert.equal(staff.statusCode, 403)
      const create = await app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: support,
        payload: { url: 'https://example.com/h', eventTypes: ['*'] },
      })
      assert.equal(create.statusCode, 403)
    })
  })
}
