import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'
import { echoed } from '../shared/validate.ts'
import type { Actor } from './actor.ts'
import { findActiveApiKeyWithUser, markApiKeyUsed } from './api-key.store.ts'
import { findInactiveOrganisation, organisationInactive } from './organisation-standing.ts'
import { hashToken } from './secrets.ts'
import { deleteSession, findSessionWithUser, touchSession } from './session.store.ts'
import { findUserByEmail } from './user.store.ts'

/** A session ends 12 hours after sign-in at the latest, or after 2 hours without a request. */
export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000
// Writing last-seen on every request would turn every read into a write; a minute's
// precision is plenty for a two-hour idle limit.
const TOUCH_EVERY_MS = 60 * 1000

export interface SessionActor {
  actor: Actor
  sessionId: string
  csrfToken: string
}

/**
 * The session's actor; `inactiveOrg` when the user's organisation was deactivated, whose
 * session is refused at every request but kept, so reactivating the organisation restores it.
 */
export async function resolveSessionActor(
  db: Db,
  token: string,
  now: Date,
): Promise<SessionActor | { inactiveOrg: { id: string; name: string } } | null> {
  const id = hashToken(token)
  const session = await findSessionWithUser(db, id)
  if (!session) return null
  const at = now.getTime()
  const idleSince = Date.parse(session.last_seen_at)
  if (at >= Date.parse(session.expires_at) || at - idleSince >= SESSION_IDLE_MS || session.user.disabled) {
    await deleteSession(db, id)
    return null
  }
  if (session.inactiveOrg) return { inactiveOrg: session.inactiveOrg }
  if (at - idleSince >= TOUCH_EVERY_MS) await touchSession(db, id, now.toISOString())
  const { user } = session
  return {
    sessionId: id,
    csrfToken: session.csrf_token,
    actor: {
      userId: user.id,
      role: user.role,
      name: user.name,
      email: user.email,
      orgId: user.org_id,
      customerId: user.customer_id,
      via: 'session',
    },
  }
}

export async function resolveApiKeyActor(db: Db, key: string, now: Date): Promise<Actor | null> {
  const row = await findActiveApiKeyWithUser(db, hashToken(key))
  if (!row || row.disabled) return null
  if (row.orgActive === 0) throw organisationInactive({ name: row.orgName ?? row.orgId ?? '' })
  if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) >= TOUCH_EVERY_MS) {
    await markApiKeyUsed(db, row.keyId, now.toISOString())
  }
  return {
    userId: row.userId,
    role: row.role,
    name: row.name,
    email: row.email,
    orgId: row.orgId,
    customerId: row.customerId,
    via: 'api-key',
    scope: row.scope,
  }
}

/**
 * The actor for an operator at the server's console acting as a named user (`--as`):
 * whoever can run the command already holds the database, so the user's role is what
 * limits them. An unknown or disabled user is refused, naming the flag.
 */
export async function resolveCommandLineActor(db: Db, email: string): Promise<Actor> {
  const user = await findUserByEmail(db, email)
  if (!user || user.disabled)
    throw new AppError(
      'validation',
      { key: 'cli.no-active-user', params: { flag: '--as', email: echoed(email) } },
      { field: '--as' },
    )
  const inactive = await findInactiveOrganisation(db, user.org_id)
  if (inactive) throw organisationInactive(inactive)
  return {
    userId: user.id,
    role: user.role,
    name: user.name,
    email: user.email,
    orgId: user.org_id,
    customerId: user.customer_id,
    via: 'command-line',
  }
}
