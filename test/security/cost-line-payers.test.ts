import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  type ClaimsWorld,
  inspectAndDecide,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedPlayerOneDealerUnit,
  tryAct,
} from '../claims/claim-factories.ts'

const PAYERS = ['customer', 'vendor', 'dealer', 'manufacturer'] as const

for (const engine of testEngines()) {
  describe(`${engine}: who pays a cost is the decision's word, not the handler's`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    /** Seed 004: a covered Player One repair the dealer serves, in repair. */
    async function dealerRepair() {
      const serial = await seedPlayerOneDealerUnit(world)
      const opened = await openClaimAs(world, world.dealer, openClaimBody(serial))
      const decided = await inspectAndDecide(world, opened.id, serial, 'player-one-zeus-455m-pro', {
        by: world.dealer,
      })
      await act(world, world.dealer, opened.id, 'start-repair')
      const payers = (decided.finalDecision as unknown as { payers: Record<string, string | null> }).payers
      return { claimId: opened.id, partsPayer: payers.parts }
    }

    test('a dealer cannot book a cost to another payer than the decision names; nothing is written', async () => {
      const { claimId, partsPayer } = await dealerRepair()
      assert.equal(partsPayer, 'dealer', 'seed 004: the dealer bears the warranty parts')
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...PAYERS.filter((p) => p !== partsPayer)),
          fc.nat({ max: 3 }),
          async (payer, index) => {
            const lines = Array.from({ length: index + 1 }, (_, i) => ({
              kind: 'parts',
              description: `Part ${i}`,
              quantity: 1,
              unitPriceMinor: 9000,
              ...(i === index ? { payer } : {}),
            }))
            const refused = await tryAct(world, world.dealer, claimId, 'complete-repair', { lines })
            assert.equal(refused.statusCode, 403, `${payer}: ${refused.body.slice(0, 300)}`)
            assert.equal(refused.json().error.field, `body.lines.${index}.payer`)
          },
        ),
        { numRuns: 12 },
      )
      const costs = await world.database.db
        .selectFrom('claim_cost_lines')
        .select('id')
        .where('claim_id', '=', claimId)
        .execute()
      assert.equal(costs.length, 0, 'no refused line was booked')
      // Naming the payer the decision names is no change, and is taken.
      const named = await tryAct(world, world.dealer, claimId, 'complete-repair', {
        lines: [
          { kind: 'parts', description: 'TEC module', quantity: 1, unitPriceMinor: 9000, payer: 'dealer' },
        ],
      })
      assert.equal(named.statusCode, 200, named.body.slice(0, 300))
    })

    test('staff may still book a cost to another payer (goodwill, a supplier’s fault)', async () => {
      const { claimId } = await dealerRepair()
      const booked = await tryAct(world, world.staff, claimId, 'complete-repair', {
        lines: [
          {
            kind: 'parts',
            description: 'TEC module',
            quantity: 1,
            unitPriceMinor: 9000,
            payer: 'manufacturer',
          },
        ],
      })
      assert.equal(booked.statusCode, 200, booked.body.slice(0, 300))
    })
  })
}
