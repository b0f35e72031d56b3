import { type ClaimsTable, newClaimRow } from '../claims/index.ts'
import type { Db } from '../db/database.ts'
import { formatDay, parseDay } from '../shared/day-numbers.ts'
import { seededRandom } from './domain/special-functions.ts'

/**
 * A registry with known failure behaviour, written straight into the tables: units
 * delivered over a span of days, each with a Weibull lifetime, and a closed covered claim
 * for every unit that fails within its term before the as-of day. Benchmarks and tests
 * use it to check the analysis against the parameters that made the data.
 */

export interface SyntheticModel {
  modelId: string
  modelName: string
  /** Weibull shape and scale (days) of the lifetimes. */
  shape: number
  scale: number
  units: number
  /** Deliveries spread uniformly over the days before `asOf`. */
  deliverySpanDays: number
  asOf: string
  /** Batch codes, assigned round-robin by delivery order. */
  batches?: string[]
  /** From this day on, the hazard of `stepBatch` is multiplied by `stepFactor`. */
  stepBatch?: string
  stepFrom?: string
  stepFactor?: number
  /** Policy whose start event is delivery and term two years. */
  policyId?: string
  policyVersion?: string
  termDays?: number
  seed?: number
  /** Cost line per claim, minor units, paid by the vendor. */
  costMinor?: number
  currency?: string
}

const NOW = '2020-01-01T00:00:00.000Z'
const UNIT_CHUNK = 400
const CLAIM_CHUNK = 300

export async function ensureSyntheticModel(
  db: Db,
  m: Pick<SyntheticModel, 'modelId' | 'modelName'>,
): Promise<void> {
  const orgId = 'org-synthetic-brand'
  const org = await db.selectFrom('organisations').select('id').where('id', '=', orgId).executeTakeFirst()
  if (!org) {
    await db
      .insertInto('organisations')
      .values({
        id: orgId,
        kind: 'seller',
        name: 'Synthetic Brand',
        name_key: 'syntheticbrand',
        country: 'DE',
        email: 'service@synthetic.example',
        phone: null,
        service_address: null,
        default_policy_id: null,
        agent_org_id: null,
        created_at: NOW,
        updated_at: NOW,
      })
      .execute()
  }
  await db
    .insertInto('product_models')
    .values({
      id: m.modelId,
      name: m.modelName,
      model_key: m.modelName.toLowerCase().replace(/[\s-]+/g, ''),
      brand_org_id: orgId,
      brand_relation: 'own',
      category: 'camera',
      part_kind: 'host',
      warranty_term: null,
      description: null,
      specifications: '{}',
      package_contents: '[]',
      compatibility: '{}',
      created_at: NOW,
      updated_at: NOW,
    })
    .execute()
}

/** Writes the model, its units and their claims; answers how many units failed. */
export async function seedSyntheticModel(
  db: Db,
  m: SyntheticModel,
): Promise<{ units: number; claims: number }> {
  const random = seededRandom(m.seed ?? 1)
  const policyId = m.policyId ?? 'player-one'
  const termDays = m.termDays ?? 731
  const asOfDay = parseDay(m.asOf)
  const stepDay = m.stepFrom ? parseDay(m.stepFrom) : Number.POSITIVE_INFINITY
  const batches = m.batches ?? ['B1']
  await ensureSyntheticModel(db, m)
  let claims = 0
  let units: object[] = []
  let claimRows: ClaimsTable[] = []
  let costRows: object[] = []
  const hazardTo = (age: number) => (age / m.scale) ** m.shape
  const flushUnits = async () => {
    if (units.length > 0)
      await db
        .insertInto('units')
        .values(units as never)
        .execute()
    units = []
  }
  const flushClaims = async () => {
    if (claimRows.length > 0) await db.insertInto('claims').values(claimRows).execute()
    if (costRows.length > 0)
      await db
        .insertInto('claim_cost_lines')
        .values(costRows as never)
        .execute()
    claimRows = []
    costRows = []
  }
  for (let i = 0; i < m.units; i++) {
    const start = asOfDay - Math.floor(random() * m.deliverySpanDays)
    const delivered = formatDay(start)
    const batch = batches[i % batches.length] ?? null
    // Canonical, as every door of the registry keeps serials (contracts/serial.ts).
    const serial = `${m.modelId.toUpperCase()}-${String(i).padStart(8, '0')}`
    units.push({
      serial,
      model_id: m.modelId,
      batch,
      channel: 'direct',
      dealer_org_id: null,
      seller_org_id: null,
      shipped_by: 'vendor',
      purchased_on: formatDay(start - 3),
      shipped_on: formatDay(start - 2),
      delivered_on: delivered,
      activated_on: null,
      owner_customer_id: null,
      second_hand: 0,
      proof_of_purchase: 1,
      warranty_card: 1,
      replaced_by_serial: null,
      policy_id: policyId,
      policy_version: m.policyVersion ?? '1',
      created_at: NOW,
      updated_at: NOW,
    })
    // Invert the cumulative hazard, stepped up from `stepDay` for the affected batch.
    const target = -Math.log(1 - random())
    const stepAge = batch === m.stepBatch ? Math.max(0, stepDay - start) : Number.POSITIVE_INFINITY
    const age =
      target <= hazardTo(stepAge)
        ? m.scale * target ** (1 / m.shape)
        : m.scale * ((target - hazardTo(stepAge)) / (m.stepFactor ?? 1) + hazardTo(stepAge)) ** (1 / m.shape)
    const claimDay = start + Math.floor(age)
    if (age < termDays && claimDay <= asOfDay) {
      claims += 1
      const id = `${serial}-c`
      const openedAt = `${formatDay(claimDay)}T10:00:00.000Z`
      claimRows.push(
        newClaimRow({
          id,
          state: 'closed',
          version: 1,
          policy_id: policyId,
          policy_version: m.policyVersion ?? '1',
          currency: m.currency ?? 'USD',
          brand: 'own',
          unit_id: serial,
          serial,
          model: m.modelName,
          category: 'camera',
          customer_id: null,
          dealer_org_id: null,
          opened_by: 'system',
          opened_by_role: 'system',
          case_json: '{"problem":{"kind":"malfunction"}}',
          problem_description: 'fails to start',
          final_decision: '{"covered":true}',
          outcome: 'completed',
          opened_at: openedAt,
          updated_at: openedAt,
          closed_at: openedAt,
        }),
      )
      if (m.costMinor) {
        costRows.push({
          id: `${id}-l`,
          claim_id: id,
          quote_id: null,
          kind: 'parts',
          description: 'repair',
          quantity: 1,
          unit_price_minor: m.costMinor,
          currency: m.currency ?? 'USD',
          payer: 'vendor',
          created_at: openedAt,
        })
      }
      if (claimRows.length >= CLAIM_CHUNK) {
        await flushUnits()
        await flushClaims()
      }
    }
    if (units.length >= UNIT_CHUNK) await flushUnits()
  }
  await flushUnits()
  await flushClaims()
  return { units: m.units, claims }
}
