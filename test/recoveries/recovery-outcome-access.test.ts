import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { type ClaimsWorld, openClaimsWorld, type Party } from '../claims/claim-factories.ts'
import { recoveriesOfClaim, seedRetailerDoaRefund } from './recovery-factories.ts'

/**
 * The outcome of a claim is read by whoever may see the claim, the customer among them; the
 * recovery claims it names are the seller's and its supplier's. A reader is named only those
 * it may open: the others are money between other parties.
 */
for (const engine of testEngines()) {
  describe(`${engine}: the recovery claims a claim's outcome names`, () => {
    let world: ClaimsWorld
    let claimId: string
    let recoveryId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      claimId = await seedRetailerDoaRefund(world)
      const [recovery] = await recoveriesOfClaim(world, claimId)
      assert.ok(recovery)
      recoveryId = recovery.id
    })
    after(() => world.close())

    const outcomeAs = async (party: Party) => {
      const response = await world.app.inject({
        method: 'GET',
        url: `/api/v1/recoveries/outcomes/${claimId}`,
        headers: party.headers,
      })
      assert.equal(response.statusCode, 200, response.body)
      return response.json() as { outcome: string; lineCount: number; recoveryIds: string[] }
    }

    test('staff are named the recovery claim; the customer, who cannot open it, is not', async () => {
      assert.deepEqual((await outcomeAs(world.staff)).recoveryIds, [recoveryId])
      const opened = await world.app.inject({
        method: 'GET',
        url: `/api/v1/recoveries/${recoveryId}`,
        headers: world.customer.headers,
      })
      assert.equal(opened.statusCode, 404)
      assert.deepEqual(
        (await outcomeAs(world.customer)).recoveryIds,
        [],
        'the customer is told which recovery claims the seller filed against its supplier',
      )
    })
  })
}
