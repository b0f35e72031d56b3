import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { type ClaimsWorld, ORG, openClaimsWorld, type Party, TODAY } from '../claims/claim-factories.ts'
import { orgUser, recoveriesOfClaim, seedDealerWarrantyRepair, step, tryStep } from './recovery-factories.ts'

for (const engine of testEngines()) {
  describe(`${engine}: money recorded on a recovery claim`, () => {
    let world: ClaimsWorld
    let playerOne: Party
    let recoveryId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      playerOne = await orgUser(world, ORG.playerOne)
      const [recovery] = await recoveriesOfClaim(world, await seedDealerWarrantyRepair(world))
      assert.equal(recovery?.currency, 'USD')
      recoveryId = recovery?.id ?? ''
      await step(world, world.dealer, recoveryId, 'submit')
      await step(world, playerOne, recoveryId, 'accept')
    })
    after(() => world.close())

    test('a payment in another currency is refused, not booked as dollars', async () => {
      const payment = { amountMinor: 18000, paidOn: TODAY, reference: 'SWIFT-9' }
      const refused = await tryStep(world, playerOne, recoveryId, 'record-payment', {
        ...payment,
        currency: 'EUR',
      })
      assert.equal(refused.statusCode, 400, refused.body)
      assert.match(refused.body, /paid in USD/)
      const unpaid = await world.app.inject({
        method: 'GET',
        url: `/api/v1/recoveries/${recoveryId}`,
        headers: world.staff.headers,
      })
      assert.deepEqual(
        [unpaid.json().state, unpaid.json().totals.paidMinor, unpaid.json().paid],
        ['accepted', 0, null],
      )
      const paid = await step(world, playerOne, recoveryId, 'record-payment', { ...payment, currency: 'USD' })
      assert.equal(paid.totals.paidMinor, 18000)
    })
  })
}
