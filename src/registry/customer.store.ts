import { sql } from 'kysely'
import type { Db, Engine } from '../db/database.ts'
import { type PostalAddress, serializeAddress } from './domain/address.ts'
import type { CustomerAddressesTable, CustomersTable } from './registry.tables.ts'
import { soldThrough } from './unit.store.ts'

export interface CustomerInput {
  name: string
  email: string
  phone?: string | null
  address?: Record<string, string> | null
  locale?: 'en' | 'zh'
  /** Whether `locale` is the person's own choice (default: whenever one is given). */
  localeChosen?: boolean
}

export function toCustomerRow(id: string, input: CustomerInput, now: string): CustomersTable {
  return {
    id,
    name: input.name,
    email: input.email.trim().toLowerCase(),
    phone: input.phone ?? null,
    address: serializeAddress(input.address),
    locale: input.locale ?? 'en',
    locale_chosen_at: input.locale !== undefined && (input.localeChosen ?? true) ? now : null,
    locale_guessed_at: input.locale !== undefined && input.localeChosen === false ? now : null,
    created_at: now,
    updated_at: now,
  }
}

export function findCustomerById(db: Db, id: string) {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findCustomerByEmail(db: Db, email: string) {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst()
}

/**
 * Holds the customer's row until the transaction ends, so that work done for one customer
 * (say, creating their sign-in account) queues up instead of racing. SQLite has one writer
 * and needs no lock.
 */
export async function lockCustomerRow(db: Db, engine: Engine, id: string): Promise<void> {
  if (engine !== 'postgres') return
  await db.selectFrom('customers').select('id').where('id', '=', id).forUpdate().execute()
}

/**
 * The language a customer chose (or staff chose on their word); null while the stored one is
 * only the default.
 */
export async function chosenCustomerLocale(db: Db, id: string): Promise<string | null> {
  const customer = await findCustomerById(db, id)
  return customer?.locale_chosen_at == null ? null : customer.locale
}

export interface CustomerListOptions {
  /** Only customers owning at least one unit sold through this dealer organisation. */
  dealerOrgId?: string
  /** Only this customer (a customer listing themselves). */
  customerId?: string
  after?: string
  limit: number
}

export function listCustomers(db: Db, options: CustomerListOptions) {
  let query = db.selectFrom('customers as c').selectAll('c').orderBy('c.id').limit(options.limit)
  if (options.after) query = query.where('c.id', '>', options.after)
  if (options.customerId) query = query.where('c.id', '=', options.customerId)
  const dealerOrgId = options.dealerOrgId
  if (dealerOrgId) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('units as u')
          .select(sql<number>`1`.as('one'))
          .whereRef('u.owner_customer_id', '=', 'c.id')
          .where(soldThrough('u', dealerOrgId)),
      ),
    )
  }
  return query.execute()
}

/** Whether a dealer organisation sold a unit that this customer owns. */
export async function dealerServesCustomer(
  db: Db,
  dealerOrgId: string,
  customerId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('units')
    .select('serial')
    .where('owner_customer_id', '=', customerId)
    .where(soldThrough('units', dealerOrgId))
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/** A customer's saved addresses, oldest first (the first is the one offered by default). */
export function listCustomerAddresses(db: Db, customerId: string) {
  return db
    .selectFrom('customer_addresses')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** One address of this customer; another customer's address is simply not found. */
export function findCustomerAddress(db: Db, customerId: string, addressId: string) {
  return db
    .selectFrom('customer_addresses')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('id', '=', addressId)
    .executeTakeFirst()
}

export function toPostalAddress(row: CustomerAddressesTable): PostalAddress {
  return {
    name: row.name,
    street: row.street,
    ...(row.line2 ? { line2: row.line2 } : {}),
    city: row.city,
    ...(row.region ? { region: row.region } : {}),
    ...(row.postal_code ? { postalCode: row.postal_code } : {}),
    country: row.country,
    ...(row.phone ? { phone: row.phone } : {}),
  }
}

export function addressColumns(address: PostalAddress) {
  return {
    name: address.name,
    street: address.street,
    line2: address.line2 ?? null,
    city: address.city,
    region: address.region ?? null,
    postal_code: address.postalCode ?? null,
    country: address.country,
    phone: address.phone ?? null,
  }
}

/**
 * Records the language a customer was seen using (the web app they opened a claim in) for
 * their mail, unless they chose one: a choice is never overridden by a guess.
 */
export async function noteCustomerLanguageSeen(db: Db, customerId: string, locale: 'en' | 'zh', now: string) {
  await db
    .updateTable('customers')
    .set({ locale, locale_guessed_at: now })
    .where('id', '=', customerId)
    .where('locale_chosen_at', 'is', null)
    .execute()
}

/**
 * Records a language a client acting for the customer sent (an API key, not the person) as
 * one they were seen using, unless they chose one. The language already stored is left as
 * it is: an echo of the profile, which shows the column's default to a customer who never
 * chose, must not outweigh the country they live in.
 */
export async function noteLanguageSentForCustomer(
  db: Db,
  customerId: string,
  locale: 'en' | 'zh',
  now: string,
) {
  await db
    .updateTable('customers')
    .set({ locale, locale_guessed_at: now, updated_at: now })
    .where('id', '=', customerId)
    .where('locale_chosen_at', 'is', null)
    .where('locale', '<>', locale)
    .execute()
}
