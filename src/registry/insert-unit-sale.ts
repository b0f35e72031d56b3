import crypto from 'node:crypto'
import { canonicalSerial } from '../contracts/serial.ts'
import type { Db } from '../db/database.ts'
import type { PolicyLibrary } from '../policies/index.ts'
import { AppError } from '../shared/errors.ts'
import type { Message } from '../shared/messages/translate.ts'
import { normalizeModelKey } from './domain/model-key.ts'
import {
  decideSaleTerms,
  isDealerKind,
  isSaleRejection,
  type SaleInput,
  type SaleModel,
  type SaleOrganisations,
} from './domain/unit-sale.ts'
import { findUnitBySerial, type UnitRecord } from './unit.store.ts'

/** One unit sale as any writer but the bulk import records it. */
export interface UnitSale extends SaleInput {
  serial: string
  /** The model's id or its name written any way (`Ares-M PRO`, `ares-mpro`). */
  model: string
  batch?: string | null
  ownerCustomerId: string | null
  /** False for a dealer only the buyer names; by default the writer's word is the sale's. */
  dealerConfirmed?: boolean
  secondHand?: boolean
  proofOfPurchase: boolean
  warrantyCard: boolean
  replacedBySerial?: string | null
  /**
   * A proof-of-purchase document already stored; it also marks the purchase as proven, unless
   * it is only `offered` (a customer's own registration), when it waits for staff to weigh it.
   */
  proof?: UnitProof
}

export interface InsertUnitSaleOptions {
  at: string
  /** Prefix of the field an error names, for a sale nested in a larger request (`unit.`). */
  fieldPrefix?: string
}

/** Fields of the rules, as a request names them. */
const REQUEST_FIELD: Record<string, string> = { dealerOrgId: 'dealerOrgId', policy: 'policy' }

/**
 * The refusals of a unit sale by the shared sale rules, read only: what `insertUnitSale` would
 * refuse of the sale before it writes it, in the same order and words.
 */
export async function checkUnitSale(
  trx: Db,
  policies: Pick<PolicyLibrary, 'versionInForce' | 'list'>,
  sale: UnitSale,
  options: InsertUnitSaleOptions,
) {
  const prefix = options.fieldPrefix ?? ''
  const reject = (field: string, reason: Message): never => {
    const named = `${prefix}${REQUEST_FIELD[field] ?? field}`
    throw new AppError(
      'validation',
      { key: 'validation.field-reason', params: { ...reason.params, field: named, reason: reason.key } },
      { field: named },
    )
  }
  const model = await findSaleModel(trx, sale.model)
  if (!model) return reject('model', { key: 'registry.sale.no-model', params: { model: sale.model } })
  for (const [field, orgId] of [
    ['dealerOrgId', sale.dealerOrgId],
    ['sellerOrgId', sale.sellerOrgId],
  ] as const) {
    if (!orgId) continue
    const org = await trx
      .selectFrom('organisations')
      .select(['kind', 'active'])
      .where('id', '=', orgId)
      .executeTakeFirst()
    if (!org) reject(field, { key: 'registry.sale.no-organisation', params: { id: orgId } })
    // What is on file keeps naming a deactivated organisation; a new sale may not.
    else if (org.active === 0)
      reject(field, { key: 'registry.sale.inactive-organisation', params: { id: orgId } })
    // The dealer of a sale serves its claims and receives its units: a seller or a maker
    // named there would be handed claims as a dealer.
    else if (field === 'dealerOrgId' && !isDealerKind(org.kind))
      reject(field, { key: 'registry.sale.not-a-dealer', params: { id: orgId } })
  }
  const orgs = await loadSaleOrganisations(trx, model, sale)
  const terms = decideSaleTerms(model, sale, orgs, policies, options.at)
  if (isSaleRejection(terms)) return reject(terms.field, terms.text)
  return { model, terms }
}

/**
 * Records a unit sale inside the caller's transaction, by the shared sale rules, and
 * answers the stored unit. A serial already on file is a conflict; nothing is written then.
 */
export async function insertUnitSale(
  trx: Db,
  policies: Pick<PolicyLibrary, 'versionInForce' | 'list'>,
  sale: UnitSale,
  options: InsertUnitSaleOptions,
): Promise<UnitRecord> {
  const stored = await insertUnitSaleUnlessOnFile(trx, policies, sale, options)
  if (stored) return stored
  throw new AppError(
    'conflict',
    { key: 'unit.already-registered', params: { serial: canonicalSerial(sale.serial) } },
    { field: `${options.fieldPrefix ?? ''}serial` },
  )
}

/**
 * As `insertUnitSale`, but a serial on file answers undefined, writing nothing, and leaves the
 * caller's transaction usable: on PostgreSQL a writer that registered the serial and had not
 * committed yet is waited for, and once it has, the caller can read the unit it registered.
 */
export async function insertUnitSaleUnlessOnFile(
  trx: Db,
  policies: Pick<PolicyLibrary, 'versionInForce' | 'list'>,
  sale: UnitSale,
  options: InsertUnitSaleOptions,
): Promise<UnitRecord | undefined> {
  const { model, terms } = await checkUnitSale(trx, policies, sale, options)
  const serial = canonicalSerial(sale.serial)
  const inserted = await trx
    .insertInto('units')
    .values({
      serial,
      model_id: model.id,
      batch: sale.batch ?? null,
      channel: sale.channel,
      dealer_org_id: sale.dealerOrgId,
      dealer_confirmed: sale.dealerConfirmed === false && sale.dealerOrgId ? 0 : 1,
      seller_org_id: terms.sellerOrgId,
      shipped_by: terms.shippedBy,
      purchased_on: sale.purchasedOn,
      shipped_on: sale.shippedOn ?? null,
      delivered_on: sale.deliveredOn ?? null,
      activated_on: sale.activatedOn ?? null,
      owner_customer_id: sale.ownerCustomerId,
      second_hand: sale.secondHand ? 1 : 0,
      proof_of_purchase: sale.proofOfPurchase || (sale.proof && !sale.proof.offered) ? 1 : 0,
      warranty_card: sale.warrantyCard ? 1 : 0,
      replaced_by_serial: sale.replacedBySerial ?? null,
      policy_id: terms.policyId,
      policy_version: terms.policyVersion,
      created_at: options.at,
      updated_at: options.at,
    })
    .onConflict((conflict) => conflict.column('serial').doNothing())
    .executeTakeFirst()
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return undefined
  if (sale.proof) await addProofOfPurchase(trx, serial, sale.proof, options.at)
  const stored = await findUnitBySerial(trx, serial)
  if (!stored) throw new AppError('internal', `unit ${serial} vanished after registration`)
  return stored
}

/** A proof-of-purchase document filed for a unit. */
export interface UnitProof {
  fileId: string
  addedByUserId: string
  /** Filed by the customer with their own registration: it waits for staff to weigh it. */
  offered?: boolean
  /** Who found it valid, where another than who filed it (staff weighing a claimant's proof). */
  acceptedByUserId?: string
}

/**
 * Files a proof-of-purchase document for a unit. Accepted (the seller's, a dealer's or staff's
 * word, or staff weighing a claimant's proof) it marks the purchase as proven; offered, the
 * purchase stays as it was until staff weigh it.
 */
export async function addProofOfPurchase(
  trx: Db,
  serial: string,
  proof: UnitProof,
  at: string,
): Promise<void> {
  await trx
    .insertInto('proofs_of_purchase')
    .values({
      id: `pop-${crypto.randomUUID()}`,
      serial,
      file_id: proof.fileId,
      kind: 'invoice',
      document_number: null,
      issued_on: null,
      added_by_user_id: proof.addedByUserId,
      created_at: at,
      ...(proof.offered
        ? { status: 'offered' }
        : {
            status: 'accepted',
            weighed_by_user_id: proof.acceptedByUserId ?? proof.addedByUserId,
            weighed_at: at,
          }),
    })
    .execute()
  if (!proof.offered)
    await trx.updateTable('units').set({ proof_of_purchase: 1 }).where('serial', '=', serial).execute()
}

/** A model by id, or by its name written any way. */
export async function findSaleModel(db: Db, reference: string): Promise<SaleModel | undefined> {
  const row = await db
    .selectFrom('product_models as m')
    .innerJoin('organisations as b', 'b.id', 'm.brand_org_id')
    .select([
      'm.id',
      'm.brand_org_id',
      'm.brand_relation',
      'm.policy_id',
      'b.agent_org_id',
      'b.default_policy_id',
    ])
    .where((eb) => eb.or([eb('m.id', '=', reference), eb('m.model_key', '=', normalizeModelKey(reference))]))
    .orderBy((eb) => eb.case().when('m.id', '=', reference).then(0).else(1).end())
    .executeTakeFirst()
  if (!row) return undefined
  return {
    id: row.id,
    brandOrgId: row.brand_org_id,
    agentOrgId: row.brand_relation === 'agent' ? row.agent_org_id : null,
    // A model the catalogue import gave its own policy keeps it; else the brand's.
    brandPolicyId: row.policy_id ?? row.default_policy_id,
  }
}

/** The few organisation facts one sale's rules may ask about, read up front. */
async function loadSaleOrganisations(db: Db, model: SaleModel, sale: SaleInput): Promise<SaleOrganisations> {
  const ids = [sale.sellerOrgId, model.agentOrgId, model.brandOrgId].filter((id): id is string => !!id)
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'default_policy_id'])
    .where('id', 'in', ids)
    .execute()
  const policyOf = new Map(rows.map((r) => [r.id, r.default_policy_id]))
  const owner = sale.policyId
    ? await db
        .selectFrom('organisations')
        .select('id')
        .where('kind', '=', 'seller')
        .where('default_policy_id', '=', sale.policyId)
        .orderBy('id')
        .executeTakeFirst()
    : undefined
  return {
    defaultPolicyOf: (orgId) => policyOf.get(orgId),
    sellerWithPolicy: () => owner?.id,
  }
}
