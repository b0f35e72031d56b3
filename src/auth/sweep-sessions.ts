import type { Db } from '../db/database.ts'
import { SESSION_IDLE_MS } from './resolve-actor.ts'

/**
 * Deletes sessions past their end or idle too long, and sign-in links past their expiry:
 * they can no longer be used, and a stolen database should hold as few as possible.
 */
export async function sweepExpiredSessions(db: Db, now: Date): Promise<{ sessions: number; links: number }> {
  const at = now.toISOString()
  const idleSince = new Date(now.getTime() - SESSION_IDLE_MS).toISOString()
  const sessions = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', at), eb('last_seen_at', '<=', idleSince)]))
    .executeTakeFirst()
  const links = await db.deleteFrom('sign_in_links').where('expires_at', '<=', at).executeTakeFirst()
  return { sessions: Number(sessions.numDeletedRows), links: Number(links.numDeletedRows) }
}
