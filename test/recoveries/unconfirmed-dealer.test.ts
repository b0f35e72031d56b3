import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { readRecoveryFacts } from '../../src/recoveries/derive-recoveries.ts'
import {
  addDays,
  type ClaimsWorld,
  ORG,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedUnit,
  TODAY,
} from '../claims/claim-factories.ts'

/** Seed 004: a Player One camera bought through dealer 1, which serves it when the sale is its own. */
const playerOneThroughDealer = (world: ClaimsWorld, dealerConfirmed: boolean) =>
  seedUnit(world, {
    model: 'player-one-zeus-455m-pro',
    policy: 'player-one',
    sellerOrgId: ORG.playerOne,
    channel: 'dealer',
    dealerOrgId: ORG.starlight,
    dealerConfirmed,
    purchasedOn: addDays(TODAY, -200),
  })

for (const engine of testEngines()) {
  describe(`${engine}: a dealer sale only the buyer states, in routing and recovery`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    async function openOn(dealerConfirmed: boolean) {
      const serial = await playerOneThroughDealer(world, dealerConfirmed)
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      const row = await world.database.db
        .selectFrom('claims')
        .selectAll()
        .where('id', '=', opened.id)
        .executeTakeFirstOrThrow()
      const facts = await readRecoveryFacts(world.database.db, { ...row, timeZone: 'UTC' })
      const decision = JSON.parse(row.provisional_decision ?? 'null') as {
        handler: string
        payers: Record<string, string | null>
        explanation: { en: string; zh: string }
      }
      return { row, facts, decision }
    }

    test('confirmed: the dealer serves the claim and is a party of its recovery', async () => {
      const { row, facts, decision } = await openOn(true)
      assert.equal(decision.handler, 'dealer')
      assert.equal(row.dealer_org_id, ORG.starlight)
      assert.equal(facts.orgs.dealer, ORG.starlight)
      assert.equal(facts.channel, 'dealer')
    })

    test('unconfirmed: the seller serves it, nothing names the dealer, and no recovery line can reach it', async () => {
      const { row, facts, decision } = await openOn(false)
      assert.notEqual(decision.handler, 'dealer')
      assert.ok(!Object.values(decision.payers).includes('dealer'), JSON.stringify(decision.payers))
      assert.ok(!/dealer/i.test(decision.explanation.en), decision.explanation.en)
      assert.ok(!decision.explanation.zh.includes('经销商'), decision.explanation.zh)
      assert.equal(row.dealer_org_id, null)
      assert.equal(facts.orgs.dealer, null)
      assert.equal(facts.channel, 'direct')
    })
  })
}
