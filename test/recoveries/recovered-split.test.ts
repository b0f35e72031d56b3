import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { type ClaimsWorld, ORG, openClaimsWorld, TODAY } from '../claims/claim-factories.ts'
import { orgUser, recoveriesOfClaim, seedDealerWarrantyRepair, step } from './recovery-factories.ts'

/**
 * The cost-of-warranty report credits each recovery line its share of what the debtor paid for
 * the whole recovery claim. Shares are whole minor units and add up to the payment: rounding
 * each share on its own counted a cent more than was paid when two lines split an odd amount.
 */
for (const engine of testEngines()) {
  describe(`${engine}: what a recovery payment recovered, line by line`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
      const playerOne = await orgUser(world, ORG.playerOne)
      // Parts at 60.00 and labour at 1.5 h × 40.00: two lines of 60.00 each.
      const claimId = await seedDealerWarrantyRepair(world, [
        { kind: 'parts', description: 'Fan', quantity: 1, unitPriceMinor: 6000 },
      ])
      const [recovery] = await recoveriesOfClaim(world, claimId)
      assert.deepEqual(
        recovery?.lines.map((l) => l.amountMinor),
        [6000, 6000],
      )
      const id = recovery?.id ?? ''
      await step(world, world.dealer, id, 'submit')
      await step(world, playerOne, id, 'accept')
      await step(world, playerOne, id, 'record-payment', {
        amountMinor: 11999,
        paidOn: TODAY,
        reference: 'SWIFT-ODD',
      })
    })
    after(() => world.close())

    test('an odd payment split over two equal lines is recovered to the cent, not a cent more', async () => {
      for (const query of ['', `?dealer=${ORG.starlight}`]) {
        const response = await world.app.inject({
          method: 'GET',
          url: `/api/v1/reports/warranty-cost${query}`,
          headers: world.staff.headers,
        })
        assert.equal(response.statusCode, 200, response.body)
        const usd = (
          response.json() as {
            recovery: { currency: string; claimedMinor: number; recoveredMinor: number }[]
          }
        ).recovery.find((r) => r.currency === 'USD')
        assert.deepEqual([usd?.claimedMinor, usd?.recoveredMinor], [12000, 11999], query)
      }
    })
  })
}
