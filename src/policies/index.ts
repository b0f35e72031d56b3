/**
 * What other features may use of policies. Everything not exported here is internal to the
 * feature; a lint rule (biome.json, noRestrictedImports) refuses imports that go around it.
 */

export type { CompiledPolicy } from './domain/compile-policy.ts'
export { compilePolicy } from './domain/compile-policy.ts'
export { type StartReading, startReadings } from './domain/coverage.ts'
export { parseDuration } from './domain/durations.ts'
export type { StartEvent } from './domain/policy-format.ts'
export { EVIDENCE_WORDS } from './domain/words.ts'
export {
  formatPolicyFileError,
  lineOfField,
  parsePolicyFile,
  policyFileError,
  undefinedCalendarErrors,
} from './parse-policy-file.ts'
export type { ParcelNote, PolicyLibrary, PolicySummary, ServiceLevels } from './policy-library.ts'
export { policyTitleIn } from './policy-library.ts'
