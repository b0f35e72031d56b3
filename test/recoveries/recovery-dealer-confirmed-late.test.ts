import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { readRecoveryFacts } from '../../src/recoveries/derive-recoveries.ts'
import { deriveRecovery } from '../../src/recoveries/domain/derive-recovery.ts'
import { type ClaimsWorld, ORG, openClaimsWorld } from '../claims/claim-factories.ts'
import { flatLegsTerms, seedClaimConfirmedAtTheMaker } from './recovery-factories.ts'

/**
 * A dealer the buyer named takes no part in the claim until it confirms the sale: the seller
 * served it meanwhile, as its own sale (seed 000: "If the product is sold or shipped directly
 * to the user by a ToupTek agent, the ToupTek Agent will be responsible" once that is
 * confirmed). What was done before the confirmation is not owed to the dealer, though the
 * claim is the dealer's when its recovery is derived: it is the seller's, which handled the
 * claim under the decision in force then.
 */
describe('a recovery of a claim whose dealer confirmed the sale after work was done', () => {
  let world: ClaimsWorld
  before(async () => {
    world = await openClaimsWorld('sqlite')
  })
  after(() => world.close())

  /** Hours between the steps: a day at the maker on each side of the dealer's confirmation. */
  const HOURS_BEFORE = { forward: 1, confirm: 24, return: 24, inspection: 0, decision: 0 } as const

  test('the legs done before the claim was decided again as the dealer’s are owed to the seller, though the dealer had confirmed the sale', async () => {
    const { claimId } = await seedClaimConfirmedAtTheMaker(world, (gap) => HOURS_BEFORE[gap])

    const row = await world.database.db
      .selectFrom('claims')
      .selectAll()
      .where('id', '=', claimId)
      .executeTakeFirstOrThrow()
    assert.equal(row.dealer_org_id, ORG.starlight)
    const facts = await readRecoveryFacts(world.database.db, { ...row, timeZone: 'UTC' })
    const { recoveries } = deriveRecovery(facts, [flatLegsTerms(['forward', 'back'])])
    // The unit came back from the maker before the claim was decided again as the dealer's
    // (earlier on the claim's chain, at the same instant): the seller handled it then.
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
      ],
    )
  })
})
