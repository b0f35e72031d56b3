import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'
import { findInactiveOrganisation, organisationInactive } from './organisation-standing.ts'
import { verifyPassword } from './secrets.ts'
import { type StartedSession, startSession } from './start-session.ts'
import { findUserByEmail, type UserRow } from './user.store.ts'

/** Staff and dealers sign in with a password; one message for every refusal so accounts cannot be probed. */
export async function signIn(
  db: Db,
  input: { email: string; password: string },
  now: Date,
): Promise<{ user: UserRow; session: StartedSession }> {
  const user = await findUserByEmail(db, input.email.trim())
  const passwordMatches = await verifyPassword(input.password, user?.password_hash ?? null)
  if (!user || !passwordMatches || user.disabled) {
    throw new AppError('unauthenticated', { key: 'auth.wrong-password' })
  }
  // Only once the password is right: the refusal names the organisation, which a stranger must not learn.
  const inactive = await findInactiveOrganisation(db, user.org_id)
  if (inactive) throw organisationInactive(inactive)
  return { user, session: await startSession(db, user.id, now) }
}
