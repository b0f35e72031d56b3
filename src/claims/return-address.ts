import type { Actor } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import {
  findCustomerAddress,
  findCustomerById,
  listCustomerAddresses,
  type PostalAddress,
  serviceAddressToPostal,
  toPostalAddress,
} from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { findClaim } from './claim.store.ts'
import { requireVisibleClaim } from './claim-access.ts'
import { isReturnShipped } from './domain/claim-states.ts'

export async function findReturnAddress(db: Db, claimId: string): Promise<PostalAddress | undefined> {
  const row = await db
    .selectFrom('claim_return_addresses')
    .select('address_json')
    .where('claim_id', '=', claimId)
    .executeTakeFirst()
  return row ? (JSON.parse(row.address_json) as PostalAddress) : undefined
}

export type ReturnAddressInput = { addressId: string } | { address: PostalAddress }

/**
 * Sets the address the unit goes back to: one of the customer's saved addresses or one
 * entered for this claim. The claim's customer and staff may change it until the return
 * ships; a dealer sees it but the parcel is the customer's.
 */
export async function setReturnAddress(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  input: ReturnAddressInput,
): Promise<PostalAddress> {
  return ctx.db.transaction().execute(async (trx) => {
    const claim = requireVisibleClaim(await findClaim(trx, claimId), actor, claimId)
    if (actor.role === 'dealer' || actor.role === 'integration')
      throw new AppError('forbidden', { key: 'claims.return-address.who' })
    if (isReturnShipped(claim.state))
      throw new AppError(
        'conflict',
        { key: 'claims.return-address.shipped', params: { state: claim.state } },
        {
          field: 'address',
        },
      )
    let address: PostalAddress
    let savedId: string | null = null
    if ('addressId' in input) {
      const saved = claim.customer_id
        ? await findCustomerAddress(trx, claim.customer_id, input.addressId)
        : undefined
      if (!saved)
        throw new AppError(
          'validation',
          { key: 'claims.return-address.unknown', params: { field: 'addressId', id: input.addressId } },
          {
            field: 'addressId',
          },
        )
      address = toPostalAddress(saved)
      savedId = saved.id
    } else {
      address = input.address
    }
    const now = ctx.now().toISOString()
    const row = {
      claim_id: claim.id,
      address_json: JSON.stringify(address),
      saved_address_id: savedId,
      updated_by: actor.userId,
      updated_at: now,
    }
    await trx
      .insertInto('claim_return_addresses')
      .values(row)
      .onConflict((oc) =>
        oc.column('claim_id').doUpdateSet({
          address_json: row.address_json,
          saved_address_id: row.saved_address_id,
          updated_by: row.updated_by,
          updated_at: row.updated_at,
        }),
      )
      .execute()
    return address
  })
}

/**
 * Where the unit goes back to: the claim's own return address, else the customer's first
 * saved address, else the address on their registry record (imported with customers).
 */
export async function resolveReturnAddress(db: Db, claimId: string): Promise<PostalAddress | undefined> {
  const own = await findReturnAddress(db, claimId)
  if (own) return own
  const claim = await findClaim(db, claimId)
  if (!claim?.customer_id) return undefined
  const [saved] = await listCustomerAddresses(db, claim.customer_id)
  if (saved) return toPostalAddress(saved)
  const customer = await findCustomerById(db, claim.customer_id)
  if (!customer?.address) return undefined
  const stored = JSON.parse(customer.address) as Record<string, string>
  if (!stored.line1 || !stored.city || !stored.country) return undefined
  return serviceAddressToPostal(customer.name, stored, customer.phone)
}

/** The check `ship-return` makes: no parcel leaves without somewhere to go. */
export async function requireReturnAddress(db: Db, claimId: string): Promise<PostalAddress> {
  const address = await resolveReturnAddress(db, claimId)
  if (!address)
    throw new AppError(
      'validation',
      { key: 'claims.return-address.missing', params: { field: 'returnAddress' } },
      {
        field: 'returnAddress',
      },
    )
  return address
}
