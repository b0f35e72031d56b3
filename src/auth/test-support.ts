import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { insertOrganisationIfAbsent, toCustomerRow, toOrganisationRow } from '../registry/index.ts'
import type { Role } from './actor.ts'
import { createApiKey } from './create-api-key.ts'
import { createUser } from './create-user.ts'

/**
 * For tests: creates a user of the given role and returns headers that authenticate as
 * them. The headers carry an API key, so state-changing requests need no CSRF token.
 * Dealers without `orgId` and customers without `customerId` get a made-up one.
 */
export async function createTestUser(
  db: Kysely<Database>,
  options: { role: Role; orgId?: string | null; customerId?: string | null; email?: string; name?: string },
): Promise<{ userId: string; headers: Record<string, string> }> {
  const suffix = crypto.randomBytes(4).toString('hex')
  const now = new Date()
  const orgId = options.orgId ?? (options.role === 'dealer' ? `org-${suffix}` : null)
  const customerId = options.customerId ?? (options.role === 'customer' ? `cus-${suffix}` : null)
  // A user belongs to records that exist: the made-up ones are made.
  if (orgId)
    await insertOrganisationIfAbsent(
      db,
      toOrganisationRow(
        {
          id: orgId,
          kind: 'dealer',
          name: `Test dealer ${orgId}`,
          country: 'DE',
          email: `${orgId}@test.invalid`,
        },
        now.toISOString(),
      ),
    )
  if (customerId)
    await db
      .insertInto('customers')
      .values(
        toCustomerRow(
          customerId,
          { name: `Test customer ${customerId}`, email: `${customerId}@test.invalid` },
          now.toISOString(),
        ),
      )
      .onConflict((oc) => oc.doNothing())
      .execute()
  const user = await createUser(
    db,
    {
      email: options.email ?? `${options.role}-${suffix}@test.invalid`,
      name: options.name ?? `Test ${options.role} ${suffix}`,
      role: options.role,
      orgId,
      customerId,
    },
    now,
  )
  const { key } = await createApiKey(
    db,
    { name: `test key for ${user.email}`, userId: user.id, createdBy: null },
    now,
  )
  return { userId: user.id, headers: { authorization: `Bearer ${key}` } }
}
