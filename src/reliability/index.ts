/**
 * What other features may use of reliability. Everything not exported here is internal to
 * the feature; a lint rule (biome.json, noRestrictedImports) refuses imports that go around it.
 */
export { reliabilityRoutes } from './reliability.routes.ts'
