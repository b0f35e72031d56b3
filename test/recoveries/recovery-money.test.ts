import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  addDays,
  type ClaimsWorld,
  ORG,
  openClaimsWorld,
  type Party,
  TODAY,
  tryAct,
} from '../claims/claim-factories.ts'
import {
  listRecoveriesAs,
  orgUser,
  recoveriesOfClaim,
  seedDealerWarrantyRepair,
  seedRetailerDoaDecided,
  seedRetailerDoaRefund,
  step,
  tryStep,
} from './recovery-factories.ts'

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

    test('a payment dated before the recovery claim was submitted is refused naming paidOn, and books nothing', async () => {
      // Submitted on TODAY at 08:00 UTC: the day before is its day nowhere on Earth.
      for (const paidOn of [addDays(TODAY, -2), '2000-01-01']) {
        const refused = await tryStep(world, playerOne, recoveryId, 'record-payment', {
          amountMinor: 18000,
          paidOn,
          reference: 'SWIFT-EARLY',
        })
        assert.equal(refused.statusCode, 400, refused.body)
        assert.equal(refused.json().error.field, 'body.paidOn')
        assert.match(refused.json().error.message, /body\.paidOn: must not be before/)
      }
      const unpaid = await world.app.inject({
        method: 'GET',
        url: `/api/v1/recoveries/${recoveryId}`,
        headers: world.staff.headers,
      })
      assert.deepEqual([unpaid.json().state, unpaid.json().paid], ['accepted', null])
    })

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

    test('a refund is bounded like a price; the largest ones still add up on one recovery claim', async () => {
      // A refund of 2^53 - 1 cents was taken: two of them put the recovery claim they were
      // filed in past the integers JSON numbers hold exactly, and from then on the recovery
      // list and summary answered 500 to everyone who could see it.
      const decided = await seedRetailerDoaDecided(world)
      for (const amountMinor of [Number.MAX_SAFE_INTEGER, 1_000_000_001]) {
        const refused = await tryAct(world, world.staff, decided, 'issue-refund', { amountMinor })
        assert.equal(refused.statusCode, 400, `${amountMinor}: ${refused.body}`)
        assert.equal(refused.json().error.field, 'body.amountMinor')
      }
      await act(world, world.staff, decided, 'issue-refund', { amountMinor: 1_000_000_000 })
      await act(world, world.staff, decided, 'close')
      await seedRetailerDoaRefund(world, 1_000_000_000)
      const [recovery] = await recoveriesOfClaim(world, decided)
      assert.ok(recovery, 'the refund is filed for recovery')
      const listed = await listRecoveriesAs(world, world.staff)
      const total = listed.items.find((item) => item.id === recovery.id)?.totals.claimedMinor ?? 0
      assert.ok(total >= 1_000_000_000, String(total))
      const summary = await world.app.inject({
        method: 'GET',
        url: '/api/v1/recoveries/summary',
        headers: world.staff.headers,
      })
      assert.equal(summary.statusCode, 200, summary.body)
    })
  })
}
