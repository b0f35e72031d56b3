import fs from 'node:fs/promises'
import path from 'node:path'
import { ORG } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { formatDay, parseDay } from '../shared/day-numbers.ts'
import { seededRandom } from './domain/special-functions.ts'
import { importClaims } from './import-claims.ts'

/**
 * Field history for the demo's reliability page: one camera model sold over three years in
 * four production batches, with Weibull lifetimes, and its past claims loaded the way a
 * seller loads them, through the claims import. Batch B3's failure rate triples four months
 * before today (a bad lot of parts), so the page shows a warning beside a meaningful curve.
 */

export const DEMO_RELIABILITY_MODEL = 'player-one-zeus-455m-pro'
const SERIAL_PREFIX = 'Z455P-'
const UNITS = 4000
const SPAN_DAYS = 1100
const SHAPE = 1.4
const SCALE_DAYS = 3000
const TERM_DAYS = 730
const BATCHES = ['B1', 'B2', 'B3', 'B4']
const STEP_BATCH = 'B3'
const STEP_DAYS_AGO = 120
const STEP_FACTOR = 3
const UNIT_CHUNK = 400
/** The name the demo's past claims are imported under, as a seller's file would be. */
const CLAIMS_FILE_NAME = 'claims-history-2023-2025.csv'

export async function seedDemoReliability(ctx: AppContext): Promise<{ units: number; claims: number }> {
  const model = await ctx.db
    .selectFrom('product_models')
    .select('id')
    .where('id', '=', DEMO_RELIABILITY_MODEL)
    .executeTakeFirst()
  if (!model) return { units: 0, claims: 0 }

  const random = seededRandom(455)
  const nowIso = ctx.now().toISOString()
  const today = parseDay(nowIso.slice(0, 10))
  const stepDay = today - STEP_DAYS_AGO
  const version = ctx.policies.summary('player-one')?.version ?? '1'
  const hazardTo = (age: number) => (age / SCALE_DAYS) ** SHAPE
  const csv = [
    'serial,claimedOn,problemKind,faultConfirmed,remedy,partsCost,partsCostPayer,labourCost,labourCostPayer,returnFreight,returnFreightPayer,currency',
  ]
  const units: object[] = []
  let claims = 0
  for (let i = 0; i < UNITS; i++) {
    // Batches follow one another in time, as production lots do.
    const start = today - SPAN_DAYS + Math.floor((i / UNITS) * SPAN_DAYS) + Math.floor(random() * 5)
    const batch = BATCHES[Math.min(BATCHES.length - 1, Math.floor((i / UNITS) * BATCHES.length))] ?? 'B1'
    const serial = `${SERIAL_PREFIX}${String(i).padStart(5, '0')}`
    units.push({
      serial,
      model_id: DEMO_RELIABILITY_MODEL,
      batch,
      channel: 'direct',
      dealer_org_id: null,
      seller_org_id: ORG.playerOne,
      shipped_by: 'vendor',
      purchased_on: formatDay(start - 4),
      shipped_on: formatDay(start - 3),
      delivered_on: formatDay(start),
      activated_on: null,
      owner_customer_id: null,
      second_hand: 0,
      proof_of_purchase: 1,
      warranty_card: 1,
      replaced_by_serial: null,
      policy_id: 'player-one',
      policy_version: version,
      created_at: nowIso,
      updated_at: nowIso,
    })
    // Invert the cumulative hazard, multiplied from the step day on for the bad batch.
    const target = -Math.log(1 - random())
    const stepAge = batch === STEP_BATCH ? Math.max(0, stepDay - start) : Number.POSITIVE_INFINITY
    const age =
      target <= hazardTo(stepAge)
        ? SCALE_DAYS * target ** (1 / SHAPE)
        : SCALE_DAYS * ((target - hazardTo(stepAge)) / STEP_FACTOR + hazardTo(stepAge)) ** (1 / SHAPE)
    const claimDay = start + Math.floor(age)
    const noFault = random() < 0.12
    if (age < TERM_DAYS && claimDay < today) {
      claims += 1
      csv.push(
        noFault
          ? `${serial},${formatDay(claimDay)},malfunction,false,none,,,,,18.00,vendor,USD`
          : `${serial},${formatDay(claimDay)},malfunction,true,${random() < 0.8 ? 'repair' : 'replace'},${(40 + Math.floor(random() * 160)).toFixed(2)},vendor,35.00,vendor,18.00,vendor,USD`,
      )
    }
  }
  // Seeded whole already when the last unit is there and the import took every claim. A
  // seeding stopped half-way (its process killed) left some chunks of units and perhaps part
  // of the claims: it goes on with what is missing, where a check on the first unit alone
  // would leave the page without most of its history for good.
  const lastUnit = await ctx.db
    .selectFrom('units')
    .select('serial')
    .where('serial', '=', `${SERIAL_PREFIX}${String(UNITS - 1).padStart(5, '0')}`)
    .executeTakeFirst()
  const imported = await ctx.db
    .selectFrom('claim_imports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('file_name', '=', CLAIMS_FILE_NAME)
    .executeTakeFirstOrThrow()
  if (lastUnit && Number(imported.n) >= claims) return { units: 0, claims: 0 }
  for (let start = 0; start < units.length; start += UNIT_CHUNK) {
    await ctx.db
      .insertInto('units')
      .values(units.slice(start, start + UNIT_CHUNK) as never)
      .onConflict((oc) => oc.column('serial').doNothing())
      .execute()
  }
  const dir = path.join(ctx.config.dataDir, 'imports')
  await fs.mkdir(dir, { recursive: true })
  const file = path.join(dir, 'demo-claims-history.csv')
  await fs.writeFile(file, `${csv.join('\n')}\n`)
  try {
    await importClaims(ctx, { file, fileName: CLAIMS_FILE_NAME })
  } finally {
    await fs.rm(file, { force: true })
  }
  return { units: UNITS, claims }
}
