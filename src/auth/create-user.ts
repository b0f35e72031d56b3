import crypto from 'node:crypto'
import { type Db, isUniqueViolation } from '../db/database.ts'
import { findCustomerById } from '../registry/index.ts'
import { AppError } from '../shared/errors.ts'
import type { Role } from './actor.ts'
import { hashPassword } from './secrets.ts'
import { insertUser, type UserRow } from './user.store.ts'

export interface NewUser {
  email: string
  name: string
  role: Role
  orgId?: string | null
  customerId?: string | null
  /** Absent for customers (they sign in by link) and integrations (they use keys). */
  password?: string | null
}

/** Creates a user; a dealer must belong to an organisation and a customer must be a registry customer. */
export async function createUser(db: Db, input: NewUser, now: Date): Promise<UserRow> {
  if (input.role === 'dealer' && !input.orgId) {
    throw new AppError(
      'validation',
      { key: 'auth.dealer-needs-org', params: { field: 'orgId' } },
      { field: 'orgId' },
    )
  }
  if (input.role === 'customer' && !input.customerId) {
    throw new AppError(
      'validation',
      { key: 'auth.customer-needs-record', params: { field: 'customerId' } },
      {
        field: 'customerId',
      },
    )
  }
  // Only a dealer acts for an organisation, and only a customer for a registry customer: a link
  // on any other account is authority nobody meant to give, read as such by whatever reads it.
  if (input.orgId && input.role !== 'dealer')
    throw new AppError(
      'validation',
      { key: 'auth.org-for-dealers', params: { field: 'orgId', role: input.role } },
      { field: 'orgId' },
    )
  if (input.customerId && input.role !== 'customer')
    throw new AppError(
      'validation',
      { key: 'auth.customer-for-customers', params: { field: 'customerId', role: input.role } },
      { field: 'customerId' },
    )
  // A user tied to a record that does not exist would act for nobody (or, created later
  // under that id, for someone it was never meant to).
  const org = input.orgId
    ? await db
        .selectFrom('organisations')
        .select(['id', 'active'])
        .where('id', '=', input.orgId)
        .executeTakeFirst()
    : undefined
  if (input.orgId && !org)
    throw new AppError(
      'validation',
      { key: 'auth.org-unknown', params: { field: 'orgId', id: input.orgId } },
      { field: 'orgId' },
    )
  // A deactivated organisation's users are refused at every request: a new one (a person or
  // an API key's account) would be an account that can never be used until it is reactivated.
  if (input.orgId && org?.active === 0)
    throw new AppError(
      'conflict',
      { key: 'auth.org-inactive-new-user', params: { field: 'orgId', id: input.orgId } },
      { field: 'orgId' },
    )
  if (input.customerId && !(await findCustomerById(db, input.customerId)))
    throw new AppError(
      'validation',
      { key: 'auth.customer-unknown', params: { field: 'customerId', id: input.customerId } },
      { field: 'customerId' },
    )
  const at = now.toISOString()
  const user: UserRow = {
    id: crypto.randomUUID(),
    email: input.email.trim().toLowerCase(),
    name: input.name.trim(),
    role: input.role,
    org_id: input.orgId ?? null,
    customer_id: input.customerId ?? null,
    password_hash: input.password ? await hashPassword(input.password) : null,
    disabled: 0,
    // Until the user picks one in the web app, their organisation's country decides.
    locale: null,
    created_at: at,
    updated_at: at,
  }
  try {
    await insertUser(db, user)
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError(
        'conflict',
        { key: 'auth.user-exists', params: { email: user.email } },
        { field: 'email' },
      )
    }
    throw error
  }
  return user
}
