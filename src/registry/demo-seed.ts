import type { AppContext } from '../shared/app-context.ts'
import { addDays } from '../shared/day-numbers.ts'
import { AppError } from '../shared/errors.ts'
import { toCustomerRow } from './customer.store.ts'
import { type CatalogueModel, DEMO_MODELS, DEMO_ORGANISATIONS, ORG } from './demo-catalogue.ts'
import { pickPolicyVersion } from './domain/pick-policy-version.ts'
import { insertModelIfAbsent, toModelRow } from './model.store.ts'
import { insertOrganisationIfAbsent, toOrganisationRow } from './organisation.store.ts'
import { createUnitUpserter, type UnitSaleValues } from './unit-bulk.store.ts'

const FIRST_NAMES = [
  'Anna',
  'Ben',
  'Clara',
  'David',
  'Elena',
  'Felix',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kate',
  'Lukas',
  'Maya',
  'Noah',
  'Olga',
  'Paul',
  'Rosa',
  'Sam',
  'Tara',
  'Victor',
]
const LAST_NAMES = [
  'Keller',
  'Moreau',
  'Walsh',
  'Novak',
  'Fischer',
  'Santos',
  'Berg',
  'Tanaka',
  'Costa',
  'Meyer',
]
const ZH_NAMES = ['王伟', '李娜', '张敏', '刘洋', '陈静', '杨磊', '赵丽', '黄涛', '周杰', '吴芳']

const CUSTOMER_COUNT = 40
const UNIT_COUNT = 300

interface SaleRoute {
  policyId: string
  sellerOrgId: string
  channel: 'direct' | 'dealer'
  dealerOrgId: string | null
  shippedBy: 'vendor' | 'dealer'
}

/** Who sells a model in the demo: its brand directly, a dealer, or the online retailer. */
function saleRoutesFor(model: CatalogueModel): SaleRoute[] {
  const direct = (policyId: string, sellerOrgId: string): SaleRoute => ({
    policyId,
    sellerOrgId,
    channel: 'direct',
    dealerOrgId: null,
    shippedBy: 'vendor',
  })
  const viaDealer = (policyId: string, sellerOrgId: string, dealerOrgId: string): SaleRoute => ({
    policyId,
    sellerOrgId,
    channel: 'dealer',
    dealerOrgId,
    shippedBy: 'dealer',
  })
  switch (model.brandOrgId) {
    case ORG.playerOne:
      return [
        direct('player-one', ORG.playerOne),
        viaDealer('player-one', ORG.playerOne, ORG.starlight),
        direct('retailer', ORG.retailer),
      ]
    case ORG.touptek:
      return [
        direct('touptek', ORG.touptek),
        viaDealer('touptek', ORG.touptek, ORG.prairie),
        direct('retailer', ORG.retailer),
      ]
    case ORG.ist:
      return [direct('ist', ORG.ist)]
    default:
      return [direct('shenzhen-service', ORG.shenzhen)]
  }
}

/** Purchase ages in days: dead-on-arrival age, first year, second year, long expired. */
const AGE_BUCKETS: Array<[number, number]> = [
  [3, 20],
  [25, 330],
  [380, 700],
  [760, 1300],
]

/** A small deterministic generator, so the demo is the same every run. */
function createRandom(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
  return {
    between: (low: number, high: number) => low + Math.floor(next() * (high - low + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  }
}

function demoCustomers(now: string) {
  return Array.from({ length: CUSTOMER_COUNT }, (_, i) => {
    const zh = i % 4 === 3
    const first = FIRST_NAMES[i % FIRST_NAMES.length] ?? 'Alex'
    const last = LAST_NAMES[(i * 3) % LAST_NAMES.length] ?? 'Smith'
    const name = zh ? (ZH_NAMES[i % ZH_NAMES.length] ?? '王伟') : `${first} ${last}`
    const email = zh
      ? `customer${String(i + 1).padStart(2, '0')}@example.cn`
      : `${first}.${last}${i + 1}@example.com`
    return toCustomerRow(
      `cus-demo-${String(i + 1).padStart(2, '0')}`,
      {
        name,
        email,
        locale: zh ? 'zh' : 'en',
        phone: `+00 555 01${String(i).padStart(2, '0')}`,
        // Returns ship to this address unless the claim names another.
        address: zh
          ? {
              line1: `文一西路 ${100 + i} 号`,
              city: '杭州',
              region: '浙江',
              postcode: '310012',
              country: 'CN',
            }
          : {
              line1: `${10 + i} Example Street`,
              city: 'Springfield',
              region: 'IL',
              postcode: '62701',
              country: 'US',
            },
      },
      now,
    )
  })
}

/**
 * Seeds the demo registry: sellers, dealers, the maker of an agent brand, the catalogue,
 * 40 customers and 300 units with dates relative to `ctx.now()`. Running it again adds nothing.
 */
export async function seedDemoRegistry(
  ctx: Pick<AppContext, 'db' | 'engine' | 'policies' | 'now'>,
): Promise<{ serials: string[]; dealerOrgIds: string[]; customerIds: string[] }> {
  const nowIso = ctx.now().toISOString()
  const today = nowIso.slice(0, 10)
  const random = createRandom(20240601)
  const customers = demoCustomers(nowIso)
  const hosts = DEMO_MODELS.filter((m) => m.part === 'host' || m.category === 'filter-wheel')

  const units: UnitSaleValues[] = []
  const transfers: Array<{ serial: string; from: string; to: string; on: string }> = []
  for (let i = 0; i < UNIT_COUNT; i++) {
    // Cameras dominate the demo as they dominate the seeds.
    const model = i % 3 === 2 ? random.pick(hosts) : random.pick(hosts.filter((m) => m.category === 'camera'))
    const route = random.pick(saleRoutesFor(model))
    const [low, high] = random.pick(AGE_BUCKETS)
    const purchasedOn = addDays(today, -random.between(low, high))
    const shippedOn = addDays(purchasedOn, random.between(0, 3))
    const deliveredOn = addDays(shippedOn, random.between(2, 15))
    const activatedOn =
      model.category === 'astro-box' && deliveredOn < today
        ? addDays(deliveredOn, random.between(0, 20))
        : null
    const version = pickPolicyVersion(ctx.policies, route.policyId, purchasedOn)
    if (!version) throw new AppError('internal', `Policy ${route.policyId} is not loaded; the demo needs it`)
    const owner = customers[i % CUSTOMER_COUNT]?.id ?? null
    const secondHand = i % 37 === 5
    const serial = `${model.id.split('-')[0]?.toUpperCase().slice(0, 3)}-${String(10000 + i * 7)}`
    units.push({
      serial,
      model_id: model.id,
      batch: `B${purchasedOn.slice(2, 4)}${purchasedOn.slice(5, 7)}`,
      channel: route.channel,
      dealer_org_id: route.dealerOrgId,
      seller_org_id: route.sellerOrgId,
      shipped_by: route.shippedBy,
      purchased_on: purchasedOn,
      shipped_on: shippedOn,
      delivered_on: deliveredOn > today ? null : deliveredOn,
      activated_on: activatedOn && activatedOn <= today ? activatedOn : null,
      owner_customer_id: owner,
      second_hand: secondHand ? 1 : 0,
      proof_of_purchase: 1,
      warranty_card: i % 29 === 11 ? 0 : 1,
      replaced_by_serial: null,
      policy_id: version.id,
      policy_version: version.version,
    })
    if (secondHand && owner) {
      const previous = customers[(i + 7) % CUSTOMER_COUNT]?.id
      if (previous) transfers.push({ serial, from: previous, to: owner, on: addDays(deliveredOn, 30) })
    }
  }

  await ctx.db.transaction().execute(async (trx) => {
    for (const org of DEMO_ORGANISATIONS.filter((o) => !o.agentOrgId)) {
      await insertOrganisationIfAbsent(trx, toOrganisationRow(org, nowIso))
    }
    for (const org of DEMO_ORGANISATIONS.filter((o) => o.agentOrgId)) {
      await insertOrganisationIfAbsent(trx, toOrganisationRow(org, nowIso))
    }
    for (const model of DEMO_MODELS) await insertModelIfAbsent(trx, toModelRow(model, nowIso))
    for (const customer of customers) {
      await trx
        .insertInto('customers')
        .values(customer)
        .onConflict((oc) => oc.doNothing())
        .execute()
    }
    // No column is updatable: an existing demo unit is left exactly as it is.
    const upserter = createUnitUpserter(ctx.engine, [])
    for (let start = 0; start < units.length; start += 100) {
      await upserter.upsert(trx, units.slice(start, start + 100), nowIso)
    }
    for (const t of transfers) {
      await trx
        .insertInto('ownership_transfers')
        .values({
          id: `xfer-demo-${t.serial}`,
          serial: t.serial,
          from_customer_id: t.from,
          to_customer_id: t.to,
          transferred_on: t.on,
          recorded_by_user_id: null,
          created_at: nowIso,
        })
        .onConflict((oc) => oc.doNothing())
        .execute()
    }
  })
  return {
    serials: units.map((u) => String(u.serial)),
    dealerOrgIds: [ORG.starlight, ORG.prairie],
    customerIds: customers.map((c) => c.id),
  }
}
