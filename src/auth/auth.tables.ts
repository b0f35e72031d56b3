import type { Role } from './actor.ts'

/** A person or integration that can act. Staff and dealers sign in with a password; customers by link. */
export interface UsersTable {
  id: string
  /** Stored lower-cased so look-ups need no function index. */
  email: string
  name: string
  role: Role
  /** The registry organisation a dealer user belongs to (no foreign key: the registry owns that table). */
  org_id: string | null
  /** The registry customer a customer user is. */
  customer_id: string | null
  /** `scrypt$N$r$p$salt$hash`, or null for users who never sign in with a password. */
  password_hash: string | null
  disabled: number
  /**
   * `en` or `zh`: the language the user's e-mails are written in, as they chose it in the web
   * app; null until then. Customers' e-mails follow their profile (`customers.locale`).
   */
  locale: string | null
  created_at: string
  updated_at: string
}

/** A signed-in browser. The id is the SHA-256 of the cookie value, so a database leak does not leak sessions. */
export interface SessionsTable {
  id: string
  user_id: string
  csrf_token: string
  created_at: string
  last_seen_at: string
  expires_at: string
}

/** A key for integrations; only its SHA-256 is stored, the key itself is shown once. */
export interface ApiKeysTable {
  id: string
  user_id: string
  name: string
  /** The first characters of the key, so people can tell keys apart in a list. */
  prefix: string
  key_hash: string
  created_by: string | null
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
  /** `full`: whatever the key's user may do; `read-only`: reads only (GET and HEAD). */
  scope: ApiKeyScope
}

export const API_KEY_SCOPES = ['full', 'read-only'] as const
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number]

/**
 * One fixed-window counter of a rate limit. In the database rather than in memory so
 * that several instances behind a balancer count together.
 */
export interface RateLimitCountersTable {
  /** The limit's group, what it counts by, and the window's number. */
  key: string
  count: number
  /** Epoch milliseconds after which the row is dead weight. */
  expires_at: number
}

/** A one-time sign-in link sent by e-mail; only its SHA-256 is stored. */
export interface SignInLinksTable {
  token_hash: string
  user_id: string
  created_at: string
  expires_at: string
  used_at: string | null
}

export interface AuthTables {
  users: UsersTable
  sessions: SessionsTable
  api_keys: ApiKeysTable
  sign_in_links: SignInLinksTable
  rate_limit_counters: RateLimitCountersTable
}
