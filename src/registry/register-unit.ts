import { type Actor, isStaff } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { findOrCreateCustomer } from './find-or-create-customer.ts'
import {
  addProofOfPurchase,
  checkUnitSale,
  findSaleModel,
  insertUnitSale,
  type UnitSale,
} from './insert-unit-sale.ts'
import { checkUnitRegistration, refuseStrangeDealer } from './registration-rules.ts'
import type { CreateUnitInput } from './registry.schemas.ts'
import { findUnitBySerial, findUnitOffer, type UnitRecord } from './unit.store.ts'
import { offerUnitToCustomer } from './unit-offer.ts'

/**
 * Records a unit sale (staff, integrations, or a dealer for its own organisation) or a
 * customer's registration of a unit they own. A customer registers a serial not on file, or
 * takes over a unit the seller recorded without an owner, with a proof of purchase they
 * uploaded, or without one when the unit is offered to them; never one that belongs or is
 * offered to someone else.
 *
 * Which serials are on file, and whose, is not a customer's to learn by registering them.
 * Without a proof, a serial not on file, one nobody owns and one of someone else are all
 * refused for their description first and then for the proof, alike. With a proof, a unit on
 * file they may not take (someone else's, offered to someone else, or described as another
 * model) is answered alike, whether anyone owns it or not, and sends them to the service team,
 * who can weigh the proof; a serial not on file becomes theirs, their proof kept with it as offered
 * until staff weigh it (the purchase is proven only once they accept it).
 */
export async function registerUnit(
  ctx: AppContext,
  actor: Actor,
  input: CreateUnitInput,
  /** The language of the form the request came from (`Accept-Language`), where it says. */
  formLanguage?: 'en' | 'zh' | null,
): Promise<UnitRecord> {
  const isCustomer = actor.role === 'customer'
  const mayRecordSales = isStaff(actor) || actor.role === 'integration' || actor.role === 'dealer'
  if (!isCustomer && !mayRecordSales) throw new AppError('forbidden', { key: 'registry.register.role' })
  if (isCustomer && !actor.customerId)
    throw new AppError('forbidden', { key: 'registry.register.no-customer' })
  input = await checkUnitRegistration(ctx.db, actor, input)

  let dealerOrgId = input.dealerOrgId ?? null
  if (actor.role === 'dealer') {
    if (dealerOrgId && dealerOrgId !== actor.orgId) {
      throw new AppError('forbidden', { key: 'registry.register.own-organisation' })
    }
    if (input.channel !== 'dealer') {
      throw new AppError(
        'validation',
        { key: 'registry.register.dealer-channel', params: { field: 'channel' } },
        { field: 'channel' },
      )
    }
    dealerOrgId = actor.orgId
  }
  if (input.policy && !isStaff(actor)) {
    throw new AppError('forbidden', { key: 'registry.register.policy-staff-only' })
  }

  const now = ctx.now().toISOString()
  const owner = isCustomer ? actor.customerId : null
  const saleOf = (ownerCustomerId: string | null): UnitSale => ({
    serial: input.serial,
    model: input.model,
    batch: input.batch ?? null,
    channel: input.channel,
    dealerOrgId,
    policyId: input.policy ?? null,
    purchasedOn: input.purchasedOn,
    shippedOn: input.shippedOn ?? null,
    deliveredOn: input.deliveredOn ?? null,
    activatedOn: input.activatedOn ?? null,
    shippedBy: input.shippedBy ?? null,
    ownerCustomerId,
    // A customer's own registration proves the purchase only once staff accept its document.
    // A dealer only the customer names has not said it sold this unit.
    dealerConfirmed: !(isCustomer && dealerOrgId),
    proofOfPurchase: !isCustomer,
    warrantyCard: true,
    // A customer's own document is their word: it waits for staff to weigh it.
    ...(input.proofFileId
      ? { proof: { fileId: input.proofFileId, addedByUserId: actor.userId, offered: isCustomer } }
      : {}),
  })
  /** What a customer's registration of a serial not on file refuses before it writes the unit. */
  const checkCustomerSale = async (db: Db) => {
    // Who sold it, as the sale rules will read it: a customer names neither seller nor policy.
    const saleModel = isCustomer && dealerOrgId ? await findSaleModel(db, input.model) : undefined
    if (saleModel && dealerOrgId)
      await refuseStrangeDealer(db, {
        dealerOrgId,
        sellerOrgId: saleModel.agentOrgId ?? saleModel.brandOrgId,
      })
  }

  const existing = await findUnitBySerial(ctx.db, input.serial)
  const offer = existing ? await findUnitOffer(ctx.db, existing.serial) : undefined
  const ownOrOffered = existing?.ownerCustomerId === owner || offer?.customer_id === owner
  if (isCustomer && !input.proofFileId && !ownOrOffered) {
    await checkCustomerSale(ctx.db)
    await checkUnitSale(ctx.db, ctx.policies, saleOf(owner), { at: now })
    throw new AppError(
      'validation',
      { key: 'registry.register.proof-required', params: { field: 'proofFileId', serial: input.serial } },
      { field: 'proofFileId' },
    )
  }
  if (existing) {
    const model = await findSaleModel(ctx.db, input.model)
    if (
      !isCustomer ||
      existing.ownerCustomerId !== null ||
      existing.modelId !== model?.id ||
      (offer !== undefined && offer.customer_id !== owner)
    ) {
      // A customer or dealer may not learn which serials are on file, nor whose, by trying them:
      // a unit that is not theirs to take is refused as a registration of a serial not on file
      // would be (its description first), and then as taken, as one registered a moment before is.
      if (!isStaff(actor) && actor.role !== 'integration') {
        await checkCustomerSale(ctx.db)
        await checkUnitSale(ctx.db, ctx.policies, saleOf(owner), { at: now })
      }
      if (isCustomer && existing.ownerCustomerId !== owner) throw notYoursToRegister(input.serial)
      throw new AppError(
        'conflict',
        { key: 'unit.already-registered', params: { serial: input.serial } },
        { field: 'serial' },
      )
    }
    await ctx.db.transaction().execute(async (trx) => {
      // Registering a unit offered to oneself is accepting the offer.
      await trx.deleteFrom('unit_ownership_offers').where('serial', '=', existing.serial).execute()
      // The owner check sits in the update itself, so two customers racing cannot both win.
      const claimed = await trx
        .updateTable('units')
        .set({ owner_customer_id: owner, updated_at: now })
        .where('serial', '=', existing.serial)
        .where('owner_customer_id', 'is', null)
        .executeTakeFirst()
      // Another customer took it a moment before: now someone else's, answered as such.
      if (Number(claimed.numUpdatedRows) !== 1) throw notYoursToRegister(input.serial)
      if (input.proofFileId)
        await addProofOfPurchase(
          trx,
          existing.serial,
          { fileId: input.proofFileId, addedByUserId: actor.userId, offered: true },
          now,
        )
    })
    return (await findUnitBySerial(ctx.db, input.serial)) as UnitRecord
  }

  // Staff record the buyer as owner; a seller's buyer is asked first (see offerUnitToCustomer).
  const ownerByEmail = input.ownerEmail && isStaff(actor) ? input.ownerEmail : undefined
  const offerTo = input.ownerEmail && !isStaff(actor) && !isCustomer ? input.ownerEmail : undefined
  // A dealer's buyers are mostly its neighbours: the language a dealer works in at the web's
  // form is the best guess for a buyer the sale leaves otherwise unknown. An API key's
  // `Accept-Language` is the language the program reads answers in, and says nothing of them.
  const dealerAtForm = actor.role === 'dealer' && actor.via === 'session'
  const buyerLocale = input.ownerLocale ?? ((dealerAtForm && formLanguage) || undefined)
  // The owner's record is made in the sale's transaction, so a refused sale leaves no customer behind.
  return ctx.db.transaction().execute(async (trx) => {
    await checkCustomerSale(trx)
    const unit = await insertUnitSale(
      trx,
      ctx.policies,
      saleOf(
        owner ??
          (ownerByEmail
            ? (await findOrCreateCustomer(trx, ownerByEmail, undefined, now, buyerLocale)).id
            : null),
      ),
      { at: now },
    )
    if (offerTo) {
      const customer = await findOrCreateCustomer(trx, offerTo, undefined, now, buyerLocale)
      await offerUnitToCustomer(
        trx,
        { unit, customer },
        { actor, sellerName: unit.dealerName ?? unit.brandName, publicUrl: ctx.config.publicUrl, now },
      )
    }
    return unit
  })
}

/**
 * A unit on file a customer may not take, with their proof of purchase in hand: the same words
 * whether someone owns it or not, and the way forward for one who bought it second-hand.
 */
const notYoursToRegister = (serial: string) =>
  new AppError(
    'conflict',
    { key: 'registry.register.not-yours', params: { field: 'serial', serial } },
    { field: 'serial' },
  )
