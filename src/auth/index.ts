/**
 * What other features may use of auth. Everything not exported here is internal to the
 * feature; a lint rule (biome.json, noRestrictedImports) refuses imports that go around it.
 */

export type { Actor, Role } from './actor.ts'
export { isStaff, mayWeighPurchaseProof, PROOF_WEIGHER_ROLES, STAFF_ROLES, SYSTEM_ACTOR } from './actor.ts'
export { createUser } from './create-user.ts'
export { requireActor, requireRole, requireStaff } from './guards.ts'
export { resolveCommandLineActor } from './resolve-actor.ts'
export { generatePassword } from './secrets.ts'
export {
  findCustomerUser,
  findUserByEmail,
  findUserById,
  listActiveOrgUsers,
  listActiveStaffUsers,
} from './user.store.ts'
