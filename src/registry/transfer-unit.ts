import crypto from 'node:crypto'
import { type Actor, isStaff } from '../auth/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { refuseLaterThanToday } from '../shared/not-later-than-today.ts'
import { findCustomerById } from './customer.store.ts'
import { findOrCreateCustomer } from './find-or-create-customer.ts'
import { findUnitBySerial, findUnitOffer, isUnitInScope, type UnitRecord } from './unit.store.ts'
import { offerUnitToCustomer } from './unit-offer.ts'
import { unitScopeFor } from './unit-scope.ts'

export interface TransferInput {
  toEmail: string
  toName?: string
  transferredOn?: string
}

/** What a transfer answers: done at once (staff), or offered to the buyer (the owner). */
export interface TransferResult {
  serial: string
  fromCustomerId: string | null
  /** The new owner; null while the buyer has not accepted (and never shown to the seller). */
  toCustomerId: string | null
  transferredOn: string
  status: 'transferred' | 'offered'
}

/**
 * Hands a unit to a new owner (a second-hand sale); the unit becomes second hand, which
 * several policies weigh (seed 003 asks who bought it). Staff record it at once. An owner
 * offers it: the buyer accepts after signing in, as for a seller's sale (`offerUnitToCustomer`),
 * so an owner can neither push a unit on someone nor learn whether an address is a customer.
 */
export async function transferUnit(
  ctx: AppContext,
  actor: Actor,
  serial: string,
  input: TransferInput,
): Promise<TransferResult> {
  const unit = await findUnitBySerial(ctx.db, serial)
  if (!unit || !isUnitInScope(unit, unitScopeFor(actor))) {
    throw new AppError(
      'not-found',
      { key: 'unit.not-found', params: { serial: serial } },
      { field: 'serial' },
    )
  }
  const isOwner = actor.role === 'customer' && actor.customerId === unit.ownerCustomerId
  if (!isStaff(actor) && !isOwner) {
    throw new AppError('forbidden', { key: 'registry.transfer.who' })
  }
  const now = ctx.now().toISOString()
  const transferredOn = input.transferredOn ?? now.slice(0, 10)
  if (unit.purchasedOn && transferredOn < unit.purchasedOn) {
    throw new AppError(
      'validation',
      { key: 'registry.transfer.before-purchase', params: { field: 'transferredOn' } },
      {
        field: 'transferredOn',
      },
    )
  }
  refuseLaterThanToday('transferredOn', transferredOn, now)
  if (isOwner) return offerTransfer(ctx, actor, unit, input, transferredOn, now)
  const to = await findOrCreateCustomer(ctx.db, input.toEmail, input.toName, now)
  if (to.id === unit.ownerCustomerId) {
    throw new AppError('conflict', { key: 'registry.transfer.same-owner' }, { field: 'toEmail' })
  }
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('units')
      .set({ owner_customer_id: to.id, second_hand: 1, updated_at: now })
      .where('serial', '=', unit.serial)
      .where((eb) =>
        unit.ownerCustomerId === null
          ? eb('owner_customer_id', 'is', null)
          : eb('owner_customer_id', '=', unit.ownerCustomerId),
      )
      .executeTakeFirst()
    if (Number(moved.numUpdatedRows) !== 1) {
      throw new AppError('conflict', { key: 'registry.transfer.owner-changed' })
    }
    await trx
      .insertInto('ownership_transfers')
      .values({
        id: `xfer-${crypto.randomUUID()}`,
        serial: unit.serial,
        from_customer_id: unit.ownerCustomerId,
        to_customer_id: to.id,
        transferred_on: transferredOn,
        recorded_by_user_id: actor.userId,
        created_at: now,
      })
      .execute()
  })
  return {
    serial: unit.serial,
    fromCustomerId: unit.ownerCustomerId,
    toCustomerId: to.id,
    transferredOn,
    status: 'transferred',
  }
}

async function offerTransfer(
  ctx: AppContext,
  actor: Actor,
  unit: UnitRecord,
  input: TransferInput,
  transferredOn: string,
  now: string,
): Promise<TransferResult> {
  const owner = unit.ownerCustomerId as string
  await ctx.db.transaction().execute(async (trx) => {
    if (await findUnitOffer(trx, unit.serial)) {
      throw new AppError(
        'conflict',
        {
          key: 'registry.transfer.pending',
          params: { route: `DELETE /api/v1/units/${unit.serial}/transfers/pending` },
        },
        { field: 'serial' },
      )
    }
    const to = await findOrCreateCustomer(trx, input.toEmail, input.toName, now)
    if (to.id === owner) {
      throw new AppError('conflict', { key: 'registry.transfer.same-owner' }, { field: 'toEmail' })
    }
    const seller = await findCustomerById(trx, owner)
    await offerUnitToCustomer(
      trx,
      { unit, customer: to, transfer: { fromCustomerId: owner, transferredOn } },
      { actor, sellerName: seller?.name ?? unit.brandName, publicUrl: ctx.config.publicUrl, now },
    )
  })
  // The answer is the same whoever the address belongs to: the buyer is not named.
  return { serial: unit.serial, fromCustomerId: owner, toCustomerId: null, transferredOn, status: 'offered' }
}

/**
 * Withdraws a second-hand offer not answered yet: a mistyped address would otherwise hold the
 * unit until its stranger declined. The owner who made it, or staff, may; to anyone else there
 * is no such offer.
 */
export async function withdrawTransferOffer(ctx: AppContext, actor: Actor, serial: string): Promise<void> {
  const unit = await findUnitBySerial(ctx.db, serial)
  const notFound = new AppError(
    'not-found',
    { key: 'registry.offer.not-found', params: { serial } },
    { field: 'serial' },
  )
  if (!unit || unit.ownerCustomerId === null) throw notFound
  const isOwner = actor.role === 'customer' && actor.customerId === unit.ownerCustomerId
  if (!isStaff(actor) && !isOwner) throw notFound
  const withdrawn = await ctx.db
    .deleteFrom('unit_ownership_offers')
    .where('serial', '=', unit.serial)
    .where('from_customer_id', '=', unit.ownerCustomerId)
    .executeTakeFirst()
  if (Number(withdrawn.numDeletedRows) !== 1) throw notFound
}
