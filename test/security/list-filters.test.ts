import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { CLAIM_STATES } from '../../src/claims/domain/claim-lifecycle.ts'
import { testEngines } from '../../src/db/test-database.ts'
import {
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedPlayerOneUnit,
} from '../claims/claim-factories.ts'

/**
 * A filter on a value that does not exist is a mistake of the caller (`awaiting_info` for
 * `awaiting-info`), not a question whose answer is "none": an empty page would tell a shop's
 * system that no claim waits for it.
 */
const QUEUE_WORDS = ['open', 'closed', 'all']
const notAState = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 50 }),
    fc.constantFrom(...CLAIM_STATES).map((s) => s.replace('-', '_')),
    fc.constantFrom(...CLAIM_STATES).map((s) => s.toUpperCase()),
  )
  .filter((s) => !(CLAIM_STATES as readonly string[]).includes(s) && !QUEUE_WORDS.includes(s))
  // Spaces, NUL and the like are refused by the edge already, naming the same field.
  .filter((s) => /^[\x21-\x7e]+$/.test(s))

for (const engine of testEngines()) {
  describe(`${engine}: list filters name the values they take`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
      await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))
    })
    after(() => world.close())

    const get = (url: string) => world.app.inject({ method: 'GET', url, headers: world.customer.headers })

    test('an unknown claim state is refused naming the parameter, in the claim list and the queue', async () => {
      await fc.assert(
        fc.asyncProperty(notAState, async (value) => {
          const q = encodeURIComponent(value)
          for (const [url, field] of [
            [`/api/v1/claims?state=${q}`, 'querystring.state'],
            [`/api/v1/claim-queue?status=${q}`, 'querystring.status'],
          ] as const) {
            const answer = await get(url)
            assert.equal(answer.statusCode, 400, `${url}: ${answer.body}`)
            assert.equal(answer.json().error.field, field, url)
          }
        }),
        { numRuns: 40 },
      )
    })

    test('every state and the queue’s own words are still answered', async () => {
      for (const state of CLAIM_STATES) {
        assert.equal((await get(`/api/v1/claims?state=${state}`)).statusCode, 200, state)
        assert.equal((await get(`/api/v1/claim-queue?status=${state}`)).statusCode, 200, state)
      }
      const fresh = await get('/api/v1/claims?state=new')
      assert.equal(fresh.json().items.length, 1, 'the filter still finds the customer’s new claim')
      for (const word of QUEUE_WORDS)
        assert.equal((await get(`/api/v1/claim-queue?status=${word}`)).statusCode, 200, word)
    })
  })
}

for (const engine of testEngines()) {
  describe(`${engine}: searches find text with the characters LIKE treats as wildcards`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
      await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))
      await world.database.db
        .updateTable('customers')
        .set({ name: 'Ann_Lee 100% sure', email: 'ann_lee%x@example.com' })
        .where('id', '=', 'cus-alice')
        .execute()
    })
    after(() => world.close())

    test('the work queue finds a customer by a name or e-mail with _ and %, and _ matches only itself', async () => {
      const search = async (q: string) =>
        (
          await world.app.inject({
            method: 'GET',
            url: `/api/v1/claim-queue?q=${encodeURIComponent(q)}`,
            headers: world.staff.headers,
          })
        ).json().items as { customer: { name: string } | null }[]
      for (const q of ['Ann_Lee', '100%', 'ann_lee%x@', 'LEE 100% S'])
        assert.ok(
          (await search(q)).some((i) => i.customer?.name === 'Ann_Lee 100% sure'),
          `found by ${q}`,
        )
      assert.equal((await search('Ann-Lee')).length, 0, '_ is not a wildcard')
      const desk = await world.app.inject({
        method: 'GET',
        url: `/api/v1/dealer-desk/units?q=${encodeURIComponent('ann_lee%x')}`,
        headers: world.staff.headers,
      })
      assert.ok(
        (desk.json().items as { customer: { name: string } | null }[]).some(
          (u) => u.customer?.name === 'Ann_Lee 100% sure',
        ),
        desk.body.slice(0, 300),
      )
    })
  })
}
