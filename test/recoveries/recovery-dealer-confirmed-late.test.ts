import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { readRecoveryFacts } from '../../src/recoveries/derive-recoveries.ts'
import { deriveRecovery } from '../../src/recoveries/domain/derive-recovery.ts'
import { type RecoveryTerms, recoveryTermsSchema } from '../../src/recoveries/domain/recovery-terms.ts'
import {
  act,
  addDays,
  type ClaimsWorld,
  fullInspection,
  inspectAndDecide,
  ORG,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  packageOf,
  seedUnit,
  TODAY,
} from '../claims/claim-factories.ts'

/** An agent-brand unit: only those go on to their maker's service centre. */
const MOUNT = 'aurora-mounts-aurora-am5-harmonic-mount'

/** Terms that pay whoever handles the claim a flat rate for each leg to and from the maker. */
const makerLegsTerms = (): RecoveryTerms =>
  recoveryTermsSchema.parse({
    kind: 'recovery-terms',
    id: 'maker-legs',
    version: '1',
    title: 'Legs to and from the maker',
    source: 'A contract',
    effectiveFrom: '2020-01-01',
    effectiveTo: null,
    debtor: 'brand',
    creditor: 'handler',
    currency: 'USD',
    appliesTo: { policies: ['player-one'] },
    submitWithinDays: 30,
    returnPart: false,
    costs: [{ key: 'legs', kind: 'freight', text: 'The legs', legs: ['forward', 'back'], flatMinor: 2500 }],
  })

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

  const later = (hours: number) => {
    world.clock.now = new Date(world.clock.now.getTime() + hours * 60 * 60 * 1000)
  }

  test('the legs done before the claim was decided again as the dealer’s are owed to the seller, though the dealer had confirmed the sale', async () => {
    // Seed 004's "served by the dealer when bought from one", for a unit its buyer says the
    // dealer sold and the dealer has not confirmed yet.
    const serial = await seedUnit(world, {
      model: MOUNT,
      policy: 'player-one',
      sellerOrgId: ORG.playerOne,
      channel: 'dealer',
      dealerOrgId: ORG.starlight,
      dealerConfirmed: false,
      purchasedOn: addDays(TODAY, -200),
    })
    const claimId = (await openClaimAs(world, world.customer, openClaimBody(serial))).id
    const first = await inspectAndDecide(world, claimId, serial, MOUNT)
    assert.notEqual(first.finalDecision?.handler, 'dealer')
    later(1)
    await act(world, world.staff, claimId, 'forward-to-maker', { carrier: 'DHL', trackingNumber: 'DHL-FWD' })
    later(24)
    const confirmed = await world.app.inject({
      method: 'POST',
      url: `/api/v1/dealer-desk/sale-confirmations/${serial}/confirm`,
      headers: world.dealer.headers,
    })
    assert.equal(confirmed.statusCode, 200, confirmed.body)
    later(24)
    await act(world, world.staff, claimId, 'return-from-maker')
    await act(
      world,
      world.staff,
      claimId,
      'record-inspection',
      fullInspection(serial, await packageOf(world, MOUNT)),
    )
    const again = await act(world, world.staff, claimId, 'make-decision')
    assert.equal(again.finalDecision?.handler, 'dealer')

    const row = await world.database.db
      .selectFrom('claims')
      .selectAll()
      .where('id', '=', claimId)
      .executeTakeFirstOrThrow()
    assert.equal(row.dealer_org_id, ORG.starlight)
    const facts = await readRecoveryFacts(world.database.db, { ...row, timeZone: 'UTC' })
    const { recoveries } = deriveRecovery(facts, [makerLegsTerms()])
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
