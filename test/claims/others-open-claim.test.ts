import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  type ClaimsWorld,
  holdUpload,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedPlayerOneUnit,
} from './claim-factories.ts'

/**
 * A unit nobody has registered can be claimed by whoever shows a proof of purchase for it. Its buyer, claiming
 * it next, is refused a second claim, and is told where to turn: not to "add to that claim",
 * which they cannot see, and without a word of whose claim it is.
 */
for (const engine of testEngines()) {
  describe(`another party's open claim on a unit (${engine})`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(async () => world.close())

    test('the second claimant learns a claim is open and to ask the service team, in English and Chinese', async () => {
      const serial = await seedPlayerOneUnit(world)
      await world.database.db
        .updateTable('units')
        .set({ owner_customer_id: null })
        .where('serial', '=', serial)
        .execute()
      const proof = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const first = await openClaimAs(world, world.otherCustomer, openClaimBody(serial, { files: [proof] }))
      for (const [language, says] of [
        ['en', /contact the service team/],
        ['zh', /请联系售后服务团队/],
      ] as const) {
        const refused = await world.app.inject({
          method: 'POST',
          url: '/api/v1/claims',
          headers: { ...world.customer.headers, 'accept-language': language },
          // With their own proof of purchase: without one they are asked for it, and learn nothing more.
          payload: openClaimBody(serial, {
            files: [await holdUpload(world, world.customer, 'proof-of-purchase')],
          }),
        })
        assert.equal(refused.statusCode, 409, refused.body)
        const { error } = refused.json() as {
          error: { field: string; message: string; details?: Record<string, unknown> }
        }
        assert.equal(error.field, 'body.serial')
        assert.match(error.message, says)
        assert.doesNotMatch(error.message, /add to that claim|在该申请中补充/)
        assert.ok(!refused.body.includes(first.id), 'nothing names the other party’s claim')
        assert.deepEqual(error.details ?? {}, {})
      }
    })
  })
}
