import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { type ClaimsWorld, openClaimsWorld } from '../claims/claim-factories.ts'

/**
 * A recovery request naming a record that does not exist is refused naming its field, as the
 * command line refuses the same flag, instead of answering as if done: a derivation of no claim
 * said it had derived nothing, a ledger of no organisation that it owed nothing.
 */
for (const engine of testEngines()) {
  describe(`${engine}: recovery requests naming nothing`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    const countOutcomes = async () =>
      Number(
        (
          await world.database.db
            .selectFrom('recovery_outcomes')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )

    test('deriving a claim that does not exist is refused naming body.claimId, and writes nothing', async () => {
      const before = await countOutcomes()
      for (const language of ['en', 'zh']) {
        const response = await world.app.inject({
          method: 'POST',
          url: '/api/v1/recoveries/derive',
          headers: { ...world.staff.headers, 'accept-language': language },
          payload: { claimId: 'no-such-claim' },
        })
        assert.equal(response.statusCode, 400, response.body)
        const { error } = response.json() as { error: { field: string; message: string } }
        assert.equal(error.field, 'body.claimId')
        assert.match(error.message, /body\.claimId/)
        assert.match(error.message, /no-such-claim/)
      }
      assert.equal(await countOutcomes(), before)
    })

    test('staff asking for the ledger of an organisation that does not exist are refused naming querystring.orgId', async () => {
      const response = await world.app.inject({
        method: 'GET',
        url: '/api/v1/recoveries/summary?orgId=org-nobody',
        headers: world.staff.headers,
      })
      assert.equal(response.statusCode, 404, response.body)
      const { error } = response.json() as { error: { field: string; message: string } }
      assert.equal(error.field, 'querystring.orgId')
      assert.match(error.message, /org-nobody/)
    })
  })
}
