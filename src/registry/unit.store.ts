import { type SqlBool, sql } from 'kysely'
import { canonicalSerial } from '../contracts/serial.ts'
import type { Db } from '../db/database.ts'
import { preparedQuery } from '../db/prepared-query.ts'

/** A unit with the model and organisation facts a warranty claim needs. */
export interface UnitRecord {
  serial: string
  modelId: string
  modelName: string
  category: string
  part: 'host' | 'main-accessory' | 'accessory' | 'consumable'
  warrantyTerm: string | null
  brandOrgId: string
  brandName: string
  brandRelation: 'own' | 'agent'
  batch: string | null
  channel: 'direct' | 'dealer'
  dealerOrgId: string | null
  dealerName: string | null
  /** False while the dealer a customer named has not confirmed the sale (see `confirmedDealerOf`). */
  dealerConfirmed: boolean
  sellerOrgId: string | null
  shippedBy: 'vendor' | 'dealer' | null
  purchasedOn: string | null
  shippedOn: string | null
  deliveredOn: string | null
  activatedOn: string | null
  ownerCustomerId: string | null
  secondHand: boolean
  proofOfPurchase: boolean
  warrantyCard: boolean
  replacedBySerial: string | null
  policyId: string
  policyVersion: string
  createdAt: string
  updatedAt: string
}

export function selectUnitRecords(db: Db) {
  return db
    .selectFrom('units as u')
    .innerJoin('product_models as m', 'm.id', 'u.model_id')
    .innerJoin('organisations as b', 'b.id', 'm.brand_org_id')
    .leftJoin('organisations as d', 'd.id', 'u.dealer_org_id')
    .select([
      'u.serial',
      'u.model_id',
      'm.name as model_name',
      'm.category',
      'm.part_kind',
      'm.warranty_term',
      'm.brand_org_id',
      'b.name as brand_name',
      'm.brand_relation',
      'u.batch',
      'u.channel',
      'u.dealer_org_id',
      'd.name as dealer_name',
      'u.dealer_confirmed',
      'u.seller_org_id',
      'u.shipped_by',
      'u.purchased_on',
      'u.shipped_on',
      'u.delivered_on',
      'u.activated_on',
      'u.owner_customer_id',
      'u.second_hand',
      'u.proof_of_purchase',
      'u.warranty_card',
      'u.replaced_by_serial',
      'u.policy_id',
      'u.policy_version',
      'u.created_at',
      'u.updated_at',
    ])
}

type UnitRow = Awaited<ReturnType<ReturnType<typeof selectUnitRecords>['executeTakeFirstOrThrow']>>

export function toUnitRecord(row: UnitRow): UnitRecord {
  return {
    serial: row.serial,
    modelId: row.model_id,
    modelName: row.model_name,
    category: row.category,
    part: row.part_kind,
    warrantyTerm: row.warranty_term,
    brandOrgId: row.brand_org_id,
    brandName: row.brand_name,
    brandRelation: row.brand_relation,
    batch: row.batch,
    channel: row.channel,
    dealerOrgId: row.dealer_org_id,
    dealerName: row.dealer_name,
    dealerConfirmed: row.dealer_confirmed === 1,
    sellerOrgId: row.seller_org_id,
    shippedBy: row.shipped_by,
    purchasedOn: row.purchased_on,
    shippedOn: row.shipped_on,
    deliveredOn: row.delivered_on,
    activatedOn: row.activated_on,
    ownerCustomerId: row.owner_customer_id,
    secondHand: row.second_hand === 1,
    proofOfPurchase: row.proof_of_purchase === 1,
    warrantyCard: row.warranty_card === 1,
    replacedBySerial: row.replaced_by_serial,
    policyId: row.policy_id,
    policyVersion: row.policy_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The unit with this serial (see `canonicalSerial`), or undefined. */
/**
 * Locks the unit's row until the transaction ends (PostgreSQL only: SQLite writes one
 * transaction at a time). Read after it, the unit is as the last writer before it left it, and
 * no transfer or sale changes it until this transaction is done.
 */
export async function lockUnitRow(db: Db, serial: string): Promise<void> {
  const canonical = canonicalSerial(serial)
  await db
    .selectFrom('units')
    .select('serial')
    .where('serial', 'in', [...new Set([canonical, serial.trim()])])
    .forUpdate()
    .execute()
}

/** Which of these units (by serial, as stored) the registry holds a proof of purchase for. */
export async function findUnitsWithProof(db: Db, serials: readonly string[]): Promise<Set<string>> {
  if (serials.length === 0) return new Set()
  const rows = await db
    .selectFrom('units')
    .select('serial')
    .where('serial', 'in', [...new Set(serials)])
    .where('proof_of_purchase', '=', 1)
    .execute()
  return new Set(rows.map((row) => row.serial))
}

export async function findUnitBySerial(db: Db, serial: string): Promise<UnitRecord | undefined> {
  const canonical = canonicalSerial(serial)
  const typed = serial.trim()
  const row =
    typed === canonical
      ? await unitBySerial.executeTakeFirst(db, canonical)
      : // A unit registered before serials were kept canonical is still found as it was typed.
        await selectUnitRecords(db)
          .where('u.serial', 'in', [canonical, typed])
          .orderBy((eb) => eb('u.serial', '=', canonical), 'desc')
          .limit(1)
          .executeTakeFirst()
  return row ? toUnitRecord(row) : undefined
}

// Read by most claim steps, some more than once: prepared once (see `preparedQuery`).
const unitBySerial = preparedQuery((db: Db, serial: string) =>
  selectUnitRecords(db).where('u.serial', '=', serial),
)

/**
 * The dealer that sold the unit as far as anyone may act on it: the one recorded, once its
 * sale is confirmed; null for a direct sale and while a customer's word is all there is.
 */
export function confirmedDealerOf(unit: Pick<UnitRecord, 'dealerOrgId' | 'dealerConfirmed'>): string | null {
  return unit.dealerConfirmed ? unit.dealerOrgId : null
}

/**
 * The condition "sold through this dealer, and the dealer has confirmed it" on a units
 * table under `alias`: every query that gives a dealer units, or their buyers, uses it.
 */
export function soldThrough(alias: string, dealerOrgId: string) {
  return sql<SqlBool>`(${sql.ref(`${alias}.dealer_org_id`)} = ${dealerOrgId} and ${sql.ref(`${alias}.dealer_confirmed`)} = 1)`
}

/** Which units an actor may see: every unit, a dealer's sales, or a customer's own. */
export type UnitScope = { all: true } | { dealerOrgId: string } | { ownerCustomerId: string } | { none: true }

export interface UnitListOptions {
  scope: UnitScope
  serialPrefix?: string
  modelKey?: string
  dealerOrgId?: string
  after?: string
  limit: number
}

export async function listUnits(db: Db, options: UnitListOptions): Promise<UnitRecord[]> {
  const { scope } = options
  if ('none' in scope) return []
  let query = selectUnitRecords(db).orderBy('u.serial').limit(options.limit)
  if ('dealerOrgId' in scope) query = query.where(soldThrough('u', scope.dealerOrgId))
  if ('ownerCustomerId' in scope) query = query.where('u.owner_customer_id', '=', scope.ownerCustomerId)
  if (options.after) query = query.where('u.serial', '>', options.after)
  if (options.modelKey) query = query.where('m.model_key', '=', options.modelKey)
  if (options.dealerOrgId) query = query.where('u.dealer_org_id', '=', options.dealerOrgId)
  const prefix = options.serialPrefix
  // substr keeps the match exact and case-sensitive on both engines, unlike LIKE.
  if (prefix) query = query.where(sql<string>`substr(u.serial, 1, ${prefix.length})`, '=', prefix)
  const rows = await query.execute()
  return rows.map(toUnitRecord)
}

export function isUnitInScope(unit: UnitRecord, scope: UnitScope): boolean {
  if ('all' in scope) return true
  if ('dealerOrgId' in scope) return confirmedDealerOf(unit) === scope.dealerOrgId
  if ('ownerCustomerId' in scope) return unit.ownerCustomerId === scope.ownerCustomerId
  return false
}

/** The offer waiting on a unit for its buyer's answer (see `offerUnitToCustomer`), if any. */
export function findUnitOffer(db: Db, serial: string) {
  return db.selectFrom('unit_ownership_offers').selectAll().where('serial', '=', serial).executeTakeFirst()
}
