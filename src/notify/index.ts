/**
 * What other features may use of notify. Everything not exported here is internal to the
 * feature; a lint rule (biome.json, noRestrictedImports) refuses imports that go around it.
 */
export type { CustomerLanguageEvidence } from './domain/email-template-data.ts'
export {
  chosenEmailLocale,
  customerEmailLocale,
  emailLocaleOfCountry,
  isEmailTemplateId,
  SLA_CLOCKS,
} from './domain/email-template-data.ts'
export { enqueueEmail, enqueueWebhookEvent } from './outbox.ts'
