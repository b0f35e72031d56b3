/**
 * What other features may use of registry. Everything not exported here is internal to the
 * feature; a lint rule (biome.json, noRestrictedImports) refuses imports that go around it.
 */

export type { AddressHolder } from './address-holder.ts'
export { holderOfAddress } from './address-holder.ts'
export type { ImportSummary, PreparedRow } from './csv-import.ts'
export { rejectWith, runCsvImport } from './csv-import.ts'
export {
  chosenCustomerLocale,
  findCustomerAddress,
  findCustomerByEmail,
  findCustomerById,
  listCustomerAddresses,
  lockCustomerRow,
  noteCustomerLanguageSeen,
  toCustomerRow,
  toPostalAddress,
} from './customer.store.ts'
export { customerMailLocale } from './customer-mail-locale.ts'
export { ORG } from './demo-org-ids.ts'
export type { PostalAddress } from './domain/address.ts'
export { formatPostalAddress, serviceAddressToPostal } from './domain/address.ts'
export { normalizeModelKey } from './domain/model-key.ts'
export { packageItemIn } from './domain/package-items.ts'
export { slugOf } from './domain/slug.ts'
export { lockedImportTransaction } from './import-lock.ts'
export type { ImportOptions } from './import-units.ts'
export {
  addProofOfPurchase,
  checkUnitSale,
  insertUnitSale,
  insertUnitSaleUnlessOnFile,
} from './insert-unit-sale.ts'
export { nameOwnerOfUnownedUnit } from './name-unit-owner.ts'
export { findOrganisation, insertOrganisationIfAbsent, toOrganisationRow } from './organisation.store.ts'
export { postalAddressBody, postalAddressExample, postalAddressView } from './profile.schemas.ts'
export { errorResponse } from './registry.schemas.ts'
export type { UnitRecord } from './unit.store.ts'
export {
  confirmedDealerOf,
  findUnitBySerial,
  findUnitOffer,
  findUnitsWithProof,
  lockUnitRow,
  selectUnitRecords,
  soldThrough,
  toUnitRecord,
} from './unit.store.ts'
export { warrantyFactsForUnit } from './unit-facts.ts'
export { findUnitProof, listOfferedUnitProofs, settleUnitProof } from './unit-proof.store.ts'
