import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestContext } from '../../src/app/test-context.ts'
import type { Role } from '../../src/auth/actor.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import type { OpenClaimBody } from '../../src/claims/claim.schemas.ts'
import type { Engine } from '../../src/db/database.ts'
import { openTestDatabase, type TestDatabase } from '../../src/db/test-database.ts'
import { sampleJpeg } from '../../src/files/sample-files.test-support.ts'
import { buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'
import type { PolicyLibrary } from '../../src/policies/index.ts'
import { DEMO_MODELS, DEMO_ORGANISATIONS, ORG } from '../../src/registry/demo-catalogue.ts'
import { insertUnitSale } from '../../src/registry/insert-unit-sale.ts'
import { insertModelIfAbsent, toModelRow } from '../../src/registry/model.store.ts'
import { insertOrganisationIfAbsent, toOrganisationRow } from '../../src/registry/organisation.store.ts'
import type { AppContext } from '../../src/shared/app-context.ts'
import { multipartBody } from '../../src/shared/multipart-body.test-support.ts'
import { describeBreaches, type ResponseWatch, watchResponses } from '../platform/response-watch.ts'

export { ORG }

/** The day the tests live on; dates of sales are relative to it. */
export const TODAY = '2026-01-20'

export interface Party {
  userId: string
  headers: Record<string, string>
  customerId?: string
  orgId?: string
}

export interface ClaimsWorld {
  database: TestDatabase
  ctx: AppContext
  app: HttpApp
  clock: { now: Date }
  /** A bench technician: staff who take the claim's steps but do not weigh proofs of purchase. */
  staff: Party
  /** A support agent: the front office, who weighs the customer's proofs of purchase. */
  support: Party
  customer: Party
  otherCustomer: Party
  dealer: Party
  otherDealer: Party
  /** Every answer the app gave, held to its route's response schema; `close` fails on a breach. */
  responses: ResponseWatch
  close(): Promise<void>
}

let serialCounter = 0
/** A serial nobody else in the run uses. */
export const newSerial = (prefix: string): string =>
  `${prefix}-${process.pid}-${Date.now() % 100000}-${++serialCounter}`

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

async function createCustomer(world: Pick<ClaimsWorld, 'database'>, id: string): Promise<void> {
  const at = new Date().toISOString()
  await world.database.db
    .insertInto('customers')
    .values({
      id,
      name: `Customer ${id}`,
      email: `${id}@example.com`,
      phone: null,
      address: JSON.stringify({ line1: '1 Star Rd', city: 'Berlin', country: 'DE' }),
      locale: 'en',
      created_at: at,
      updated_at: at,
    })
    .execute()
}

async function createParty(
  database: TestDatabase,
  role: Role,
  extra: { customerId?: string; orgId?: string } = {},
): Promise<Party> {
  const user = await createTestUser(database.db, {
    role,
    ...(extra.customerId ? { customerId: extra.customerId } : {}),
    ...(extra.orgId ? { orgId: extra.orgId } : {}),
  })
  return { ...user, ...extra }
}

/** A fresh database with the demo catalogue (sellers, dealers, the agent-brand maker, models), the app, and one user per party; the shipped policies unless others are given; on SQLite without a read connection (as the command line opens it) where `readConnection` is false. */
export async function openClaimsWorld(
  engine: Engine,
  options: {
    policies?: PolicyLibrary
    readConnection?: boolean
    /** False where the world measures speed: holding every answer to its schema costs each request its own validation. */
    watchResponses?: boolean
    /** `group`: SQLite opened as the server opens it, each answer to a write waiting for its commit's flush. */
    durability?: 'per-commit' | 'group'
  } = {},
): Promise<ClaimsWorld> {
  const database = await openTestDatabase(engine, {
    ...(options.readConnection === undefined ? {} : { readConnection: options.readConnection }),
    ...(options.durability ? { durability: options.durability } : {}),
  })
  const clock = { now: new Date(`${TODAY}T08:00:00.000Z`) }
  const ctx = createTestContext(database, {
    now: () => clock.now,
    ...(options.policies ? { policies: options.policies } : {}),
  })
  if (options.durability === 'group') ctx.durable = () => database.durable()
  const at = clock.now.toISOString()
  for (const org of DEMO_ORGANISATIONS)
    await insertOrganisationIfAbsent(database.db, toOrganisationRow(org, at))
  for (const model of DEMO_MODELS) await insertModelIfAbsent(database.db, toModelRow(model, at))
  const world = { database }
  await createCustomer(world, 'cus-alice')
  await createCustomer(world, 'cus-bob')
  const app = await buildApp(ctx)
  // Every test that works through this world also checks the one contract: what the web and
  // integrations are told a route answers is what it answered, field by field.
  const responses: ResponseWatch =
    options.watchResponses === false ? { checked: new Map(), breaches: [] } : watchResponses(app)
  return {
    database,
    ctx,
    app,
    clock,
    staff: await createParty(database, 'technician'),
    support: await createParty(database, 'support'),
    customer: await createParty(database, 'customer', { customerId: 'cus-alice' }),
    otherCustomer: await createParty(database, 'customer', { customerId: 'cus-bob' }),
    dealer: await createParty(database, 'dealer', { orgId: ORG.starlight }),
    otherDealer: await createParty(database, 'dealer', { orgId: ORG.prairie }),
    responses,
    async close() {
      await app.close()
      await database.dispose()
      if (responses.breaches.length > 0)
        throw new Error(`answers that break their route's response schema:\n${describeBreaches(responses)}`)
    },
  }
}

export interface UnitSpec {
  model: string
  policy: string
  sellerOrgId: string
  channel?: 'direct' | 'dealer'
  dealerOrgId?: string | null
  /** False: the buyer named the dealer and it has not confirmed the sale yet. */
  dealerConfirmed?: boolean
  purchasedOn: string
  deliveredOn?: string
  shippedOn?: string
  owner?: string | null
}

/** Registers a sold unit through the registry's sale writer, with the policy version in force on its purchase date. */
export async function seedUnit(world: ClaimsWorld, spec: UnitSpec): Promise<string> {
  const serial = newSerial(spec.model.slice(0, 3).toUpperCase())
  const channel = spec.channel ?? 'direct'
  await world.database.db.transaction().execute((trx) =>
    insertUnitSale(
      trx,
      world.ctx.policies,
      {
        serial,
        model: spec.model,
        channel,
        dealerOrgId: spec.dealerOrgId ?? null,
        ...(spec.dealerConfirmed === undefined ? {} : { dealerConfirmed: spec.dealerConfirmed }),
        sellerOrgId: spec.sellerOrgId,
        policyId: spec.policy,
        purchasedOn: spec.purchasedOn,
        shippedOn: spec.shippedOn ?? spec.purchasedOn,
        deliveredOn: spec.deliveredOn ?? addDays(spec.purchasedOn, 4),
        ownerCustomerId: spec.owner === undefined ? 'cus-alice' : spec.owner,
        proofOfPurchase: true,
        warrantyCard: true,
      },
      { at: world.clock.now.toISOString() },
    ),
  )
  return serial
}

/** Seed 000: a ToupTek camera delivered ten days ago. */
export const seedTouptekDoaUnit = (world: ClaimsWorld) =>
  seedUnit(world, {
    model: 'touptek-atr2600c',
    policy: 'touptek',
    sellerOrgId: ORG.touptek,
    purchasedOn: addDays(TODAY, -15),
    deliveredOn: addDays(TODAY, -10),
  })
/** Seed 001: bought from the online retailer, delivered three days ago. */
export const seedRetailerUnit = (world: ClaimsWorld) =>
  seedUnit(world, {
    model: 'player-one-ares-c-pro',
    policy: 'retailer',
    sellerOrgId: ORG.retailer,
    purchasedOn: addDays(TODAY, -7),
    shippedOn: addDays(TODAY, -6),
    deliveredOn: addDays(TODAY, -3),
  })
/** Seed 002: an agent-brand mount from the Shenzhen distributor, some eighteen months old (first year beyond warranty). */
export const seedShenzhenAgentUnit = (world: ClaimsWorld) =>
  seedUnit(world, {
    model: 'aurora-mounts-aurora-am5-harmonic-mount',
    policy: 'shenzhen-service',
    sellerOrgId: ORG.shenzhen,
    purchasedOn: addDays(TODAY, -570),
  })
/** Seed 003: an IST mini PC bought two years ago, out of warranty. */
export const seedIstExpiredUnit = (world: ClaimsWorld) =>
  seedUnit(world, {
    model: 'beijing-ist-ist-obspc-mini',
    policy: 'ist',
    sellerOrgId: ORG.ist,
    purchasedOn: addDays(TODAY, -700),
  })
/** Seed 004: a Player One cooled camera bought direct ten months ago. */
export const seedPlayerOneUnit = (world: ClaimsWorld) =>
  seedUnit(world, {
    model: 'player-one-poseidon-m-pro',
    policy: 'player-one',
    sellerOrgId: ORG.playerOne,
    purchasedOn: addDays(TODAY, -300),
  })
/** Seed 004: a Player One camera bought from a dealer ("we will provide warranty service through dealer"). */
export const seedPlayerOneDealerUnit = (world: ClaimsWorld) =>
  seedUnit(world, {
    model: 'player-one-zeus-455m-pro',
    policy: 'player-one',
    sellerOrgId: ORG.playerOne,
    channel: 'dealer',
    dealerOrgId: ORG.starlight,
    purchasedOn: addDays(TODAY, -200),
  })

export function openClaimBody(serial: string, overrides: Partial<OpenClaimBody> = {}): OpenClaimBody {
  return {
    serial,
    problem: { kind: 'malfunction', description: 'The camera stops after a few minutes; no image.' },
    evidence: ['defect-media'],
    ...overrides,
  }
}

export interface ClaimJson {
  id: string
  state: string
  version: number
  rma: {
    number: string
    shipTo: { name: string }
    itemsToInclude: string[]
    itemTranslations?: Record<string, { en?: string; zh?: string }>
    freightPayer: string | null
    service: string
  } | null
  quote: { id: string; status: string; customerTotalMinor: number; paidMinor: number } | null
  provisionalDecision: { covered: boolean; handler: string; remedies: string[]; service?: string } | null
  finalDecision: { covered: boolean; handler: string; remedies: string[]; basis: string } | null
  inspection: { missingItems?: string[]; findings?: string[] } | null
  replacementSerial: string | null
  returnShipment: { carrier: string; trackingNumber: string } | null
  outcome: string | null
  allowedActions: string[]
}

/** Opens a claim through the API as the given party. */
export async function openClaimAs(
  world: ClaimsWorld,
  party: Party,
  body: OpenClaimBody,
  headers: Record<string, string> = {},
): Promise<ClaimJson> {
  const response = await world.app.inject({
    method: 'POST',
    url: '/api/v1/claims',
    headers: { ...party.headers, ...headers },
    payload: body,
  })
  assert.equal(response.statusCode, 201, response.body)
  return response.json() as ClaimJson
}

/** The day the buyer of `seedPendingDealerSaleWithClaim`'s camera says they bought it. */
export const PENDING_SALE_PURCHASED = addDays(TODAY, -200)

/** Seed 004: a Player One camera its buyer (customer A) says dealer 1 sold, not yet confirmed, with an open claim. */
export async function seedPendingDealerSaleWithClaim(world: ClaimsWorld) {
  const serial = await seedUnit(world, {
    model: 'player-one-zeus-455m-pro',
    policy: 'player-one',
    sellerOrgId: ORG.playerOne,
    channel: 'dealer',
    dealerOrgId: ORG.starlight,
    dealerConfirmed: false,
    purchasedOn: PENDING_SALE_PURCHASED,
  })
  const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
  return { serial, claimId: claim.id }
}

/** Reads the claim (for its ETag) and takes one action on it; asserts success. */
export async function act(
  world: ClaimsWorld,
  party: Party,
  claimId: string,
  action: string,
  body: Record<string, unknown> = {},
): Promise<ClaimJson> {
  const response = await tryAct(world, party, claimId, action, body)
  assert.equal(response.statusCode, 200, `${action}: ${response.body}`)
  return response.json() as ClaimJson
}

export async function tryAct(
  world: ClaimsWorld,
  party: Party,
  claimId: string,
  action: string,
  body: Record<string, unknown> = {},
  ifMatch?: string,
) {
  let etag = ifMatch
  if (etag === undefined) {
    const read = await world.app.inject({
      method: 'GET',
      url: `/api/v1/claims/${claimId}`,
      headers: world.staff.headers,
    })
    etag = String(read.headers.etag)
  }
  return world.app.inject({
    method: 'POST',
    url: `/api/v1/claims/${claimId}/transitions/${action}`,
    headers: { ...party.headers, 'if-match': etag },
    payload: body,
  })
}

export const fullInspection = (
  serial: string,
  contents: string[],
  overrides: Record<string, unknown> = {},
) => ({
  serialSeen: serial,
  sealsIntact: true,
  packaging: 'good',
  contentsReceived: contents,
  findings: [],
  faultConfirmed: true,
  manufacturingDefect: true,
  ...overrides,
})

/**
 * A warranty repair's staff steps, from authorising the return to shipping the repaired
 * unit back (the customer confirms receipt and staff close after), with their bodies.
 */
export const repairSteps = (serial: string, contents: string[]): Array<[string, Record<string, unknown>]> => [
  ['authorize-return', {}],
  ['receive-unit', {}],
  ['record-inspection', fullInspection(serial, contents)],
  ['make-decision', {}],
  ['start-repair', {}],
  [
    'complete-repair',
    { lines: [{ kind: 'parts', description: 'TEC module', quantity: 1, unitPriceMinor: 9000 }] },
  ],
  ['ship-return', { carrier: 'DHL', trackingNumber: 'DHL-1' }],
]

/**
 * A returned unit's way to its final decision: the return authorised (unless the test took
 * that step itself, `from: 'receive-unit'`), the unit received, inspected with its model's
 * whole package and the fault confirmed, and decided. `by` takes the steps (staff unless
 * named) and `decider` the decision (`by` unless named). Returns the decided claim.
 */
export async function inspectAndDecide(
  world: ClaimsWorld,
  claimId: string,
  serial: string,
  model: string,
  {
    by = world.staff,
    decider = by,
    from = 'authorize-return',
  }: { by?: Party; decider?: Party; from?: 'authorize-return' | 'receive-unit' } = {},
): Promise<ClaimJson> {
  if (from === 'authorize-return') await act(world, by, claimId, 'authorize-return')
  await act(world, by, claimId, 'receive-unit')
  await act(world, by, claimId, 'record-inspection', fullInspection(serial, await packageOf(world, model)))
  return act(world, decider, claimId, 'make-decision')
}

export async function packageOf(world: ClaimsWorld, modelId: string): Promise<string[]> {
  const row = await world.database.db
    .selectFrom('product_models')
    .select('package_contents')
    .where('id', '=', modelId)
    .executeTakeFirstOrThrow()
  return JSON.parse(row.package_contents) as string[]
}

export async function eventTypes(world: ClaimsWorld, claimId: string): Promise<string[]> {
  const response = await world.app.inject({
    method: 'GET',
    url: `/api/v1/claims/${claimId}/events`,
    headers: world.staff.headers,
  })
  assert.equal(response.statusCode, 200, response.body)
  return (response.json() as { items: { type: string }[] }).items.map((e) => e.type)
}

/** The data of the e-mail about `topic` the outbox holds for the claim (the first, where there are several). */
export async function emailDataOf(
  world: ClaimsWorld,
  claimId: string,
  topic: string,
): Promise<Record<string, unknown>> {
  const row = await world.database.db
    .selectFrom('outbox_messages')
    .select('payload')
    .where('claim_id', '=', claimId)
    .where('topic', '=', topic)
    .where('channel', '=', 'email')
    .executeTakeFirstOrThrow()
  return JSON.parse(row.payload) as Record<string, unknown>
}

/** A claim of seed 003 out of warranty, inspected and decided, waiting for its quote. */
export async function seedClaimAwaitingQuote(world: ClaimsWorld): Promise<ClaimJson> {
  const serial = await seedIstExpiredUnit(world)
  const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
  return inspectAndDecide(world, opened.id, serial, 'beijing-ist-ist-obspc-mini')
}

/** A file the party holds for their next claim (`POST /api/v1/files`), as a small real JPEG: the upload reads the bytes. */
export async function holdUpload(world: ClaimsWorld, party: Party, kind: string): Promise<string> {
  const jpeg = sampleJpeg({ size: 206 })
  const body = multipartBody([
    { name: 'kind', value: kind },
    { name: 'files', filename: 'receipt.jpg', type: 'image/jpeg', data: jpeg },
  ])
  const response = await world.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: { ...party.headers, 'content-type': body.contentType },
    payload: body.payload,
  })
  assert.equal(response.statusCode, 201, response.body)
  return (response.json() as { items: Array<{ id: string }> }).items[0]?.id as string
}

/** The customer a unit is registered to, or null where nobody owns it. */
export const ownerOf = async (world: ClaimsWorld, serial: string): Promise<string | null> =>
  (
    await world.database.db
      .selectFrom('units')
      .select('owner_customer_id')
      .where('serial', '=', serial)
      .executeTakeFirstOrThrow()
  ).owner_customer_id

/** The session that waits on a lock `holder` has; fails after five seconds. */
export async function waitForBlockedBy(world: ClaimsWorld, holder: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { rows } = await sql<{ pid: number }>`
      select pid from pg_stat_activity where ${holder} = any(pg_blocking_pids(pid))
    `.execute(world.database.db)
    if (rows[0]) return rows[0].pid
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  assert.fail(`nothing waited on session ${holder}`)
}

/**
 * A PostgreSQL transaction that has done `work` and holds the locks it took until released:
 * its session, for `waitForBlockedBy`, and the release, which commits it.
 */
export async function holdTransaction(
  world: ClaimsWorld,
  work: (trx: ClaimsWorld['database']['db']) => Promise<unknown>,
): Promise<{ pid: number; release(): Promise<void> }> {
  let release!: () => void
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  let holding!: (pid: number) => void
  const pid = new Promise<number>((resolve) => {
    holding = resolve
  })
  const transaction = world.database.db.transaction().execute(async (trx) => {
    await work(trx)
    holding((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid ?? 0)
    await released
  })
  // A transaction that fails before it holds anything fails the wait for its session too.
  const held = await Promise.race([pid, transaction.then(() => 0)])
  return {
    pid: held,
    release: async () => {
      release()
      await transaction
    },
  }
}
