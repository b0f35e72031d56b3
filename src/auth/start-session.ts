import type { Db } from '../db/database.ts'
import { SESSION_MAX_AGE_MS } from './resolve-actor.ts'
import { generateToken, hashToken } from './secrets.ts'
import { insertSession } from './session.store.ts'

export interface StartedSession {
  /** The cookie value; only its hash is stored. */
  token: string
  csrfToken: string
  expiresAt: Date
}

/** A fresh session id on every sign-in, so an id planted before sign-in is worth nothing after it. */
export async function startSession(db: Db, userId: string, now: Date): Promise<StartedSession> {
  const token = generateToken()
  const csrfToken = generateToken()
  const expiresAt = new Date(now.getTime() + SESSION_MAX_AGE_MS)
  await insertSession(db, {
    id: hashToken(token),
    user_id: userId,
    csrf_token: csrfToken,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
  })
  return { token, csrfToken, expiresAt }
}
