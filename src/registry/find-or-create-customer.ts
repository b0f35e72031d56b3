import crypto from 'node:crypto'
import type { Db } from '../db/database.ts'
import { findCustomerByEmail, toCustomerRow } from './customer.store.ts'

/**
 * The customer with this e-mail, created with a name taken from the address when new, and
 * `locale` for the mail they are sent (a customer who exists keeps theirs). Whoever creates
 * a customer here (staff, a seller, the previous owner) speaks for someone else: `locale` is
 * a guess, which the person's own choice replaces, never their choice.
 */
export async function findOrCreateCustomer(
  db: Db,
  email: string,
  name: string | undefined,
  now: string,
  locale?: 'en' | 'zh',
) {
  const existing = await findCustomerByEmail(db, email)
  if (existing) return existing
  const row = toCustomerRow(
    `cus-${crypto.randomUUID()}`,
    { name: name ?? email.split('@')[0] ?? email, email, ...(locale ? { locale, localeChosen: false } : {}) },
    now,
  )
  await db
    .insertInto('customers')
    .values(row)
    .onConflict((oc) => oc.column('email').doNothing())
    .execute()
  // A concurrent request may have created the same customer first; read back the winner.
  return (await findCustomerByEmail(db, email)) ?? row
}
