/**
 * What other features may use of setup. Everything not exported here is internal to the
 * feature; a lint rule (biome.json, noRestrictedImports) refuses imports that go around it.
 */
export {
  letterheadOf,
  paymentInstructionsFor,
  sellerSettingsForSerial,
  supportHoursIn,
} from './seller-documents.ts'
export type { SellerSettingsView } from './setup.schemas.ts'
