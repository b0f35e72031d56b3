import crypto from 'node:crypto'
import type { Actor } from '../auth/index.ts'
import { absolutePageUrl, pages } from '../contracts/pages.ts'
import type { Db } from '../db/database.ts'
import { enqueueEmail } from '../notify/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { refuseWhileClaimOpen } from './claim-holds-unit.ts'
import { customerMailLocale } from './customer-mail-locale.ts'
import type { CustomersTable } from './registry.tables.ts'
import { findUnitBySerial, type UnitRecord } from './unit.store.ts'

export const UNIT_OFFERED_TEMPLATE = 'unit.offered'

/**
 * A seller (dealer or integration) names the buyer of a unit by e-mail. Whether that
 * address is already a customer or not, the unit stays unowned and the customer is asked to
 * accept it: the seller gains no view of an existing customer, learns nothing about whether
 * the address was known, and nobody is handed a unit they did not buy without saying so.
 */
export async function offerUnitToCustomer(
  trx: Db,
  offer: {
    unit: UnitRecord
    customer: Pick<
      CustomersTable,
      'id' | 'name' | 'email' | 'locale' | 'locale_chosen_at' | 'locale_guessed_at' | 'address'
    >
    /** A second-hand sale by the unit's owner: who sells it on, and on which day. */
    transfer?: { fromCustomerId: string; transferredOn: string }
  },
  by: { actor: Actor; sellerName: string; publicUrl: string; now: string },
): Promise<void> {
  await trx
    .insertInto('unit_ownership_offers')
    .values({
      serial: offer.unit.serial,
      customer_id: offer.customer.id,
      offered_by_user_id: by.actor.userId,
      offered_at: by.now,
      from_customer_id: offer.transfer?.fromCustomerId ?? null,
      transferred_on: offer.transfer?.transferredOn ?? null,
    })
    .execute()
  await enqueueEmail(
    trx,
    {
      to: offer.customer.email,
      template: UNIT_OFFERED_TEMPLATE,
      locale: customerMailLocale(offer.customer),
      data: {
        recipientName: offer.customer.name,
        sellerName: by.sellerName,
        model: offer.unit.modelName,
        serial: offer.unit.serial,
        link: absolutePageUrl(by.publicUrl, pages.signIn(pages.home('customer'))),
      },
    },
    { now: new Date(by.now) },
  )
}

/** Units waiting for this customer to accept or decline them. */
export function listUnitOffers(db: Db, customerId: string) {
  return (
    db
      .selectFrom('unit_ownership_offers as o')
      .innerJoin('units as u', 'u.serial', 'o.serial')
      .innerJoin('product_models as m', 'm.id', 'u.model_id')
      .leftJoin('organisations as d', 'd.id', 'u.dealer_org_id')
      // A second-hand sale is offered by its owner, who is the seller the buyer knows.
      .leftJoin('customers as owner', 'owner.id', 'o.from_customer_id')
      .select((eb) => [
        'o.serial',
        'o.offered_at as offeredAt',
        'm.name as model',
        'u.purchased_on as purchasedOn',
        eb.fn.coalesce('owner.name', 'd.name').as('sellerName'),
      ])
      .where('o.customer_id', '=', customerId)
      .orderBy('o.offered_at', 'desc')
      .execute()
  )
}

/** An offer waiting on a unit, as its owner and staff see it: to whom, and since when. */
export interface PendingOfferView {
  toEmail: string
  offeredAt: string
}

/**
 * The offers waiting on these units, by serial. With `fromCustomerId`, only that owner's own
 * offers: an address a seller offered the unit to before is not theirs to read.
 */
export async function findPendingOffers(
  db: Db,
  serials: string[],
  fromCustomerId?: string,
): Promise<Map<string, PendingOfferView>> {
  if (serials.length === 0) return new Map()
  let query = db
    .selectFrom('unit_ownership_offers as o')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .select(['o.serial', 'c.email', 'o.offered_at'])
    .where('o.serial', 'in', serials)
  if (fromCustomerId !== undefined) query = query.where('o.from_customer_id', '=', fromCustomerId)
  const rows = await query.execute()
  return new Map(rows.map((row) => [row.serial, { toEmail: row.email, offeredAt: row.offered_at }]))
}

/**
 * The customer's answer to an offer. Accepting makes them the owner (of a second-hand unit,
 * recorded as a transfer from the owner who offered it); declining withdraws the offer and
 * leaves the unit as it was. An offer made to someone else is not found.
 */
export async function answerUnitOffer(
  ctx: AppContext,
  actor: Actor,
  serial: string,
  accept: boolean,
): Promise<UnitRecord> {
  const notFound = () =>
    new AppError('not-found', { key: 'registry.offer.not-found', params: { serial } }, { field: 'serial' })
  if (actor.role !== 'customer' || !actor.customerId) throw notFound()
  const customerId = actor.customerId
  const now = ctx.now().toISOString()
  await ctx.db.transaction().execute(async (trx) => {
    const offer = await trx
      .deleteFrom('unit_ownership_offers')
      .where('serial', '=', serial)
      .where('customer_id', '=', customerId)
      .returning(['from_customer_id', 'transferred_on', 'offered_by_user_id'])
      .executeTakeFirst()
    if (offer === undefined) throw notFound()
    if (!accept) return
    // Accepting an owner's offer while a claim on the unit is open would leave the claim with
    // someone who no longer owns it; the offer stays until the claim is closed. A seller's
    // offer is the first sale: a claim on it is already the buyer's or the seller's to follow.
    if (offer.from_customer_id !== null)
      await refuseWhileClaimOpen(trx, actor, serial, ctx.engine === 'postgres')
    const from = offer.from_customer_id
    // The owner check sits in the update itself: a unit that changed hands meanwhile is not taken.
    const taken = await trx
      .updateTable('units')
      .set({ owner_customer_id: customerId, updated_at: now, ...(from === null ? {} : { second_hand: 1 }) })
      .where('serial', '=', serial)
      .where((eb) =>
        from === null ? eb('owner_customer_id', 'is', null) : eb('owner_customer_id', '=', from),
      )
      .executeTakeFirst()
    if (from !== null && Number(taken.numUpdatedRows) === 1)
      await trx
        .insertInto('ownership_transfers')
        .values({
          id: `xfer-${crypto.randomUUID()}`,
          serial,
          from_customer_id: from,
          to_customer_id: customerId,
          transferred_on: offer.transferred_on ?? now.slice(0, 10),
          recorded_by_user_id: offer.offered_by_user_id,
          created_at: now,
        })
        .execute()
    if (Number(taken.numUpdatedRows) !== 1) {
      throw new AppError(
        'conflict',
        { key: 'registry.offer.has-owner', params: { serial } },
        { field: 'serial' },
      )
    }
  })
  return (await findUnitBySerial(ctx.db, serial)) as UnitRecord
}
