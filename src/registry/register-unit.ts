import crypto from 'node:crypto'
import type { AppContext } from '../app/context.ts'
import { type Actor, isStaff } from '../auth/actor.ts'
import { isUniqueViolation } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'
import { pickPolicyVersion } from './domain/pick-policy-version.ts'
import { findOrCreateCustomer } from './find-or-create-customer.ts'
import { findModelById, findModelByName } from './model.store.ts'
import { findOrganisation } from './organisation.store.ts'
import { checkUnitRegistration } from './registration-rules.ts'
import type { CreateUnitInput } from './registry.schemas.ts'
import { findUnitBySerial, type UnitRecord } from './unit.store.ts'

/**
 * Records a unit sale (staff, integrations, or a dealer for its own organisation) or a
 * customer's registration of a unit they own. A customer may take over a unit the seller
 * recorded without an owner, but never one that belongs to someone else.
 */
export async function registerUnit(
  ctx: AppContext,
  actor: Actor,
  input: CreateUnitInput,
): Promise<UnitRecord> {
  const isCustomer = actor.role === 'customer'
  const mayRecordSales = isStaff(actor) || actor.role === 'integration' || actor.role === 'dealer'
  if (!isCustomer && !mayRecordSales) throw new AppError('forbidden', 'This role may not register units')
  if (isCustomer && !actor.customerId)
    throw new AppError('forbidden', 'This account is not linked to a customer')
  input = await checkUnitRegistration(ctx.db, actor, input)

  const model = (await findModelById(ctx.db, input.model)) ?? (await findModelByName(ctx.db, input.model))
  if (!model)
    throw new AppError('validation', `model: no model "${input.model}" in the catalogue`, { field: 'model' })

  let dealerOrgId = input.dealerOrgId ?? null
  if (actor.role === 'dealer') {
    if (dealerOrgId && dealerOrgId !== actor.orgId) {
      throw new AppError('forbidden', 'A dealer records sales for its own organisation only')
    }
    if (input.channel !== 'dealer') {
      throw new AppError('validation', 'channel: a dealer records dealer sales', { field: 'channel' })
    }
    dealerOrgId = actor.orgId
  }
  if (input.channel === 'dealer' && !dealerOrgId) {
    throw new AppError('validation', 'dealerOrgId: a dealer sale names its dealer', { field: 'dealerOrgId' })
  }
  if (input.channel === 'direct' && dealerOrgId) {
    throw new AppError('validation', 'dealerOrgId: a direct sale has no dealer', { field: 'dealerOrgId' })
  }
  if (dealerOrgId && !(await findOrganisation(ctx.db, dealerOrgId))) {
    throw new AppError('validation', `dealerOrgId: no organisation ${dealerOrgId}`, { field: 'dealerOrgId' })
  }
  checkDateOrder(input)

  const brand = await findOrganisation(ctx.db, model.brand_org_id)
  if (input.policy && !isStaff(actor)) {
    throw new AppError('forbidden', 'Only service staff choose a policy other than the brand’s')
  }
  const policyId = input.policy ?? brand?.default_policy_id
  if (!policyId)
    throw new AppError('validation', 'policy: this brand has no default policy; name one', {
      field: 'policy',
    })
  const version = pickPolicyVersion(ctx.policies, policyId, input.purchasedOn)
  if (!version) {
    throw new AppError('validation', `policy: no version of policy "${policyId}" is loaded`, {
      field: 'policy',
    })
  }

  const now = ctx.now().toISOString()
  const owner = isCustomer
    ? actor.customerId
    : input.ownerEmail
      ? (await findOrCreateCustomer(ctx.db, input.ownerEmail, undefined, now)).id
      : null

  const existing = await findUnitBySerial(ctx.db, input.serial)
  if (existing) {
    if (!isCustomer || existing.ownerCustomerId !== null || existing.modelId !== model.id) {
      throw new AppError('conflict', `Unit ${input.serial} is already registered`, { field: 'serial' })
    }
    await ctx.db.transaction().execute(async (trx) => {
      // The owner check sits in the update itself, so two customers racing cannot both win.
      const claimed = await trx
        .updateTable('units')
        .set({ owner_customer_id: owner, updated_at: now })
        .where('serial', '=', existing.serial)
        .where('owner_customer_id', 'is', null)
        .executeTakeFirst()
      if (Number(claimed.numUpdatedRows) !== 1) {
        throw new AppError('conflict', `Unit ${input.serial} is already registered`, { field: 'serial' })
      }
      await addProof(trx, existing.serial, input.proofFileId, actor, now)
    })
    return (await findUnitBySerial(ctx.db, input.serial)) as UnitRecord
  }

  const agentSeller = brand?.agent_org_id ?? null
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('units')
        .values({
          serial: input.serial,
          model_id: model.id,
          batch: input.batch ?? null,
          channel: input.channel,
          dealer_org_id: dealerOrgId,
          seller_org_id: agentSeller ?? model.brand_org_id,
          shipped_by: input.shippedBy ?? (input.channel === 'dealer' ? 'dealer' : 'vendor'),
          purchased_on: input.purchasedOn,
          shipped_on: input.shippedOn ?? null,
          delivered_on: input.deliveredOn ?? null,
          activated_on: input.activatedOn ?? null,
          owner_customer_id: owner,
          second_hand: 0,
          // A customer's own registration proves the purchase only with a document.
          proof_of_purchase: isCustomer && !input.proofFileId ? 0 : 1,
          warranty_card: 1,
          replaced_by_serial: null,
          policy_id: version.id,
          policy_version: version.version,
          created_at: now,
          updated_at: now,
        })
        .execute()
      await addProof(trx, input.serial, input.proofFileId, actor, now)
    })
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', `Unit ${input.serial} is already registered`, { field: 'serial' })
    }
    throw error
  }
  return (await findUnitBySerial(ctx.db, input.serial)) as UnitRecord
}

async function addProof(
  db: AppContext['db'],
  serial: string,
  fileId: string | undefined,
  actor: Actor,
  now: string,
): Promise<void> {
  if (!fileId) return
  await db
    .insertInto('proofs_of_purchase')
    .values({
      id: `pop-${crypto.randomUUID()}`,
      serial,
      file_id: fileId,
      kind: 'invoice',
      document_number: null,
      issued_on: null,
      added_by_user_id: actor.userId,
      created_at: now,
    })
    .execute()
  await db.updateTable('units').set({ proof_of_purchase: 1 }).where('serial', '=', serial).execute()
}

function checkDateOrder(input: CreateUnitInput): void {
  if (input.shippedOn && input.shippedOn < input.purchasedOn) {
    throw new AppError('validation', 'shippedOn: must not be before purchasedOn', { field: 'shippedOn' })
  }
  const after = input.shippedOn ?? input.purchasedOn
  if (input.deliveredOn && input.deliveredOn < after) {
    throw new AppError('validation', 'deliveredOn: must not be before the unit was shipped or bought', {
      field: 'deliveredOn',
    })
  }
  if (input.activatedOn && input.deliveredOn && input.activatedOn < input.deliveredOn) {
    throw new AppError('validation', 'activatedOn: must not be before deliveredOn', { field: 'activatedOn' })
  }
}
