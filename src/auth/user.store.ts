import type { Db } from '../db/database.ts'
import { chosenCustomerLocale } from '../registry/index.ts'
import type { UsersTable } from './auth.tables.ts'

export type UserRow = UsersTable

export async function insertUser(db: Db, user: UserRow): Promise<void> {
  await db.insertInto('users').values(user).execute()
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findCustomerUser(db: Db, customerId: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('role', '=', 'customer')
    .executeTakeFirst()
}

/**
 * The users of an organisation who can still act, in one role: a disabled user (`disabled = 1`,
 * who can no longer sign in) is left out, and so is every user of a deactivated organisation,
 * who is refused at sign-in and could follow no link of ours. By e-mail address, so a list
 * reads the same every time.
 */
export async function listActiveOrgUsers(
  db: Db,
  orgId: string,
  role: UserRow['role'],
): Promise<Array<Pick<UserRow, 'id' | 'email' | 'name'> & { locale: string | null }>> {
  return db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select(['users.id', 'users.email', 'users.name', 'users.locale'])
    .where('users.org_id', '=', orgId)
    .where('users.role', '=', role)
    .where('users.disabled', '=', 0)
    .where('organisations.active', '=', 1)
    .orderBy('users.email')
    .execute()
}

/**
 * The staff who can still act, in the roles given: accounts of no organisation (the
 * installation's own people), a disabled one left out. By e-mail address, as above.
 */
export async function listActiveStaffUsers(
  db: Db,
  roles: readonly UserRow['role'][],
): Promise<Array<Pick<UserRow, 'id' | 'email' | 'name'> & { locale: string | null }>> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'locale'])
    .where('org_id', 'is', null)
    .where('role', 'in', [...roles])
    .where('disabled', '=', 0)
    .orderBy('email')
    .execute()
}

/** By e-mail address; `after` is the address the previous page ended with. */
export async function listUsers(
  db: Db,
  filter: { role?: string | undefined; limit: number; after?: string | undefined },
) {
  let query = db.selectFrom('users').selectAll().orderBy('email').limit(filter.limit)
  if (filter.role) query = query.where('role', '=', filter.role as UserRow['role'])
  if (filter.after) query = query.where('email', '>', filter.after)
  return query.execute()
}

/**
 * The language an account reads in: a customer's profile language (the registry's
 * `customers.locale`, which their e-mails follow) once chosen, else the one a staff or dealer
 * user chose; null when the account never chose.
 */
export async function accountLocale(
  db: Db,
  account: { userId: string; customerId: string | null },
): Promise<'en' | 'zh' | null> {
  // A customer's stored language is only the default until they (or staff on their word)
  // choose one: until then the page keeps to the browser's.
  const locale =
    account.customerId === null
      ? (await db.selectFrom('users').select('locale').where('id', '=', account.userId).executeTakeFirst())
          ?.locale
      : await chosenCustomerLocale(db, account.customerId)
  return locale === 'en' || locale === 'zh' ? locale : null
}
