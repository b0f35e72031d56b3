/**
 * What other features may use of recoveries. Everything not exported here is internal to the
 * feature; a lint rule (biome.json, noRestrictedImports) refuses imports that go around it.
 */
export { costLinesCitedForOrganisation } from './cited-cost-lines.ts'
export { deriveRecoveriesAfterClaimEvent } from './derive-recoveries.ts'
export { splitPayment } from './domain/split-payment.ts'
export { checkRecoveryTermsFile, isRecoveryTermsText } from './load-recovery-terms.ts'
