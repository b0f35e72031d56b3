import type { z } from 'zod'
import type { AppContext } from '../app/context.ts'
import type { Db } from '../db/database.ts'
import { findUnitBySerial, type UnitRecord } from '../registry/unit.store.ts'
import { AppError } from '../shared/errors.ts'
import type { newUnitSchema } from './claim.schemas.ts'
import { findModelForRegistration, findOrganisationPolicy } from './claim.store.ts'

/**
 * A claim on a unit the registry does not know yet registers it from what the claimant
 * shows (model, channel, dates, proof of purchase), in the claim's transaction.
 */
export async function registerClaimedUnit(
  ctx: Pick<AppContext, 'policies'>,
  trx: Db,
  serial: string,
  unit: z.output<typeof newUnitSchema>,
  ownerCustomerId: string | null,
  at: string,
): Promise<UnitRecord> {
  const model = await findModelForRegistration(trx, unit.model)
  if (!model)
    throw new AppError('validation', `unit.model: no model named "${unit.model}"`, { field: 'unit.model' })
  // The selling organisation's policy governs the sale: the dealer's for a dealer sale of an agent brand, else the brand's.
  const sellerOrgId =
    unit.sellerOrgId ?? (model.brand_relation === 'agent' ? model.agent_org_id : null) ?? model.brand_org_id
  const seller = await findOrganisationPolicy(trx, sellerOrgId)
  const policyId = seller?.default_policy_id ?? model.default_policy_id
  if (!policyId)
    throw new AppError('validation', 'unit.sellerOrgId: the seller has no warranty policy', {
      field: 'unit.sellerOrgId',
    })
  const version = ctx.policies.versionInForce(policyId, unit.purchasedOn) ?? ctx.policies.summary(policyId)
  if (!version) throw new AppError('validation', `unit: no policy ${policyId} is loaded`, { field: 'unit' })
  await trx
    .insertInto('units')
    .values({
      serial,
      model_id: model.id,
      batch: null,
      channel: unit.channel,
      dealer_org_id: unit.dealerOrgId ?? null,
      seller_org_id: sellerOrgId,
      shipped_by: unit.channel === 'dealer' ? 'dealer' : 'vendor',
      purchased_on: unit.purchasedOn,
      shipped_on: unit.shippedOn ?? null,
      delivered_on: unit.deliveredOn ?? null,
      activated_on: null,
      owner_customer_id: ownerCustomerId,
      second_hand: 0,
      proof_of_purchase: unit.proofOfPurchase ? 1 : 0,
      warranty_card: unit.warrantyCard ? 1 : 0,
      replaced_by_serial: null,
      policy_id: policyId,
      policy_version: version.version,
      created_at: at,
      updated_at: at,
    })
    .execute()
  const registered = await findUnitBySerial(trx, serial)
  if (!registered) throw new AppError('internal', `unit ${serial} vanished after registration`)
  return registered
}

/** Seed: a replacement is a new unit linked to the old one by `replaced_by_serial`; it inherits the sale. */
export async function registerReplacementUnit(
  trx: Db,
  oldSerial: string,
  newSerial: string,
  at: string,
): Promise<void> {
  const old = await trx.selectFrom('units').selectAll().where('serial', '=', oldSerial).executeTakeFirst()
  if (!old) throw new AppError('not-found', `No unit ${oldSerial}`)
  const existing = await trx
    .selectFrom('units')
    .select(['serial', 'model_id'])
    .where('serial', '=', newSerial)
    .executeTakeFirst()
  if (existing && existing.model_id !== old.model_id) {
    throw new AppError('validation', `newSerial: unit ${newSerial} is another model`, { field: 'newSerial' })
  }
  if (!existing) {
    await trx
      .insertInto('units')
      .values({ ...old, serial: newSerial, replaced_by_serial: null, created_at: at, updated_at: at })
      .execute()
  }
  await trx
    .updateTable('units')
    .set({ replaced_by_serial: newSerial, updated_at: at })
    .where('serial', '=', oldSerial)
    .execute()
}
