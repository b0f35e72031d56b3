/**
 * What other features may use of sla. Everything not exported here is internal to the
 * feature; a lint rule (biome.json, noRestrictedImports) refuses imports that go around it.
 */

export { definedCalendarIds } from './calendar.store.ts'
export { applySlaForClaimEvent } from './claim-clocks.ts'
export { dueTimesOfClaims } from './claim-due.ts'
export { BUILTIN_CALENDAR_IDS } from './domain/builtin-calendars.ts'
