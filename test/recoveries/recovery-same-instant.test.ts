import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { readRecoveryFacts } from '../../src/recoveries/derive-recoveries.ts'
import { deriveRecovery } from '../../src/recoveries/domain/derive-recovery.ts'
import { act, type ClaimsWorld, ORG, openClaimsWorld } from '../claims/claim-factories.ts'
import { flatLegsTerms, seedClaimConfirmedAtTheMaker } from './recovery-factories.ts'

/**
 * Claim events are stamped to the millisecond, and steps taken in quick succession (an import,
 * a desk clicking through, a clock that stands still) share one. Which came first is then the
 * claim's chain's to say, not the instant's: a leg done before the claim was decided again as
 * the dealer's is the seller's, which handled it then, though the confirmation of the sale and
 * the decision that made the claim the dealer's carry the same instant; the leg home after that
 * decision is the dealer's. The answer is the one hours between the steps give.
 */
for (const engine of testEngines()) {
  describe(`${engine}: a recovery of a claim whose steps share one instant`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    for (const [label, hours] of [
      ['the clock standing still', 0],
      ['an hour between the steps', 1],
    ] as const)
      test(`work is judged by the decision and the dealer before it on the chain (${label})`, async () => {
        const step = () => {
          world.clock.now = new Date(world.clock.now.getTime() + hours * 60 * 60 * 1000)
        }
        const { claimId } = await seedClaimConfirmedAtTheMaker(world, () => hours)
        step()
        await act(world, world.dealer, claimId, 'start-repair')
        step()
        await act(world, world.dealer, claimId, 'complete-repair', {
          lines: [{ kind: 'parts', description: 'Worm gear', quantity: 1, unitPriceMinor: 4000 }],
        })
        step()
        await act(world, world.dealer, claimId, 'ship-return', { carrier: 'SF', trackingNumber: 'SF-HOME' })

        const db = world.database.db
        const instants = await db
          .selectFrom('claim_events')
          .select('at')
          .distinct()
          .where('claim_id', '=', claimId)
          .execute()
        assert.equal(
          instants.length > 1,
          hours > 0,
          'the steps carry one instant only with the clock standing still',
        )
        const row = await db
          .selectFrom('claims')
          .selectAll()
          .where('id', '=', claimId)
          .executeTakeFirstOrThrow()
        const facts = await readRecoveryFacts(db, { ...row, timeZone: 'UTC' })
        // The repair's cost stands on the chain where the step that booked it does.
        const repaired = await db
          .selectFrom('claim_events')
          .select('seq')
          .where('claim_id', '=', claimId)
          .where('type', '=', 'repair.completed')
          .executeTakeFirstOrThrow()
        assert.deepEqual(
          facts.costs.map((c) => [c.description, c.seq]),
          [['Worm gear', Number(repaired.seq)]],
        )
        const { recoveries } = deriveRecovery(facts, [flatLegsTerms(['forward', 'back', 'return'])])
        assert.deepEqual(
          recoveries.map((r) => [r.creditorOrgId, r.lines.map((l) => [l.leg, l.amountMinor])]),
          [
            [
              ORG.playerOne,
              [
                ['forward', 2500],
                ['back', 2500],
              ],
            ],
            [ORG.starlight, [['return', 2500]]],
          ],
        )
      })
  })
}
