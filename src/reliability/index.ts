/**
 * What other features may use of reliability. Everything not exported here is internal to the
 * feature; a lint rule (biome.json, noRestrictedImports) refuses imports that go around it.
 */
export { CLAIM_CSV_COLUMNS, CLAIM_CSV_REQUIRED, importClaims } from './import-claims.ts'
export { projectTermForPolicy, termToProject } from './project-term.ts'
export { reliabilityRoutes } from './reliability.routes.ts'
