import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestUser } from '../../src/auth/test-support.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { renderEmail } from '../../src/notify/domain/render-email.ts'
import {
  act,
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedPlayerOneDealerUnit,
} from './claim-factories.ts'

interface RmaJson {
  shipTo: { name: string; line1: string }
  servedInsteadOf?: { name: string }
}

for (const engine of testEngines()) {
  describe(`${engine}: a claim the policy gives to a dealer the seller has deactivated`, () => {
    let world: ClaimsWorld
    let manager: { headers: Record<string, string> }
    const setActive = (action: 'deactivate' | 'reactivate') =>
      world.app.inject({
        method: 'POST',
        url: `/api/v1/organisations/org-starlight-optics/${action}`,
        headers: manager.headers,
      })
    const dealerName = async () =>
      (
        await world.database.db
          .selectFrom('organisations')
          .select('name')
          .where('id', '=', 'org-starlight-optics')
          .executeTakeFirstOrThrow()
      ).name

    /** A dealer-served claim carried to its return authorisation; its RMA, ship-to lines and the customer's mail. */
    async function authorisedReturn(serial: string) {
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      assert.equal(opened.provisionalDecision?.handler, 'dealer')
      await act(world, world.staff, opened.id, 'authorize-return')
      const view = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${opened.id}`,
        headers: world.customer.headers,
      })
      assert.equal(view.statusCode, 200, view.body)
      const addresses = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${opened.id}/addresses`,
        headers: { ...world.customer.headers, 'accept-language': 'zh' },
      })
      assert.equal(addresses.statusCode, 200, addresses.body)
      const mail = await world.database.db
        .selectFrom('outbox_messages')
        .select('payload')
        .where('claim_id', '=', opened.id)
        .where('topic', '=', 'rma.authorized')
        .executeTakeFirstOrThrow()
      return {
        claimId: opened.id,
        rma: (view.json() as { rma: RmaJson }).rma,
        addresses: addresses.json() as { shipToLines: string[]; servedInsteadOf?: string | null },
        mail: JSON.parse(mail.payload) as Record<string, unknown>,
      }
    }

    before(async () => {
      world = await openClaimsWorld(engine)
      manager = await createTestUser(world.database.db, { role: 'manager' })
    })
    after(() => world.close())

    test('the unit goes to the seller, and the customer is told why in the RMA, its e-mail and the claim page', async () => {
      // Three units sold through the dealer while it was active.
      const serials = [
        await seedPlayerOneDealerUnit(world),
        await seedPlayerOneDealerUnit(world),
        await seedPlayerOneDealerUnit(world),
      ] as const
      const active = await authorisedReturn(serials[0])
      const dealer = await dealerName()
      assert.equal(active.rma.shipTo.name, dealer, 'an active dealer receives the unit itself')
      assert.equal(active.rma.servedInsteadOf, undefined)
      assert.equal(active.addresses.servedInsteadOf, null)
      assert.equal(active.mail.servedInsteadOf, undefined)

      assert.equal((await setActive('deactivate')).statusCode, 200)
      const gone = await authorisedReturn(serials[1])
      assert.notEqual(gone.rma.shipTo.name, dealer, 'the unit is not sent to a dealer nobody works at')
      assert.notEqual(gone.rma.shipTo.line1, active.rma.shipTo.line1)
      assert.deepEqual(gone.rma.servedInsteadOf, { name: dealer })
      assert.equal(gone.addresses.servedInsteadOf, dealer)
      assert.equal(gone.addresses.shipToLines[0], gone.rma.shipTo.name)
      assert.equal(gone.mail.servedInsteadOf, dealer)
      const zh = renderEmail('rma.authorized', 'zh', gone.mail, {
        publicUrl: 'https://service.example.com',
        claimId: gone.claimId,
      })
      assert.ok(zh.text.includes(`售出该设备的经销商 ${dealer} 已不再受理售后服务`), zh.text)
      assert.ok(zh.text.indexOf(dealer) < zh.text.indexOf(gone.rma.shipTo.name), 'said before the address')
      const en = renderEmail('rma.authorized', 'en', gone.mail, {
        publicUrl: 'https://service.example.com',
        claimId: gone.claimId,
      })
      assert.match(en.text, /no longer takes service claims/)

      // Reactivated, the dealer receives its units again.
      assert.equal((await setActive('reactivate')).statusCode, 200)
      const back = await authorisedReturn(serials[2])
      assert.equal(back.rma.shipTo.name, dealer)
      assert.equal(back.rma.servedInsteadOf, undefined)
    })
  })
}
