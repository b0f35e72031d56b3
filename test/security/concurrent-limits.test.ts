import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
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
