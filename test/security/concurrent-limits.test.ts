import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../../src/app/test-context.ts'
import { openTestDatabase, testEngines } from '../../src/db/test-database.ts'
import { buildApp } from '../../src/http/app.ts'
import { MAX_ADDRESSES } from '../../src/registry/profile.routes.ts'
import { type ClaimsWorld, openClaimsWorld } from '../claims/claim-factories.ts'

for (const engine of testEngines()) {
  describe(`${engine}: limits hold when requests race`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('saves racing for the last free address slot store one address, not one each', async () => {
      const address = { name: 'Li Wei', street: '88 Xueyuan Road', city: 'Hangzhou', country: 'CN' }
      const save = () =>
        world.app.inject({
          method: 'POST',
          url: '/api/v1/me/addresses',
          headers: world.customer.headers,
          payload: address,
        })
      for (let i = 0; i < MAX_ADDRESSES - 1; i++) assert.equal((await save()).statusCode, 201)
      const answers = await Promise.all(Array.from({ length: 8 }, save))
      const statuses = answers.map((a) => a.statusCode).sort()
      assert.deepEqual(statuses, [201, ...Array(7).fill(409)], JSON.stringify(statuses))
      const stored = await world.database.db
        .selectFrom('customer_addresses')
        .select('id')
        .where('customer_id', '=', world.customer.customerId ?? '')
        .execute()
      assert.equal(stored.length, MAX_ADDRESSES)
    })
  })
}

for (const engine of testEngines()) {
  describe(`${engine}: set-up races`, () => {
    test('set-ups racing on an empty installation make one seller and one admin; the others are refused', async () => {
      const database = await openTestDatabase(engine)
      const app = await buildApp(createTestContext(database), { webDir: null, rateLimits: false })
      try {
        const setUp = (n: number) =>
          app.inject({
            method: 'POST',
            url: '/api/v1/setup',
            payload: {
              seller: `Seller ${n}`,
              adminEmail: `admin${n}@example.com`,
              password: 'a-long-secret-1',
            },
          })
        const answers = await Promise.all(Array.from({ length: 6 }, (_, n) => setUp(n)))
        const statuses = answers.map((a) => a.statusCode).sort()
        assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409], JSON.stringify(statuses))
        const admins = await database.db.selectFrom('users').select('email').execute()
        const sellers = await database.db.selectFrom('organisations').select('id').execute()
        assert.equal(admins.length, 1, `one first admin, not ${JSON.stringify(admins)}`)
        assert.equal(sellers.length, 1)
      } finally {
        await app.close()
        await database.dispose()
      }
    })
  })
}
