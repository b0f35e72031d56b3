import fc from 'fast-check'
import { newClaimRow } from '../claims/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { formatDay, parseDay } from '../shared/day-numbers.ts'
import { ensureSyntheticModel, type SyntheticModel } from './synthetic-registry.ts'
import { shuffled } from './warranty-arbitraries.ts'

/**
 * Generated registries for the report's tests: units of four policies (start events
 * delivery, activation falling back to the day after delivery and to purchase, the
 * retailer's, and one whose term a model's own term replaces), sale dates sometimes
 * missing, claims of every kind, some dated before the warranty starts or after its term,
 * written straight into the tables as the registry keeps them.
 */

export const AS_OF = '2025-12-31'
const AS_OF_DAY = parseDay(AS_OF)
const NOW = '2020-01-01T00:00:00.000Z'

/**
 * Nova RX-2: 6,000 units delivered over the 900 days to `AS_OF`, whose batch B2 fails 2.5
 * times as often from September 2025 (a bad lot of parts), the step the reliability report and
 * its warnings must find.
 */
export const STEPPED_BATCH_MODEL: SyntheticModel = {
  modelId: 'model-rx',
  modelName: 'Nova RX-2',
  shape: 1.6,
  scale: 2500,
  units: 6000,
  deliverySpanDays: 900,
  asOf: AS_OF,
  batches: ['B1', 'B2', 'B3'],
  stepBatch: 'B2',
  stepFrom: '2025-09-01',
  stepFactor: 2.5,
  seed: 42,
}

export interface ClaimSpec {
  /** Days after the purchase. */
  day: number
  kind: 'malfunction' | 'arrived-damaged'
  confirmed: boolean
  /** One parts line paid by the vendor, minor units; none when 0. */
  costMinor: number
  /** One labour line the customer paid, minor units; none when absent or 0. */
  customerPaidMinor?: number
}

export interface UnitSpec {
  /** A policy id: the generated ones are shipped policies. */
  policy: string
  batch: string | null
  /** Days from the unit's last sale date (purchase, shipment or delivery) to the as-of day. */
  daysAgo: number
  shipDelay: number | null
  transit: number | null
  /** Days from the last sale date to the activation, at most to the as-of day; never activated when absent. */
  activatedAfter?: number | null
  /** Sold directly when absent. */
  channel?: 'direct' | 'dealer'
  /** The dealer it was sold through (channel `dealer`), and whether the dealer confirmed the sale. */
  dealer?: { orgId: string; confirmed: boolean }
  claims: ClaimSpec[]
}

const aClaim: fc.Arbitrary<ClaimSpec> = fc.record({
  // Some before the purchase: the registry's own claims are never dated so, but the report must not count them.
  day: fc.oneof(fc.integer({ min: -10, max: 900 }), fc.integer({ min: 0, max: 40 })),
  kind: fc.constantFrom('malfunction' as const, 'malfunction' as const, 'arrived-damaged' as const),
  confirmed: fc.boolean(),
  costMinor: fc.constantFrom(0, 1_000, 12_345),
})

export const aUnit: fc.Arbitrary<UnitSpec> = fc.record({
  policy: fc.constantFrom(
    'player-one' as const,
    'touptek' as const,
    'retailer' as const,
    'shenzhen-service' as const,
  ),
  batch: fc.constantFrom(null, 'B1', 'B2'),
  daysAgo: fc.integer({ min: 0, max: 1100 }),
  shipDelay: fc.option(fc.integer({ min: 0, max: 5 })),
  transit: fc.option(fc.integer({ min: 0, max: 15 })),
  claims: fc.array(aClaim, { maxLength: 2 }),
})

/** A registry: mostly units that never claim, some that do; now and then a large one. */
export const aRegistry = fc.oneof(
  fc.array(aUnit, { maxLength: 40 }),
  fc.array(aUnit, { minLength: 100, maxLength: 300 }),
)

/** Days from the purchase to the as-of day: no sale date is after it, as the registry refuses days later than today. */
export const boughtDaysAgo = (u: UnitSpec): number =>
  u.daysAgo + (u.shipDelay ?? 0) + (u.shipDelay === null ? 0 : (u.transit ?? 0))

/** A unit's dates as `seedRegistry` writes them, as day numbers (null when absent). */
export function unitDays(u: UnitSpec): {
  purchased: number
  shipped: number | null
  delivered: number | null
  activated: number | null
} {
  const purchased = AS_OF_DAY - boughtDaysAgo(u)
  const shipped = u.shipDelay === null ? null : purchased + u.shipDelay
  const delivered = shipped === null || u.transit === null ? null : shipped + u.transit
  const lastSale = delivered ?? shipped ?? purchased
  const activated =
    u.activatedAfter === undefined || u.activatedAfter === null
      ? null
      : Math.min(lastSale + u.activatedAfter, AS_OF_DAY)
  return { purchased, shipped, delivered, activated }
}

let modelCount = 0

/**
 * Writes the units and claims of a new model, straight into the tables as the registry keeps
 * them, `copies` times over; answers the model's id.
 */
export async function seedRegistry(
  ctx: AppContext,
  units: readonly UnitSpec[],
  options: {
    copies?: number
    warrantyTerm?: string | null
    /** The model's category: a camera when absent. */
    category?: string
    /** Writes the rows in an order of their own, so the database returns them in another. */
    orderSeed?: number
  } = {},
): Promise<string> {
  const copies = options.copies ?? 1
  modelCount += 1
  const modelId = `model-prop-${modelCount}`
  await ensureSyntheticModel(ctx.db, { modelId, modelName: `Prop Cam ${modelCount}` })
  if (options.warrantyTerm)
    await ctx.db
      .updateTable('product_models')
      .set({ warranty_term: options.warrantyTerm })
      .where('id', '=', modelId)
      .execute()
  if (options.category)
    await ctx.db
      .updateTable('product_models')
      .set({ category: options.category })
      .where('id', '=', modelId)
      .execute()
  const unitRows: object[] = []
  let claimRows: ReturnType<typeof newClaimRow>[] = []
  const costRows: object[] = []
  for (let copy = 0; copy < copies; copy++) {
    units.forEach((u, i) => {
      const serial = `${modelId.toUpperCase()}-${copy}-${i}`
      const { purchased: bought, shipped, delivered, activated } = unitDays(u)
      unitRows.push({
        serial,
        model_id: modelId,
        batch: u.batch,
        channel: u.dealer ? 'dealer' : (u.channel ?? 'direct'),
        dealer_org_id: u.dealer?.orgId ?? null,
        dealer_confirmed: u.dealer && !u.dealer.confirmed ? 0 : 1,
        seller_org_id: null,
        shipped_by: 'vendor',
        purchased_on: formatDay(bought),
        shipped_on: shipped === null ? null : formatDay(shipped),
        delivered_on: delivered === null ? null : formatDay(delivered),
        activated_on: activated === null ? null : formatDay(activated),
        owner_customer_id: null,
        second_hand: 0,
        proof_of_purchase: 1,
        warranty_card: 1,
        replaced_by_serial: null,
        policy_id: u.policy,
        policy_version: '1',
        created_at: NOW,
        updated_at: NOW,
      })
      u.claims.forEach((c, j) => {
        const openedAt = `${formatDay(bought + c.day)}T10:00:00.000Z`
        claimRows.push(
          newClaimRow({
            id: `${serial}-c${j}`,
            state: 'closed',
            version: 1,
            policy_id: u.policy,
            policy_version: '1',
            currency: 'USD',
            brand: 'own',
            unit_id: serial,
            serial,
            model: modelId,
            category: options.category ?? 'camera',
            customer_id: null,
            dealer_org_id: null,
            opened_by: 'system',
            opened_by_role: 'system',
            case_json: JSON.stringify({ problem: { kind: c.kind } }),
            problem_description: 'generated',
            final_decision: JSON.stringify({ covered: c.confirmed }),
            outcome: c.confirmed ? 'completed' : 'returned-unrepaired',
            opened_at: openedAt,
            updated_at: openedAt,
            closed_at: openedAt,
          }),
        )
        if (c.costMinor > 0)
          costRows.push({
            id: `${serial}-c${j}-l`,
            claim_id: `${serial}-c${j}`,
            quote_id: null,
            kind: 'parts',
            description: 'generated',
            quantity: 1,
            unit_price_minor: c.costMinor,
            currency: 'USD',
            payer: 'vendor',
            created_at: openedAt,
          })
        if (c.customerPaidMinor)
          costRows.push({
            id: `${serial}-c${j}-customer`,
            claim_id: `${serial}-c${j}`,
            quote_id: null,
            kind: 'labour',
            description: 'generated',
            quantity: 1,
            unit_price_minor: c.customerPaidMinor,
            currency: 'USD',
            payer: 'customer',
            created_at: openedAt,
          })
      })
    })
  }
  if (options.orderSeed !== undefined) claimRows = shuffled(claimRows, options.orderSeed)
  for (let i = 0; i < unitRows.length; i += 200)
    await ctx.db
      .insertInto('units')
      .values(unitRows.slice(i, i + 200) as never)
      .execute()
  for (let i = 0; i < claimRows.length; i += 200)
    await ctx.db
      .insertInto('claims')
      .values(claimRows.slice(i, i + 200))
      .execute()
  for (let i = 0; i < costRows.length; i += 200)
    await ctx.db
      .insertInto('claim_cost_lines')
      .values(costRows.slice(i, i + 200) as never)
      .execute()
  return modelId
}
