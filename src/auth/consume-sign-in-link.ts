import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'
import { hashToken } from './secrets.ts'
import { type StartedSession, startSession } from './start-session.ts'
import { findUserById, type UserRow } from './user.store.ts'

/** Trades a sign-in link for a session, once: the conditional update makes a second use lose. */
export async function consumeSignInLink(
  db: Db,
  token: string,
  now: Date,
): Promise<{ user: UserRow; session: StartedSession }> {
  const refused = new AppError('unauthenticated', { key: 'auth.link-refused' })
  const at = now.toISOString()
  return db.transaction().execute(async (trx) => {
    const link = await trx
      .selectFrom('sign_in_links')
      .select(['user_id', 'expires_at'])
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (!link || link.expires_at <= at) throw refused
    const claimed = await trx
      .updateTable('sign_in_links')
      .set({ used_at: at })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) !== 1) throw refused
    const user = await findUserById(trx, link.user_id)
    if (!user || user.disabled) throw refused
    return { user, session: await startSession(trx, user.id, now) }
  })
}
