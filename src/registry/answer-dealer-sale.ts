import crypto from 'node:crypto'
import { type Actor, isStaff } from '../auth/index.ts'
import { settleDealerSaleOnClaims } from '../claims/index.ts'
import { canonicalSerial } from '../contracts/serial.ts'
import type { Db } from '../db/database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'

/** A sale a customer says a dealer made, as the dealer needs it to recognise the sale. */
export interface PendingDealerSale {
  serial: string
  model: string
  /** The purchase day the customer stated. */
  purchasedOn: string | null
  dealer: { id: string; name: string }
}

export type DealerSaleAnswer = 'confirm' | 'refuse'

export interface DealerSaleAnswerResult {
  serial: string
  status: 'confirmed' | 'refused'
}

/**
 * The sales waiting for this dealer's word (staff: every dealer's). Only the serial, the
 * model and the stated purchase day: who the buyer is stays hidden until the dealer says the
 * sale is its own.
 */
export async function listPendingDealerSales(
  db: Db,
  actor: Actor,
  limit: number,
  /** The dealer and serial of the last sale of the previous page. */
  after?: readonly [dealerOrgId: string, serial: string],
): Promise<PendingDealerSale[]> {
  if (!isStaff(actor) && !(actor.role === 'dealer' && actor.orgId)) return []
  let query = db
    .selectFrom('units as u')
    .innerJoin('product_models as m', 'm.id', 'u.model_id')
    .innerJoin('organisations as d', 'd.id', 'u.dealer_org_id')
    .select(['u.serial', 'm.name as model', 'u.purchased_on', 'd.id as dealer_id', 'd.name as dealer_name'])
    .where('u.dealer_confirmed', '=', 0)
    .orderBy('u.dealer_org_id')
    .orderBy('u.serial')
    .limit(limit)
  if (!isStaff(actor)) query = query.where('u.dealer_org_id', '=', actor.orgId)
  if (after !== undefined) {
    const [dealer, serial] = after
    query = query.where((eb) =>
      eb.or([
        eb('u.dealer_org_id', '>', dealer),
        eb.and([eb('u.dealer_org_id', '=', dealer), eb('u.serial', '>', serial)]),
      ]),
    )
  }
  const rows = await query.execute()
  return rows.map((row) => ({
    serial: row.serial,
    model: row.model,
    purchasedOn: row.purchased_on,
    dealer: { id: row.dealer_id, name: row.dealer_name },
  }))
}

/**
 * The named dealer, or the seller's staff, confirm or refuse a sale a customer stated. A
 * confirmed sale gives the dealer the unit and its claims; a refused one leaves the unit
 * with no dealer, sold by the seller as far as its policy can tell. Either way each open
 * claim of the unit records it, and on a refusal its customer is told by e-mail. A sale that is not
 * pending for this dealer is a 404 that does not say whose it is.
 */
export async function answerDealerSale(
  ctx: AppContext,
  actor: Actor,
  serial: string,
  answer: DealerSaleAnswer,
): Promise<DealerSaleAnswerResult> {
  const staff = isStaff(actor)
  if (!staff && actor.role !== 'dealer') throw new AppError('forbidden', { key: 'registry.dealer-sale.who' })
  const at = ctx.now().toISOString()
  const canonical = canonicalSerial(serial)
  return ctx.db.transaction().execute(async (trx) => {
    const pending = await findPendingSale(trx, canonical)
    const dealerOrgId = pending?.dealer_org_id ?? null
    if (!pending || !dealerOrgId || (!staff && dealerOrgId !== actor.orgId)) {
      throw new AppError(
        'not-found',
        { key: 'registry.dealer-sale.not-pending', params: { serial } },
        { field: 'serial' },
      )
    }
    // The pending mark is the guard: of two answers racing, the second finds nothing to change.
    const changed = await trx
      .updateTable('units')
      .set(
        answer === 'confirm'
          ? { dealer_confirmed: 1, updated_at: at }
          : {
              dealer_confirmed: 1,
              dealer_org_id: null,
              channel: 'direct',
              // The dealer that did not sell it did not ship it either.
              shipped_by: pending.shipped_by === 'dealer' ? 'vendor' : pending.shipped_by,
              updated_at: at,
            },
      )
      .where('serial', '=', pending.serial)
      .where('dealer_confirmed', '=', 0)
      .where('dealer_org_id', '=', dealerOrgId)
      .executeTakeFirst()
    if (Number(changed.numUpdatedRows) !== 1) {
      throw new AppError(
        'not-found',
        { key: 'registry.dealer-sale.not-pending', params: { serial } },
        { field: 'serial' },
      )
    }
    await settleDealerSaleOnClaims(ctx, trx, {
      serial: pending.serial,
      outcome: answer === 'confirm' ? 'confirmed' : 'refused',
      dealer: { id: dealerOrgId, name: pending.dealer_name ?? dealerOrgId },
      source: staff ? 'staff' : 'dealer',
      model: pending.model,
      sellerName: pending.seller_name,
      actor,
      at,
    })
    await recordDealerSaleAnswer(trx, {
      serial: pending.serial,
      dealerOrgId,
      answer: answer === 'confirm' ? 'confirmed' : 'refused',
      byUserId: actor.userId,
      byRole: actor.role,
      at,
    })
    return { serial: pending.serial, status: answer === 'confirm' ? 'confirmed' : 'refused' }
  })
}

/** A unit whose dealer sale waits for an answer, with the names its claims' records need. */
export function findPendingSale(db: Db, serial: string) {
  return db
    .selectFrom('units as u')
    .innerJoin('product_models as m', 'm.id', 'u.model_id')
    .leftJoin('organisations as d', 'd.id', 'u.dealer_org_id')
    .leftJoin('organisations as s', 's.id', 'u.seller_org_id')
    .select([
      'u.serial',
      'u.dealer_org_id',
      'u.shipped_by',
      'm.name as model',
      'd.name as dealer_name',
      's.name as seller_name',
    ])
    .where('u.serial', '=', serial)
    .where('u.dealer_confirmed', '=', 0)
    .executeTakeFirst()
}

/** Keeps who answered a stated dealer sale, and how: the dealer, staff, or the seller's import. */
export async function recordDealerSaleAnswer(
  db: Db,
  answer: {
    serial: string
    dealerOrgId: string
    answer: 'confirmed' | 'refused'
    byUserId: string | null
    byRole: string
    at: string
  },
): Promise<void> {
  await db
    .insertInto('dealer_sale_answers')
    .values({
      id: `dsa-${crypto.randomUUID()}`,
      serial: answer.serial,
      dealer_org_id: answer.dealerOrgId,
      answer: answer.answer,
      answered_by_user_id: answer.byUserId,
      answered_by_role: answer.byRole,
      answered_at: answer.at,
    })
    .execute()
}
