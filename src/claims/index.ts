/**
 * What other features may use of claims. Everything not exported here is internal to the
 * feature; a lint rule (biome.json, noRestrictedImports) refuses imports that go around it.
 */
export { authorizeReturn } from './authorize-return.ts'
export {
  findClaim,
  findClaimForUpdate,
  findCustomerContact,
  findOpenClaimOnUnit,
  findPackageContents,
  newClaimRow,
} from './claim.store.ts'
export type { ClaimsTable } from './claim.tables.ts'
export {
  canActorSeeClaim,
  canActorSeePaymentProof,
  claimFileAccess,
  claimIdsVisibleTo,
  isClaimVisibleTo,
  mayActorSeePaymentProofs,
} from './claim-access.ts'
export {
  type DealerSaleMove,
  type DealerSaleSettlement,
  findOpenClaimDealers,
  findOpenClaimsOf,
  giveClaimsToConfirmedDealer,
  moveOpenClaimsToDealer,
  settleDealerSaleOnClaims,
} from './claim-dealer.ts'
export { claimNumber, claimTimeZone } from './claim-view.ts'
export { completeRepair } from './complete-repair.ts'
export { GENESIS_HASH, toCanonicalJson } from './domain/canonical-json.ts'
export { CLAIM_STATES, TERMINAL_STATES } from './domain/claim-lifecycle.ts'
export { ownsFile } from './intake-rules.ts'
export { issueReplacement } from './issue-replacement.ts'
export { makeDecision } from './make-decision.ts'
export { openClaim } from './open-claim.ts'
export { postMessage } from './post-message.ts'
export { type ReaddressedReturn, readdressReturnsOfDealer } from './readdress-return.ts'
export { recordInspection } from './record-inspection.ts'
export { costLineSpent } from './spent-cost-lines.ts'
export { takeClaimStep } from './take-claim-step.ts'
export { settleUnitProofOnClaims } from './weigh-purchase-proof.ts'
