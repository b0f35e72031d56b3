import crypto from 'node:crypto'
import { type Actor, isStaff } from '../auth/index.ts'
import { absolutePageUrl, pages } from '../contracts/pages.ts'
import { type Db, isUniqueViolation } from '../db/database.ts'
import { enqueueEmail } from '../notify/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { localDate } from '../shared/local-date.ts'
import { refuseLaterThanToday } from '../shared/not-later-than-today.ts'
import { refuseWhileClaimOpen } from './claim-holds-unit.ts'
import { findCustomerById } from './customer.store.ts'
import { customerMailLocale } from './customer-mail-locale.ts'
import { findOrCreateCustomer } from './find-or-create-customer.ts'
import type { CustomersTable } from './registry.tables.ts'
import { findUnitBySerial, findUnitOffer, isUnitInScope, type UnitRecord } from './unit.store.ts'
import { offerUnitToCustomer } from './unit-offer.ts'
import { unitScopeFor } from './unit-scope.ts'

/** To the new owner of a unit staff transferred. */
export const UNIT_TRANSFERRED_TEMPLATE = 'unit.transferred'
/** To the buyer of an offer a staff transfer cleared. */
export const UNIT_OFFER_WITHDRAWN_TEMPLATE = 'unit.offer-withdrawn'
/** To the owner a staff transfer took the unit from, or whose ownership an import cleared. */
export const UNIT_TRANSFERRED_AWAY_TEMPLATE = 'unit.transferred-away'

export interface TransferInput {
  toEmail: string
  toName?: string
  /** The new owner's language when the transfer makes them a customer (an existing one keeps theirs). */
  toLocale?: 'en' | 'zh'
  transferredOn?: string
  /**
   * The owner the caller saw (null: none). When the unit has another by now, the transfer
   * is refused: a clerk working from an old page must not move a unit someone just received.
   */
  fromCustomerId?: string | null
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
 * several policies weigh (seed 003 asks who bought it). Staff record it at once: the new
 * owner is e-mailed (`unit.transferred`), and so is the buyer of any offer it clears
 * (`unit.offer-withdrawn`), who is not told who has the unit now. An owner
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
  // A page that showed another owner is told so first: it chose its day against the owner it
  // showed, and a refusal of that day against the owner since would not say what went wrong.
  if (input.fromCustomerId !== undefined && input.fromCustomerId !== unit.ownerCustomerId) {
    throw new AppError('conflict', { key: 'registry.transfer.owner-changed' }, { field: 'fromCustomerId' })
  }
  const now = ctx.now().toISOString()
  // Unsaid, the unit changed hands today where its policy counts its days, as it counted the purchase's.
  const transferredOn = input.transferredOn ?? localDate(new Date(now), unitTimeZone(ctx, unit))
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
  // The owners follow one another: a unit is not passed on before its owner received it.
  const received = await lastTransferDay(ctx.db, unit.serial)
  if (received !== undefined && transferredOn < received) {
    throw new AppError(
      'validation',
      { key: 'registry.transfer.before-last-transfer', params: { field: 'transferredOn', day: received } },
      { field: 'transferredOn' },
    )
  }
  if (isOwner) return offerTransfer(ctx, actor, unit, input, transferredOn, now)
  const to = await findOrCreateCustomer(ctx.db, input.toEmail, input.toName, now, input.toLocale)
  if (to.id === unit.ownerCustomerId) {
    throw new AppError('conflict', { key: 'registry.transfer.same-owner' }, { field: 'toEmail' })
  }
  await ctx.db.transaction().execute(async (trx) => {
    await refuseWhileClaimOpen(trx, actor, unit.serial, ctx.engine === 'postgres')
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
    await recordOwnershipTransfer(ctx, trx, {
      unit,
      fromCustomerId: unit.ownerCustomerId,
      to,
      transferredOn,
      recordedByUserId: actor.userId,
      now,
    })
  })
  return {
    serial: unit.serial,
    fromCustomerId: unit.ownerCustomerId,
    toCustomerId: to.id,
    transferredOn,
    status: 'transferred',
  }
}

/** A customer a unit passes to, with what chooses the language their e-mail is written in. */
type TransferRecipient = Pick<
  CustomersTable,
  'id' | 'email' | 'name' | 'locale' | 'locale_chosen_at' | 'locale_guessed_at' | 'address'
>

/**
 * Records, in the caller's transaction, that a unit already moved to `to` passed to them
 * from its former owner, and tells those it concerns: an offer still waiting is cleared and
 * its buyer told, the former owner is told the unit is no longer theirs and the new owner
 * that it is. Told in the transfer's transaction: a transfer refused or rolled back tells
 * nobody. Staff transfers and the units import record owner changes through it alike.
 */
export async function recordOwnershipTransfer(
  ctx: Pick<AppContext, 'config' | 'policies'>,
  trx: Db,
  change: {
    unit: UnitRecord
    fromCustomerId: string | null
    to: TransferRecipient
    transferredOn: string
    recordedByUserId: string | null
    now: string
  },
): Promise<void> {
  const { unit, to, transferredOn, now } = change
  // An offer still waiting (the former owner's, or a seller's) can no longer be accepted,
  // and while it stays the new owner could never offer the unit on.
  const cleared = await trx
    .deleteFrom('unit_ownership_offers')
    .where('serial', '=', unit.serial)
    .returning(['customer_id', 'from_customer_id', 'offered_at'])
    .execute()
  await trx
    .insertInto('ownership_transfers')
    .values({
      id: `xfer-${crypto.randomUUID()}`,
      serial: unit.serial,
      from_customer_id: change.fromCustomerId,
      to_customer_id: to.id,
      transferred_on: transferredOn,
      recorded_by_user_id: change.recordedByUserId,
      created_at: now,
    })
    .execute()
  const sellerName = await sellerNameOf(trx, unit)
  for (const offer of cleared) {
    // The buyer staff record as the new owner is told so below, not that their offer went.
    if (offer.customer_id === to.id) continue
    await tellOfferWithdrawn(trx, unit, offer, sellerName, 'owner-changed', now, unitTimeZone(ctx, unit))
  }
  if (change.fromCustomerId !== null)
    await tellFormerOwner(trx, unit, change.fromCustomerId, sellerName, {
      reason: 'transferred',
      on: transferredOn,
      now,
    })
  await enqueueEmail(
    trx,
    {
      to: to.email,
      template: UNIT_TRANSFERRED_TEMPLATE,
      locale: customerMailLocale(to),
      data: {
        recipientName: to.name,
        sellerName,
        model: unit.modelName,
        serial: unit.serial,
        transferredOn,
        link: absolutePageUrl(ctx.config.publicUrl, pages.signIn(pages.home('customer'))),
      },
    },
    { now: new Date(now) },
  )
}

/**
 * Records, in the caller's transaction, that a unit no longer has the owner it had (the
 * seller's books name nobody now), and tells those it concerns as a transfer would: an offer
 * the former owner made can no longer be theirs to make, so it is cleared and its buyer told,
 * and the former owner is told the unit is no longer registered to them. Nobody received the
 * unit, so no transfer is recorded.
 */
export async function recordOwnerCleared(
  trx: Db,
  change: { unit: UnitRecord; fromCustomerId: string; clearedOn: string; now: string; timeZone: string },
): Promise<void> {
  const { unit, now } = change
  const cleared = await trx
    .deleteFrom('unit_ownership_offers')
    .where('serial', '=', unit.serial)
    .where('from_customer_id', '=', change.fromCustomerId)
    .returning(['customer_id', 'from_customer_id', 'offered_at'])
    .execute()
  const sellerName = await sellerNameOf(trx, unit)
  for (const offer of cleared)
    await tellOfferWithdrawn(trx, unit, offer, sellerName, 'owner-changed', now, change.timeZone)
  await tellFormerOwner(trx, unit, change.fromCustomerId, sellerName, {
    reason: 'owner-cleared',
    on: change.clearedOn,
    now,
  })
}

/** Tells the owner a unit left that it is no longer registered to them, in their mail language. */
async function tellFormerOwner(
  trx: Db,
  unit: UnitRecord,
  formerCustomerId: string,
  sellerName: string,
  change: { reason: 'transferred' | 'owner-cleared'; on: string; now: string },
): Promise<void> {
  const former = await findCustomerById(trx, formerCustomerId)
  if (!former) return
  await enqueueEmail(
    trx,
    {
      to: former.email,
      template: UNIT_TRANSFERRED_AWAY_TEMPLATE,
      locale: customerMailLocale(former),
      data: {
        recipientName: former.name,
        sellerName,
        model: unit.modelName,
        serial: unit.serial,
        transferredOn: change.on,
        ...(change.reason === 'owner-cleared' ? { reason: change.reason } : {}),
      },
    },
    { now: new Date(change.now) },
  )
}

/** The day the unit passed to its present owner, when it was transferred at all. */
async function lastTransferDay(db: Db, serial: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('ownership_transfers')
    .select((eb) => eb.fn.max('transferred_on').as('day'))
    .where('serial', '=', serial)
    .executeTakeFirst()
  return row?.day ?? undefined
}

/** The seller whose staff speak for the unit: the organisation that sold it, else its brand. */
async function sellerNameOf(trx: Db, unit: UnitRecord): Promise<string> {
  if (unit.sellerOrgId === null) return unit.brandName
  const seller = await trx
    .selectFrom('organisations')
    .select('name')
    .where('id', '=', unit.sellerOrgId)
    .executeTakeFirst()
  return seller?.name ?? unit.brandName
}

/** The zone the unit's policy counts its days in: the days of its sale and transfers are its days. */
export const unitTimeZone = (ctx: Pick<AppContext, 'policies'>, unit: UnitRecord): string =>
  ctx.policies.summary(unit.policyId, unit.policyVersion)?.timeZone ?? 'UTC'

/**
 * Tells the buyer of an offer that went (a staff transfer cleared it, or it was withdrawn) that
 * it can no longer be accepted, in their language: who offered it (an owner selling it on, else
 * the dealer or brand that sold it, as the offer named them) and the seller to contact, never
 * who owns the unit now.
 */
async function tellOfferWithdrawn(
  trx: Db,
  unit: UnitRecord,
  offer: { customer_id: string; from_customer_id: string | null; offered_at: string },
  sellerName: string,
  reason: 'owner-changed' | 'withdrawn',
  now: string,
  timeZone: string,
): Promise<void> {
  const buyer = await findCustomerById(trx, offer.customer_id)
  if (!buyer) return
  const offeredBy =
    offer.from_customer_id === null
      ? (unit.dealerName ?? unit.brandName)
      : ((await findCustomerById(trx, offer.from_customer_id))?.name ?? unit.brandName)
  await enqueueEmail(
    trx,
    {
      to: buyer.email,
      template: UNIT_OFFER_WITHDRAWN_TEMPLATE,
      locale: customerMailLocale(buyer),
      data: {
        recipientName: buyer.name,
        offerKind: offer.from_customer_id === null ? 'sale' : 'second-hand',
        offeredBy,
        offeredOn: localDate(new Date(offer.offered_at), timeZone),
        sellerName,
        model: unit.modelName,
        serial: unit.serial,
        reason,
      },
    },
    { now: new Date(now) },
  )
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
  const pending = () =>
    new AppError(
      'conflict',
      {
        key: 'registry.transfer.pending',
        params: { route: `DELETE /api/v1/units/${unit.serial}/transfers/pending` },
      },
      { field: 'serial' },
    )
  await ctx.db.transaction().execute(async (trx) => {
    // Offers of one unit queue up on its row (SQLite has one writer anyway): two at once
    // otherwise both find none and the second fails on the offer's key.
    if ((await currentOwner(trx, unit.serial, ctx.engine === 'postgres')) !== owner) {
      throw new AppError('conflict', { key: 'registry.transfer.owner-changed' })
    }
    await refuseWhileClaimOpen(trx, actor, unit.serial, false)
    await clearStaleOffers(trx, unit.serial, owner)
    if (await findUnitOffer(trx, unit.serial)) throw pending()
    const seller = await findCustomerById(trx, owner)
    // A buyer the owner names without a language most likely reads the owner's: the web's
    // pass-on form does not ask, and a Chinese owner's buyer was written to in English.
    const toLocale = input.toLocale ?? (seller?.locale === 'zh' ? 'zh' : undefined)
    // The guess is not the buyer's choice: their sign-in link still follows their browser.
    const to = await findOrCreateCustomer(trx, input.toEmail, input.toName, now, toLocale)
    if (to.id === owner) {
      throw new AppError('conflict', { key: 'registry.transfer.same-owner' }, { field: 'toEmail' })
    }
    try {
      await offerUnitToCustomer(
        trx,
        { unit, customer: to, transfer: { fromCustomerId: owner, transferredOn } },
        { actor, sellerName: seller?.name ?? unit.brandName, publicUrl: ctx.config.publicUrl, now },
      )
    } catch (error) {
      // An offer made by a path that does not lock the unit (a seller's sale) got in first.
      if (isUniqueViolation(error)) throw pending()
      throw error
    }
  })
  // The answer is the same whoever the address belongs to: the buyer is not named.
  return { serial: unit.serial, fromCustomerId: owner, toCustomerId: null, transferredOn, status: 'offered' }
}

async function currentOwner(trx: Db, serial: string, lock: boolean): Promise<string | null | undefined> {
  const query = trx.selectFrom('units').select('owner_customer_id').where('serial', '=', serial)
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst()
  return row?.owner_customer_id
}

/**
 * Removes offers of the unit made by someone who no longer owns it (left by a transfer
 * recorded before staff transfers cleared them): accepting them is refused anyway, and
 * they would keep the owner from offering the unit on.
 */
function clearStaleOffers(trx: Db, serial: string, owner: string) {
  return trx
    .deleteFrom('unit_ownership_offers')
    .where('serial', '=', serial)
    .where((eb) => eb.or([eb('from_customer_id', 'is', null), eb('from_customer_id', '<>', owner)]))
    .execute()
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
  // Any offer of an owned unit is its owner's to withdraw: one made by an earlier owner or
  // seller can no longer be accepted and only stands in the way. The buyer, who may have
  // paid already, is told in the same transaction, so a withdrawal nobody hears of cannot happen.
  const now = ctx.now().toISOString()
  await ctx.db.transaction().execute(async (trx) => {
    const withdrawn = await trx
      .deleteFrom('unit_ownership_offers')
      .where('serial', '=', unit.serial)
      .returning(['customer_id', 'from_customer_id', 'offered_at'])
      .execute()
    if (withdrawn.length < 1) throw notFound
    const sellerName = await sellerNameOf(trx, unit)
    for (const offer of withdrawn)
      await tellOfferWithdrawn(trx, unit, offer, sellerName, 'withdrawn', now, unitTimeZone(ctx, unit))
  })
}
