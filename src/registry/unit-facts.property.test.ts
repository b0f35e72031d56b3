import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { BRANDS, EVIDENCE_KINDS, PROBLEM_KINDS, SHIPPERS, type WarrantyCase } from '../contracts/case.ts'
import { POLICY_IDS } from '../policies/case-arbitraries.ts'
import { loadPolicyLibrary } from '../policies/load-policies.ts'
import { formatDay, parseDay } from '../shared/day-numbers.ts'
import { confirmedDealerOf, type UnitRecord } from './unit.store.ts'
import { warrantyFactsForUnit } from './unit-facts.ts'

const library = loadPolicyLibrary()

/**
 * A unit as the registry may hold it: a direct sale names no dealer, a dealer sale names
 * one whose word may still be awaited, and the shipper is whatever the sale said (a row of
 * an older import may say a dealer shipped a direct sale).
 */
const aUnit = (dealers: fc.Arbitrary<{ confirmed: boolean } | undefined>): fc.Arbitrary<UnitRecord> =>
  fc
    .record({
      policy: fc.constantFrom(...POLICY_IDS),
      dealer: dealers,
      shippedBy: fc.option(fc.constantFrom(...SHIPPERS), { nil: null }),
      brand: fc.constantFrom(...BRANDS),
      purchasedOn: fc.integer({ min: 0, max: 900 }).map((n) => formatDay(parseDay('2024-01-01') + n)),
      transit: fc.integer({ min: 0, max: 20 }),
      secondHand: fc.boolean(),
      proofOfPurchase: fc.boolean(),
    })
    .map((u) => ({
      serial: 'UNIT-1',
      modelId: 'model',
      modelName: 'Model',
      category: 'camera',
      part: 'host',
      warrantyTerm: null,
      brandOrgId: 'org-brand',
      brandName: 'Brand',
      brandRelation: u.brand,
      batch: null,
      channel: u.dealer ? 'dealer' : 'direct',
      dealerOrgId: u.dealer ? 'org-dealer' : null,
      dealerName: u.dealer ? 'Dealer' : null,
      dealerConfirmed: u.dealer ? u.dealer.confirmed : true,
      sellerOrgId: 'org-seller',
      shippedBy: u.shippedBy,
      purchasedOn: u.purchasedOn,
      shippedOn: u.purchasedOn,
      deliveredOn: formatDay(parseDay(u.purchasedOn) + u.transit),
      activatedOn: null,
      ownerCustomerId: 'cus-1',
      secondHand: u.secondHand,
      proofOfPurchase: u.proofOfPurchase,
      warrantyCard: true,
      replacedBySerial: null,
      policyId: u.policy,
      policyVersion: '1',
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
    }))

const aClaim = fc.record({
  kind: fc.constantFrom(...PROBLEM_KINDS),
  packagingDamaged: fc.boolean(),
  // Often within days of delivery, where the windows of damage on arrival lie.
  claimDelay: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 900 })),
  evidence: fc.uniqueArray(fc.constantFrom(...EVIDENCE_KINDS), { maxLength: 6 }),
})

type Claim = typeof aClaim extends fc.Arbitrary<infer C> ? C : never

function claimCase(unit: UnitRecord, claim: Claim): WarrantyCase {
  return {
    policy: unit.policyId,
    claimedOn: formatDay(parseDay(unit.deliveredOn ?? '2024-01-01') + claim.claimDelay),
    ...warrantyFactsForUnit(unit),
    problem: { kind: claim.kind, packagingDamaged: claim.packagingDamaged },
    evidence: claim.evidence,
  } as WarrantyCase
}

describe('the party a claim on a registered unit is routed to', () => {
  test('is never a dealer, nor paid by one, when no dealer is known to have sold the unit', () => {
    fc.assert(
      // A direct sale, or a dealer sale only the buyer has stated.
      fc.property(aUnit(fc.constantFrom(undefined, { confirmed: false })), aClaim, (unit, claim) => {
        const decision = library.decide(claimCase(unit, claim))
        assert.notEqual(decision.handler, 'dealer')
        assert.ok(!Object.values(decision.payers).includes('dealer'), JSON.stringify(decision.payers))
      }),
      { numRuns: 5000 },
    )
  })

  test("is the one the seed names: a dealer's buyer is served through the dealer under seeds 003 and 004, the seller's buyer by the seller", () => {
    fc.assert(
      fc.property(
        aUnit(fc.option(fc.record({ confirmed: fc.boolean() }), { nil: undefined })),
        aClaim,
        (unit, claim) => {
          fc.pre(unit.policyId === 'player-one' || unit.policyId === 'ist')
          const decision = library.decide(claimCase(unit, claim))
          assert.equal(decision.handler, confirmedDealerOf(unit) === null ? 'vendor' : 'dealer')
        },
      ),
      { numRuns: 500 },
    )
  })
})
