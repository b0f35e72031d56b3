/**
 * What other features may use of reports. Everything not exported here is internal to the
 * feature; a lint rule (biome.json, noRestrictedImports) refuses imports that go around it.
 */
export { reportRoutes } from './report.routes.ts'
export type { TermProjection } from './report.schemas.ts'
