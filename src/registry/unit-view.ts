import type { UnitView } from './registry.schemas.ts'
import type { UnitRecord } from './unit.store.ts'
import type { PendingOfferView } from './unit-offer.ts'
import type { UnitProofView } from './unit-proof.schemas.ts'

/**
 * `pendingOffer` and `purchaseProofs` are given only for callers who may read them (see
 * `pendingOffersFor` and `purchaseProofsFor`).
 */
export function toUnitView(
  unit: UnitRecord,
  pendingOffer?: PendingOfferView | null,
  purchaseProofs?: UnitProofView[],
): UnitView {
  return {
    serial: unit.serial,
    model: { id: unit.modelId, name: unit.modelName, category: unit.category, part: unit.part },
    brand: { id: unit.brandOrgId, name: unit.brandName, relation: unit.brandRelation },
    batch: unit.batch,
    channel: unit.channel,
    dealer: unit.dealerOrgId ? { id: unit.dealerOrgId, name: unit.dealerName ?? unit.dealerOrgId } : null,
    dealerConfirmed: unit.dealerConfirmed,
    shippedBy: unit.shippedBy,
    purchasedOn: unit.purchasedOn,
    shippedOn: unit.shippedOn,
    deliveredOn: unit.deliveredOn,
    activatedOn: unit.activatedOn,
    ownerCustomerId: unit.ownerCustomerId,
    secondHand: unit.secondHand,
    proofOfPurchase: unit.proofOfPurchase,
    warrantyCard: unit.warrantyCard,
    replacedBySerial: unit.replacedBySerial,
    policy: { id: unit.policyId, version: unit.policyVersion },
    ...(pendingOffer === undefined ? {} : { pendingOffer }),
    ...(purchaseProofs === undefined ? {} : { purchaseProofs }),
  }
}
