import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestUser } from '../../src/auth/test-support.ts'
import { verifyClaimChain } from '../../src/claims/claim-history.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { renderEmail } from '../../src/notify/domain/render-email.ts'
import { findUnitBySerial } from '../../src/registry/index.ts'
import {
  act,
  type ClaimJson,
  type ClaimsWorld,
  emailDataOf,
  eventTypes,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedPlayerOneDealerUnit,
  tryAct,
} from './claim-factories.ts'

const DEALER = 'org-starlight-optics'

interface Standing {
  active: boolean
  readdressedReturns?: { claimId: string; claimNumber: string; rmaNumber: string; shipTo: string }[]
}

type Rma = NonNullable<ClaimJson['rma']> & {
  shipTo: { name: string; line1: string }
  servedInsteadOf?: { name: string }
}

for (const engine of testEngines()) {
  describe(`${engine}: a return authorised to a dealer that is then deactivated`, () => {
    let world: ClaimsWorld
    let manager: { headers: Record<string, string> }
    const setActive = (action: 'deactivate' | 'reactivate') =>
      world.app.inject({
        method: 'POST',
        url: `/api/v1/organisations/${DEALER}/${action}`,
        headers: manager.headers,
      })
    const claimOf = async (id: string) => {
      const response = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${id}`,
        headers: world.customer.headers,
      })
      assert.equal(response.statusCode, 200, response.body)
      return response.json() as ClaimJson & { rma: Rma | null }
    }
    const authorised = async (serial: string) => {
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      assert.equal(opened.provisionalDecision?.handler, 'dealer')
      return act(world, world.staff, opened.id, 'authorize-return')
    }

    before(async () => {
      world = await openClaimsWorld(engine)
      manager = await createTestUser(world.database.db, { role: 'manager' })
    })
    after(() => world.close())

    test('staff cannot re-address a return already going where the claim is served', async () => {
      const serial = await seedPlayerOneDealerUnit(world)
      const claim = await authorised(serial)
      const refused = await tryAct(world, world.staff, claim.id, 'readdress-return')
      assert.equal(refused.statusCode, 409, refused.body)
      assert.match(refused.body, /already addressed to/)
      assert.equal((await claimOf(claim.id)).version, claim.version, 'nothing written')
      // Nor may the customer or the dealer move where a return goes.
      for (const party of [world.customer, world.dealer]) {
        const denied = await tryAct(world, party, claim.id, 'readdress-return')
        assert.equal(denied.statusCode, 403, denied.body)
      }
      // A deactivation that cannot re-address every return changes nothing: the seller has no
      // service address to send them to, so the dealer stays active and the return where it was.
      const unit = await findUnitBySerial(world.database.db, serial)
      assert.ok(unit)
      const sellerId = unit.sellerOrgId ?? unit.brandOrgId
      const seller = await world.database.db
        .selectFrom('organisations')
        .select('service_address')
        .where('id', '=', sellerId)
        .executeTakeFirstOrThrow()
      await world.database.db
        .updateTable('organisations')
        .set({ service_address: null })
        .where('id', '=', sellerId)
        .execute()
      try {
        const blocked = await setActive('deactivate')
        assert.equal(blocked.statusCode, 409, blocked.body)
        const dealer = await world.database.db
          .selectFrom('organisations')
          .select('active')
          .where('id', '=', DEALER)
          .executeTakeFirstOrThrow()
        assert.equal(Number(dealer.active), 1, 'the dealer is still active')
        const after = await claimOf(claim.id)
        assert.equal(after.version, claim.version)
        assert.equal(after.rma?.number, claim.rma?.number)
        assert.equal(after.rma?.shipTo.name, claim.rma?.shipTo.name)
      } finally {
        await world.database.db
          .updateTable('organisations')
          .set({ service_address: seller.service_address })
          .where('id', '=', sellerId)
          .execute()
      }
    })

    test('deactivating the dealer sends its returns on their way to the seller, tells each customer, and leaves received units alone', async () => {
      const waiting = await authorised(await seedPlayerOneDealerUnit(world))
      const received = await authorised(await seedPlayerOneDealerUnit(world))
      const receivedVersion = (await act(world, world.dealer, received.id, 'receive-unit')).version
      const dealerName = waiting.rma?.shipTo.name as string

      const deactivated = await setActive('deactivate')
      assert.equal(deactivated.statusCode, 200, deactivated.body)
      const standing = deactivated.json() as Standing
      assert.equal(standing.active, false)
      const listed = standing.readdressedReturns?.map((r) => r.claimId) ?? []
      assert.ok(listed.includes(waiting.id), 'the waiting return is listed')
      assert.ok(!listed.includes(received.id), 'a unit already received is not re-addressed')
      const entry = standing.readdressedReturns?.find((r) => r.claimId === waiting.id)
      assert.equal(entry?.rmaNumber, waiting.rma?.number)

      const moved = await claimOf(waiting.id)
      assert.equal(moved.state, 'authorized')
      assert.equal(moved.version, waiting.version + 1, 'the claim changed: its version moves')
      assert.equal(moved.rma?.number, waiting.rma?.number, 'the RMA keeps its number')
      assert.notEqual(moved.rma?.shipTo.name, dealerName)
      assert.equal(entry?.shipTo, moved.rma?.shipTo.name)
      assert.deepEqual(moved.rma?.servedInsteadOf, { name: dealerName })
      assert.deepEqual(moved.rma?.itemsToInclude, waiting.rma?.itemsToInclude)
      assert.equal((await eventTypes(world, waiting.id)).at(-1), 'rma.readdressed')
      assert.equal((await verifyClaimChain(world.database.db, waiting.id)).ok, true)

      const mail = await emailDataOf(world, waiting.id, 'rma.readdressed')
      assert.equal(mail.reason, 'dealer-deactivated')
      assert.equal(mail.servedInsteadOf, dealerName)
      const zh = renderEmail('rma.readdressed', 'zh', mail, {
        publicUrl: 'https://service.example.com',
        claimId: waiting.id,
      })
      assert.ok(zh.text.includes(`经销商 ${dealerName} 已不再受理售后服务`), zh.text)
      assert.ok(zh.text.includes(String(moved.rma?.shipTo.name)), zh.text)
      const en = renderEmail('rma.readdressed', 'en', mail, {
        publicUrl: 'https://service.example.com',
        claimId: waiting.id,
      })
      assert.match(en.text, new RegExp(`not to ${dealerName}`))

      const kept = await claimOf(received.id)
      assert.equal(kept.version, receivedVersion, 'the received claim is not touched')
      assert.equal(kept.rma?.shipTo.name, dealerName, 'the received unit stays where it was received')

      // Asked again, nothing more moves.
      const again = await setActive('deactivate')
      assert.deepEqual((again.json() as Standing).readdressedReturns, [])

      // Reactivated, the dealer gets nothing sent back on its own: the customer was told where
      // to send. Staff may send it back, and the customer is told again.
      await setActive('reactivate')
      assert.equal((await claimOf(waiting.id)).rma?.shipTo.name, moved.rma?.shipTo.name)
      const back = await act(world, world.staff, waiting.id, 'readdress-return', {
        note: 'Starlight serves again.',
      })
      assert.equal((back.rma as Rma | null)?.shipTo.name, dealerName)
      assert.equal((back.rma as Rma | null)?.servedInsteadOf, undefined)
      const stale = await tryAct(world, world.staff, waiting.id, 'readdress-return', {}, `"${moved.version}"`)
      assert.equal(stale.statusCode, 412, stale.body)
    })
  })
}
