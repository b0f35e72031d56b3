import type { WarrantyCase } from '../contracts/case.ts'
import { confirmedDealerOf, type UnitRecord } from './unit.store.ts'

/** The product and purchase parts of a warranty case, as the registry knows them. */
export interface WarrantyFacts {
  product: WarrantyCase['product']
  purchase: WarrantyCase['purchase']
}

/**
 * Builds the case contract's `product` and `purchase` from a registered unit, so a claim
 * can add `policy`, `claimedOn`, `problem` and `evidence` and be decided. Absent dates are
 * left out rather than guessed: the policy decides what a missing date means.
 */
export function warrantyFactsForUnit(unit: UnitRecord): WarrantyFacts {
  // A dealer sale only the buyer states is judged as the seller's own until the dealer
  // confirms it: the seller handles the claim and nothing names a dealer that may not be one.
  // Nor does a direct sale a row says a dealer shipped: no dealer is known to serve it.
  const unconfirmed = !unit.dealerConfirmed && unit.channel === 'dealer'
  const shippedBy =
    confirmedDealerOf(unit) === null && unit.shippedBy === 'dealer' ? 'vendor' : unit.shippedBy
  return {
    product: {
      part: unit.part,
      category: unit.category,
      serial: unit.serial,
      model: unit.modelName,
      ...(unit.warrantyTerm ? { warrantyTerm: unit.warrantyTerm } : {}),
    },
    purchase: {
      channel: unconfirmed ? 'direct' : unit.channel,
      brand: unit.brandRelation,
      ...(shippedBy ? { shippedBy } : {}),
      ...(unit.purchasedOn ? { purchasedOn: unit.purchasedOn } : {}),
      ...(unit.shippedOn ? { shippedOn: unit.shippedOn } : {}),
      ...(unit.deliveredOn ? { deliveredOn: unit.deliveredOn } : {}),
      ...(unit.activatedOn ? { activatedOn: unit.activatedOn } : {}),
      proofOfPurchase: unit.proofOfPurchase,
      warrantyCard: unit.warrantyCard,
      secondHand: unit.secondHand,
    },
  }
}
