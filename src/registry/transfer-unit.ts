import crypto from 'node:crypto'
import { type Actor, isStaff } from '../auth/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { findOrCreateCustomer } from './find-or-create-customer.ts'
import { findUnitBySerial, isUnitInScope } from './unit.store.ts'
import { unitScopeFor } from './unit-scope.ts'

export interface TransferInput {
  toEmail: string
  toName?: string
  transferredOn?: string
}

/**
 * Hands a unit to a new owner (a second-hand sale). Staff or the current owner may do it;
 * the unit becomes second hand, which several policies weigh (seed 003 asks who bought it).
 */
export async function transferUnit(ctx: AppContext, actor: Actor, serial: string, input: TransferInput) {
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
  return { serial: unit.serial, fromCustomerId: unit.ownerCustomerId, toCustomerId: to.id, transferredOn }
}
