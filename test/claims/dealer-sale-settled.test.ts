import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { verifyClaimChain } from '../../src/claims/claim-history.ts'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  type ClaimsWorld,
  ORG,
  openClaimsWorld,
  seedPendingDealerSaleWithClaim,
} from './claim-factories.ts'

interface TimelineItem {
  type: string
  actor: { role: string }
  data: Record<string, unknown>
}

async function timelineOf(world: ClaimsWorld, headers: Record<string, string>, claimId: string) {
  const response = await world.app.inject({ method: 'GET', url: `/api/v1/claims/${claimId}/events`, headers })
  assert.equal(response.statusCode, 200, response.body)
  return (response.json() as { items: TimelineItem[] }).items
}

const answer = (world: ClaimsWorld, headers: Record<string, string>, serial: string, action: string) =>
  world.app.inject({
    method: 'POST',
    url: `/api/v1/dealer-desk/sale-confirmations/${encodeURIComponent(serial)}/${action}`,
    headers,
  })

interface ClaimRead {
  provisionalDecision: {
    handler: string
    payers: Record<string, string | null>
    explanation: { en: string; zh: string }
  }
}

async function readClaim(world: ClaimsWorld, headers: Record<string, string>, claimId: string) {
  const response = await world.app.inject({ method: 'GET', url: `/api/v1/claims/${claimId}`, headers })
  assert.equal(response.statusCode, 200, response.body)
  return response.json() as ClaimRead
}

const orgName = async (world: ClaimsWorld, id: string) =>
  (
    await world.database.db
      .selectFrom('organisations')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).name

const mailsOf = (world: ClaimsWorld, claimId: string, topic: string) =>
  world.database.db
    .selectFrom('outbox_messages')
    .select(['recipient', 'locale', 'payload'])
    .where('claim_id', '=', claimId)
    .where('topic', '=', topic)
    .execute()

for (const engine of testEngines()) {
  describe(`${engine}: a dealer sale confirmed or refused is written in the history of the unit's open claims`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('the dealer confirms: the customer reads it in the history, the chain holds, no e-mail', async () => {
      const { serial, claimId } = await seedPendingDealerSaleWithClaim(world)
      const confirmed = await answer(world, world.dealer.headers, serial, 'confirm')
      assert.equal(confirmed.statusCode, 200, confirmed.body)
      const events = await timelineOf(world, world.customer.headers, claimId)
      // The confirmation, then the decision taken again on the dealer's sale.
      assert.deepEqual(
        events.slice(-2).map((e) => e.type),
        ['dealer-sale.confirmed', 'decision.provisional'],
      )
      const last = events.at(-2)
      assert.equal(last?.actor.role, 'dealer')
      assert.deepEqual(last?.data, {
        dealerOrgId: ORG.starlight,
        dealerName: last?.data.dealerName,
        source: 'dealer',
      })
      assert.ok(typeof last?.data.dealerName === 'string' && last.data.dealerName.length > 0)
      // The dealer now serving the claim reads the same history.
      assert.equal(
        (await timelineOf(world, world.dealer.headers, claimId)).at(-2)?.type,
        'dealer-sale.confirmed',
      )
      assert.deepEqual(await mailsOf(world, claimId, 'dealer-sale.refused'), [])
      // The claim's head moved with the event: the next step follows it on the same chain.
      const message = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/messages`,
        headers: { ...world.customer.headers, 'content-type': 'application/json' },
        payload: { body: 'Thank you.' },
      })
      assert.equal(message.statusCode, 201, message.body)
      const chain = await verifyClaimChain(world.database.db, claimId)
      assert.ok(chain.ok, JSON.stringify(chain.broken))
    })

    test('staff refuse: the history says so and the customer is e-mailed in their language that the seller handles the claim', async () => {
      // Chosen on her profile: the language her mail follows.
      await world.database.db
        .updateTable('customers')
        .set({ locale: 'zh', locale_chosen_at: new Date().toISOString() })
        .where('id', '=', 'cus-alice')
        .execute()
      try {
        const { serial, claimId } = await seedPendingDealerSaleWithClaim(world)
        const refused = await answer(world, world.staff.headers, serial, 'refuse')
        assert.equal(refused.statusCode, 200, refused.body)
        const last = (await timelineOf(world, world.customer.headers, claimId)).at(-1)
        assert.equal(last?.type, 'dealer-sale.refused')
        assert.equal(last?.data.source, 'staff')
        assert.equal(last?.data.dealerOrgId, ORG.starlight)
        const mails = await mailsOf(world, claimId, 'dealer-sale.refused')
        assert.equal(mails.length, 1)
        assert.equal(mails[0]?.recipient, 'cus-alice@example.com')
        assert.equal(mails[0]?.locale, 'zh')
        const payload = JSON.parse(mails[0]?.payload ?? '{}') as Record<string, unknown>
        assert.equal(payload.serial, serial)
        assert.equal(typeof payload.dealerName, 'string')
        assert.equal(typeof payload.sellerName, 'string')
        assert.equal(payload.by, 'seller', 'staff speak for the seller, not the dealer')
        const chain = await verifyClaimChain(world.database.db, claimId)
        assert.ok(chain.ok, JSON.stringify(chain.broken))
      } finally {
        await world.database.db
          .updateTable('customers')
          .set({ locale: 'en', locale_chosen_at: null })
          .where('id', '=', 'cus-alice')
          .execute()
      }
    })

    test('the dealer confirms: the claim opened meanwhile is decided as a dealer sale, served and received by the dealer (seed 004)', async () => {
      const { serial, claimId } = await seedPendingDealerSaleWithClaim(world)
      const opened = await readClaim(world, world.staff.headers, claimId)
      assert.equal(opened.provisionalDecision.handler, 'vendor', 'the seller serves while the sale waits')
      const confirmed = await answer(world, world.dealer.headers, serial, 'confirm')
      assert.equal(confirmed.statusCode, 200, confirmed.body)
      const claim = await readClaim(world, world.dealer.headers, claimId)
      // "Purchase form dealer, we will provide warranty service through dealer."
      assert.equal(claim.provisionalDecision.handler, 'dealer')
      assert.equal(claim.provisionalDecision.payers.parts, 'dealer')
      assert.match(claim.provisionalDecision.explanation.en, /dealer/)
      assert.match(claim.provisionalDecision.explanation.zh, /经销商/)
      const authorized = await act(world, world.staff, claimId, 'authorize-return')
      assert.equal(authorized.rma?.shipTo.name, await orgName(world, ORG.starlight))
      const chain = await verifyClaimChain(world.database.db, claimId)
      assert.ok(chain.ok, JSON.stringify(chain.broken))
    })

    test('a claim whose return was already authorised keeps the decision its return was sent by; the restated sale waits for the next decision', async () => {
      const { serial, claimId } = await seedPendingDealerSaleWithClaim(world)
      const authorized = await act(world, world.staff, claimId, 'authorize-return')
      const confirmed = await answer(world, world.dealer.headers, serial, 'confirm')
      assert.equal(confirmed.statusCode, 200, confirmed.body)
      const claim = await readClaim(world, world.staff.headers, claimId)
      assert.equal(claim.provisionalDecision.handler, 'vendor')
      const events = await timelineOf(world, world.staff.headers, claimId)
      assert.equal(events.at(-1)?.type, 'dealer-sale.confirmed')
      assert.equal(authorized.rma?.shipTo.name, await orgName(world, ORG.playerOne))
      const stored = await world.database.db
        .selectFrom('claims')
        .select('case_json')
        .where('id', '=', claimId)
        .executeTakeFirstOrThrow()
      assert.equal(JSON.parse(stored.case_json).purchase.channel, 'dealer')
    })

    test('a closed claim of the unit is left as it was', async () => {
      const { serial, claimId } = await seedPendingDealerSaleWithClaim(world)
      await world.database.db
        .updateTable('claims')
        .set({ state: 'cancelled' })
        .where('id', '=', claimId)
        .execute()
      const before = await timelineOf(world, world.staff.headers, claimId)
      const refused = await answer(world, world.dealer.headers, serial, 'refuse')
      assert.equal(refused.statusCode, 200, refused.body)
      assert.deepEqual(await timelineOf(world, world.staff.headers, claimId), before)
      assert.deepEqual(await mailsOf(world, claimId, 'dealer-sale.refused'), [])
    })
  })
}
