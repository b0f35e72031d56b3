import type { Db } from '../db/database.ts'
import { preparedQuery } from '../db/prepared-query.ts'
import type { SessionsTable, UsersTable } from './auth.tables.ts'

export async function insertSession(db: Db, session: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(session).execute()
}

export type SessionWithUser = SessionsTable & {
  user: Pick<UsersTable, 'id' | 'email' | 'name' | 'role' | 'org_id' | 'customer_id' | 'disabled'>
  /** The user's organisation when it was deactivated: its users are refused, not signed out. */
  inactiveOrg: { id: string; name: string } | null
}

const sessionWithUser = preparedQuery((db: Db, id: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('organisations', 'organisations.id', 'users.org_id')
    .select([
      'sessions.id',
      'sessions.user_id',
      'sessions.csrf_token',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.email',
      'users.name',
      'users.role',
      'users.org_id',
      'users.customer_id',
      'users.disabled',
      'organisations.name as org_name',
      'organisations.active as org_active',
    ])
    .where('sessions.id', '=', id),
)

/** Read on nearly every request, so prepared once (see `preparedQuery`). */
export async function findSessionWithUser(db: Db, id: string): Promise<SessionWithUser | undefined> {
  const row = await sessionWithUser.executeTakeFirst(db, id)
  if (!row) return undefined
  const { email, name, role, org_id, customer_id, disabled, org_name, org_active, ...session } = row
  return {
    ...session,
    user: { id: session.user_id, email, name, role, org_id, customer_id, disabled },
    inactiveOrg: org_id !== null && org_active === 0 ? { id: org_id, name: org_name ?? org_id } : null,
  }
}

export async function touchSession(db: Db, id: string, lastSeenAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: lastSeenAt }).where('id', '=', id).execute()
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute()
}

export async function deleteExpiredSessions(db: Db, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute()
}
