/** Who is acting: resolved once per request from a session cookie, an API key or a sign-in link. */
export const ROLES = [
  'customer',
  'dealer',
  'support',
  'technician',
  'manager',
  'admin',
  'integration',
] as const
export type Role = (typeof ROLES)[number]
export const STAFF_ROLES: readonly Role[] = ['support', 'technician', 'manager', 'admin']

export interface Actor {
  userId: string
  role: Role
  name: string
  email: string
  /** The dealer, agent or maker organisation a dealer user belongs to; null for staff and customers. */
  orgId: string | null
  /** The customer record a customer user is; null otherwise. */
  customerId: string | null
  /** How the actor proved who they are; `command-line` is an operator at the server's own console; `email` a reply to a signed reply address. */
  via: 'session' | 'api-key' | 'command-line' | 'email'
  /** For an API key: `read-only` keys may only read. Absent means no narrowing. */
  scope?: 'full' | 'read-only'
}

export const isStaff = (actor: Actor): boolean => STAFF_ROLES.includes(actor.role)

/**
 * Who weighs a customer's proof of purchase (an invoice, a receipt), on a claim or on a unit
 * they registered: judging a sale's papers is front-office work. A bench technician inspects
 * the hardware and does not.
 */
export const PROOF_WEIGHER_ROLES: readonly Role[] = ['support', 'manager', 'admin']

export const mayWeighPurchaseProof = (actor: Pick<Actor, 'role'>): boolean =>
  PROOF_WEIGHER_ROLES.includes(actor.role)

/** The actor recorded for work the system does on its own (sweeps, imports from the command line). */
export const SYSTEM_ACTOR: Actor = {
  userId: 'system',
  role: 'admin',
  name: 'Aftercare',
  email: 'system@aftercare.local',
  orgId: null,
  customerId: null,
  via: 'api-key',
}
