import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedPlayerOneUnit,
  seedShenzhenAgentUnit,
  tryAct,
} from '../claims/claim-factories.ts'

/**
 * Text made only of characters nothing shows: spaces of every kind and the format and
 * fillers a renderer ignores (zero-width space and joiners, word joiner, BOM, soft hyphen,
 * Hangul filler). None of it is a message, an answer, a reason or a name on a parcel.
 */
const INVISIBLE = [
  ' ',
  '\u00a0',
  '\u3000',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u3164',
]
const invisibleText = fc
  .array(fc.constantFrom(...INVISIBLE), { minLength: 1, maxLength: 12 })
  .map((chars) => chars.join(''))
  // At least one that JavaScript's trim() keeps: text all spaces is refused already.
  .filter((text) => text.trim() !== '')

for (const engine of testEngines()) {
  describe(`${engine}: text that shows nothing is refused like empty text`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    const messagesOf = (claimId: string) =>
      world.database.db.selectFrom('claim_messages').select('id').where('claim_id', '=', claimId).execute()

    test('an invisible message neither joins the thread nor answers a request for information', async () => {
      const serial = await seedShenzhenAgentUnit(world)
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
      await act(world, world.staff, claim.id, 'authorize-return')
      await act(world, world.staff, claim.id, 'receive-unit')
      await act(world, world.staff, claim.id, 'request-info', { request: 'Please send the serial label.' })
      const before = await messagesOf(claim.id)
      await fc.assert(
        fc.asyncProperty(invisibleText, async (body) => {
          const posted = await world.app.inject({
            method: 'POST',
            url: `/api/v1/claims/${claim.id}/messages`,
            headers: world.customer.headers,
            payload: { body },
          })
          assert.equal(posted.statusCode, 400, `${JSON.stringify(body)}: ${posted.body}`)
          assert.equal(posted.json().error.field, 'body.body')
          const answered = await tryAct(world, world.customer, claim.id, 'provide-info', { answer: body })
          assert.equal(answered.statusCode, 400, `${JSON.stringify(body)}: ${answered.body}`)
          assert.equal(answered.json().error.field, 'body.answer')
        }),
        { numRuns: 25 },
      )
      const stored = await world.database.db
        .selectFrom('claims')
        .select(['state'])
        .where('id', '=', claim.id)
        .executeTakeFirstOrThrow()
      assert.equal(stored.state, 'awaiting-info', 'the question is still open')
      assert.equal((await messagesOf(claim.id)).length, before.length, 'nothing was half-written')
    })

    test('an address or a profile name that shows nothing is refused naming the field', async () => {
      const address = {
        name: 'Li Wei',
        street: '88 Xueyuan Road',
        city: 'Hangzhou',
        country: 'CN',
      }
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('name', 'street', 'city'),
          invisibleText,
          async (field: keyof typeof address, value) => {
            const saved = await world.app.inject({
              method: 'POST',
              url: '/api/v1/me/addresses',
              headers: world.customer.headers,
              payload: { ...address, [field]: value },
            })
            assert.equal(saved.statusCode, 400, `${field}=${JSON.stringify(value)}: ${saved.body}`)
            assert.equal(saved.json().error.field, `body.${field}`)
          },
        ),
        { numRuns: 25 },
      )
      const renamed = await world.app.inject({
        method: 'PATCH',
        url: '/api/v1/me/profile',
        headers: world.customer.headers,
        payload: { name: '\u200b\u3164' },
      })
      assert.equal(renamed.statusCode, 400, renamed.body)
      assert.equal(renamed.json().error.field, 'body.name')
      const addresses = await world.database.db
        .selectFrom('customer_addresses')
        .select('id')
        .where('customer_id', '=', 'cus-alice')
        .execute()
      assert.equal(addresses.length, 0, 'no refused address was kept')
    })

    test('a unit passed on to a buyer named by nothing visible is refused; no buyer record is made', async () => {
      const serial = await seedPlayerOneUnit(world)
      const email = 'second-hand.buyer@example.com'
      await fc.assert(
        fc.asyncProperty(invisibleText, async (toName) => {
          const offered = await world.app.inject({
            method: 'POST',
            url: `/api/v1/units/${serial}/transfers`,
            headers: world.customer.headers,
            payload: { toEmail: email, toName },
          })
          assert.equal(offered.statusCode, 400, `${JSON.stringify(toName)}: ${offered.body}`)
          assert.equal(offered.json().error.field, 'body.toName')
        }),
        { numRuns: 15 },
      )
      const buyer = await world.database.db
        .selectFrom('customers')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirst()
      assert.equal(buyer, undefined)
    })
  })
}
