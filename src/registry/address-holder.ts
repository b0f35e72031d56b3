import { findUserByEmail } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import { findCustomerByEmail } from './customer.store.ts'

/** Whom an e-mail address belongs to: a registry customer, or a user who is none. */
export type AddressHolder = { customerId: string } | { userId: string }

/**
 * Who has an address now: the customer with it, else the customer whose sign-in account has
 * it, else the staff, dealer or integration user; undefined when nobody has it.
 */
export async function holderOfAddress(db: Db, address: string): Promise<AddressHolder | undefined> {
  const customer = await findCustomerByEmail(db, address)
  if (customer) return { customerId: customer.id }
  const user = await findUserByEmail(db, address.trim())
  if (!user) return undefined
  return user.customer_id ? { customerId: user.customer_id } : { userId: user.id }
}
