import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { type ClaimsWorld, openClaimsWorld } from '../claims/claim-factories.ts'

for (const engine of testEngines()) {
  describe(`${engine}: paging saved addresses`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
      world.app.inject({ method, url, headers: world.customer.headers, ...(payload ? { payload } : {}) })

    test('a cursor that is not one of mine is refused naming it, never answered with the first page again', async () => {
      for (const city of ['Hangzhou', 'Ningbo', 'Wenzhou'])
        await call('POST', '/api/v1/me/addresses', { name: 'Li Wei', street: '1 Road', city, country: 'CN' })
      const ids: string[] = (await call('GET', '/api/v1/me/addresses'))
        .json()
        .items.map((a: { id: string }) => a.id)
      const first = await call('GET', '/api/v1/me/addresses?limit=1')
      assert.equal(first.json().next, ids[0])
      // The address the cursor names is removed between two pages.
      assert.equal((await call('DELETE', `/api/v1/me/addresses/${ids[0]}`)).statusCode, 204)
      for (const [name, value] of [
        ['cursor', ids[0]],
        ['cursor', 'adr-made-up'],
        ['after', 'adr-made-up'],
      ] as const) {
        const page = await call('GET', `/api/v1/me/addresses?limit=1&${name}=${value}`)
        assert.equal(page.statusCode, 400, `${name}=${value}: ${page.body}`)
        assert.equal(page.json().error.field, `querystring.${name}`)
      }
      const next = await call('GET', `/api/v1/me/addresses?limit=1&cursor=${ids[1]}`)
      assert.deepEqual(
        next.json().items.map((a: { id: string }) => a.id),
        [ids[2]],
      )
    })
  })
}
