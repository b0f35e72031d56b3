import { type ExpressionBuilder, sql } from 'kysely'
import { costLineSpent } from '../claims/index.ts'
import type { Db } from '../db/database.ts'
import type { Database } from '../db/schema.ts'
import { splitPayment } from '../recoveries/index.ts'
import { localDate } from '../shared/local-date.ts'
import { startOfLocalDay } from '../shared/wall-time.ts'
import type { CostSum, FailureFacts, KeyedCount } from './domain/report-aggregations.ts'
import { dayAfter } from './domain/report-aggregations.ts'
import type { GroupBy, ReportFilter } from './report.schemas.ts'

/**
 * Read-only queries of the insight feature over the claims, registry and money tables.
 * Plain Kysely that both engines run: grouping by text prefixes (`substr`) and sums of
 * integer columns only; JSON columns are parsed in TypeScript, a page at a time.
 */

/** Key under which claims and units without a dealer (direct sales) or batch are grouped. */
export const NONE_KEY = '(none)'

/** Rows read per round trip when a report or a simulation walks claims. */
export const PAGE_SIZE = 2000

type ClaimScope = ExpressionBuilder<Database, 'claims' | 'units'>

/**
 * The report filters, told the zone each policy counts its days in (by policy id). A claim's
 * day is its opening's day in its policy's zone, as everywhere else in the product; a report
 * over several sellers has no single zone, so from and to are each policy's days, and a claim
 * of a policy not known here is dated in UTC.
 */
export type ClaimFilter = ReportFilter & { zones?: ReadonlyMap<string, string> }

/** The zone a claim of `policyId` is dated in. */
export const zoneOfPolicy = (filter: ClaimFilter, policyId: string): string =>
  filter.zones?.get(policyId) ?? 'UTC'

/** The instant `day` begins in `timeZone`, written as `opened_at` is. */
const startOfDayIn = (day: string, timeZone: string): string => startOfLocalDay(day, timeZone).toISOString()

/** Claims opened on the range's days, each in its own policy's zone. */
function openedWithin(eb: ClaimScope, filter: ClaimFilter) {
  const { from, to } = filter
  const bounds = (timeZone: string) => [
    ...(from ? [eb('claims.opened_at', '>=', startOfDayIn(from, timeZone))] : []),
    ...(to ? [eb('claims.opened_at', '<', startOfDayIn(dayAfter(to), timeZone))] : []),
  ]
  const byZone = new Map<string, string[]>()
  for (const [policyId, timeZone] of filter.zones ?? [])
    byZone.set(timeZone, [...(byZone.get(timeZone) ?? []), policyId])
  const known = [...(filter.zones?.keys() ?? [])]
  return eb.or([
    ...[...byZone].map(([timeZone, policyIds]) =>
      eb.and([eb('claims.policy_id', 'in', policyIds), ...bounds(timeZone)]),
    ),
    eb.and([...(known.length > 0 ? [eb('claims.policy_id', 'not in', known)] : []), ...bounds('UTC')]),
  ])
}

/** The report filters as one condition on `claims` left-joined with `units` on the serial. */
function matchClaims(eb: ClaimScope, filter: ClaimFilter) {
  const conditions = []
  if (filter.from || filter.to) conditions.push(openedWithin(eb, filter))
  if (filter.policy) conditions.push(eb('claims.policy_id', '=', filter.policy))
  if (filter.dealer) conditions.push(eb('claims.dealer_org_id', '=', filter.dealer))
  if (filter.model) {
    conditions.push(eb.or([eb('units.model_id', '=', filter.model), eb('claims.model', '=', filter.model)]))
  }
  return eb.and(conditions)
}

function selectClaims(db: Db, filter: ClaimFilter) {
  return db
    .selectFrom('claims')
    .leftJoin('units', 'units.serial', 'claims.serial')
    .where((eb) => matchClaims(eb, filter))
}

/** The group column for claims: the unit's model, batch, or the claim's dealer. */
function claimGroupColumn(groupBy: GroupBy) {
  if (groupBy === 'model') return 'units.model_id' as const
  if (groupBy === 'batch') return 'units.batch' as const
  return 'claims.dealer_org_id' as const
}

/** Claims per group. Claims whose unit is not registered fall under NONE_KEY. */
export async function countClaimsByGroup(
  db: Db,
  groupBy: GroupBy,
  filter: ClaimFilter,
): Promise<KeyedCount[]> {
  const column = claimGroupColumn(groupBy)
  const rows = await selectClaims(db, filter)
    .select((eb) => [eb.ref(column).as('key'), eb.fn.countAll<number>().as('count')])
    .groupBy(column)
    .execute()
  return rows.map((r) => ({ key: r.key ?? NONE_KEY, count: Number(r.count) }))
}

/**
 * Units sold per group, under the same policy, model and dealer filters; the date range
 * bounds claims, not sales, so a rate compares a period's claims with the installed base.
 */
export async function countUnitsByGroup(
  db: Db,
  groupBy: GroupBy,
  filter: ClaimFilter,
): Promise<KeyedCount[]> {
  const column =
    groupBy === 'model' ? 'units.model_id' : groupBy === 'batch' ? 'units.batch' : 'units.dealer_org_id'
  let query = db
    .selectFrom('units')
    .select((eb) => [eb.ref(column).as('key'), eb.fn.countAll<number>().as('count')])
  if (filter.policy) query = query.where('units.policy_id', '=', filter.policy)
  if (filter.model) query = query.where('units.model_id', '=', filter.model)
  if (filter.dealer) query = query.where('units.dealer_org_id', '=', filter.dealer)
  const rows = await query.groupBy(column).execute()
  return rows.map((r) => ({ key: r.key ?? NONE_KEY, count: Number(r.count) }))
}

/** Display names of the groups: model names and dealer names; batches are their own name. */
export async function readGroupLabels(
  db: Db,
  groupBy: GroupBy,
  keys: readonly string[],
): Promise<Map<string, string>> {
  const ids = keys.filter((k) => k !== NONE_KEY)
  if (groupBy === 'batch' || ids.length === 0) return new Map()
  const rows =
    groupBy === 'model'
      ? await db.selectFrom('product_models').select(['id', 'name']).where('id', 'in', ids).execute()
      : await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

/**
 * Walks the matching claims in pages of PAGE_SIZE by id, so memory stays flat however many
 * claims there are, and each page is one indexed range read on the primary key. The next
 * page is requested before the current one is handed over, so on PostgreSQL the server
 * reads while the caller computes.
 */
async function* pageClaims<T extends { id: string }>(
  fetchPage: (afterId: string | null) => Promise<T[]>,
): AsyncGenerator<T[]> {
  let next: Promise<T[]> | null = fetchPage(null)
  while (next !== null) {
    const page: T[] = await next
    const last = page.length === PAGE_SIZE ? page.at(-1) : undefined
    next = last === undefined ? null : fetchPage(last.id)
    // A caller that stops early leaves the prefetch unread; its failure must not go unhandled.
    next?.catch(() => {})
    if (page.length > 0) yield page
  }
}

function parseJson<T>(text: string | null | undefined): T | null {
  if (!text) return null
  try {
    return JSON.parse(text) as T
  } catch {
    return null
  }
}

/** The problem kind and inspection findings of every matching claim, with its group. */
export async function* readFailureFacts(
  db: Db,
  groupBy: GroupBy,
  filter: ClaimFilter,
): AsyncGenerator<FailureFacts> {
  const column = claimGroupColumn(groupBy)
  const pages = pageClaims((afterId) => {
    let query = selectClaims(db, filter).select((eb) => [
      'claims.id as id',
      'claims.case_json as caseJson',
      'claims.inspection as inspection',
      eb.ref(column).as('groupKey'),
    ])
    if (afterId !== null) query = query.where('claims.id', '>', afterId)
    return query.orderBy('claims.id').limit(PAGE_SIZE).execute()
  })
  for await (const page of pages) {
    for (const row of page) {
      const kase = parseJson<{ problem?: { kind?: string } }>(row.caseJson)
      const inspection = parseJson<{ findings?: string[] }>(row.inspection)
      yield {
        group: row.groupKey ?? NONE_KEY,
        problemKind: kase?.problem?.kind ?? null,
        findings: Array.isArray(inspection?.findings) ? inspection.findings : [],
      }
    }
  }
}

/**
 * Claims opened per `YYYY-MM` month, each in the month of its own day in its policy's zone.
 * The database cannot tell a day in a zone on both engines, so it counts by policy and UTC
 * month, and by the minute on a month's first and last days, the only ones whose opening may
 * fall in another month somewhere; those minutes are dated here. The bucket is written with
 * literals alone: PostgreSQL sees two bound parameters in select and group by as different
 * expressions and refuses the grouping.
 */
export async function countClaimsByMonth(
  db: Db,
  filter: ClaimFilter,
): Promise<{ month: string; count: number }[]> {
  const bucket = sql<string>`case when substr(claims.opened_at, 9, 2) in ('01', '28', '29', '30', '31') then substr(claims.opened_at, 1, 16) else substr(claims.opened_at, 1, 7) end`
  const rows = await selectClaims(db, filter)
    .select([
      'claims.policy_id as policyId',
      bucket.as('bucket'),
      (eb) => eb.fn.countAll<number>().as('count'),
    ])
    .groupBy(['claims.policy_id', bucket])
    .execute()
  return rows.map((r) => ({
    month:
      r.bucket.length === 7
        ? r.bucket
        : localDate(new Date(`${r.bucket}:00.000Z`), zoneOfPolicy(filter, r.policyId)).slice(0, 7),
    count: Number(r.count),
  }))
}

/**
 * Open claims counted by state, policy and the minute they were opened (`YYYY-MM-DDTHH:MM`,
 * UTC), so each can be dated in its policy's zone for the age of the case: a minute falls on
 * one day in every zone.
 */
export async function countOpenClaimsByStateAndMinute(
  db: Db,
  filter: ClaimFilter,
  exceptStates: readonly string[],
): Promise<{ state: string; policyId: string; openedAt: string; count: number }[]> {
  const minute = sql<string>`substr(claims.opened_at, 1, 16)`
  let query = selectClaims(db, filter).select((eb) => [
    'claims.state as state',
    'claims.policy_id as policyId',
    minute.as('openedAt'),
    eb.fn.countAll<number>().as('count'),
  ])
  if (exceptStates.length > 0) query = query.where('claims.state', 'not in', [...exceptStates])
  const rows = await query.groupBy(['claims.state', 'claims.policy_id', minute]).execute()
  return rows.map((r) => ({
    state: r.state,
    policyId: r.policyId,
    openedAt: String(r.openedAt),
    count: Number(r.count),
  }))
}

/**
 * Cost lines of the matching claims summed by currency, payer and kind: only the lines spent
 * (`costLineSpent`), not the lines of a quote the customer has not accepted.
 */
export async function sumCostLines(db: Db, filter: ClaimFilter): Promise<CostSum[]> {
  const rows = await selectClaims(db, filter)
    .innerJoin('claim_cost_lines', 'claim_cost_lines.claim_id', 'claims.id')
    .where(costLineSpent)
    .select((eb) => [
      'claim_cost_lines.currency as currency',
      'claim_cost_lines.payer as payer',
      'claim_cost_lines.kind as kind',
      eb.fn
        .sum<number>(eb('claim_cost_lines.quantity', '*', eb.ref('claim_cost_lines.unit_price_minor')))
        .as('amount'),
    ])
    .groupBy(['claim_cost_lines.currency', 'claim_cost_lines.payer', 'claim_cost_lines.kind'])
    .execute()
  return rows.map((r) => ({ currency: r.currency, payer: r.payer, kind: r.kind, amount: Number(r.amount) }))
}

/** The latest decision of every matching claim that has one: final when made, else provisional. */
export async function* readLatestDecisions(
  db: Db,
  filter: ClaimFilter,
): AsyncGenerator<{ covered: boolean; basis: string; exclusionCodes: string[] }> {
  const pages = pageClaims((afterId) => {
    let query = selectClaims(db, filter)
      .select([
        'claims.id as id',
        'claims.final_decision as final',
        'claims.provisional_decision as provisional',
      ])
      .where((eb) =>
        eb.or([
          eb('claims.final_decision', 'is not', null),
          eb('claims.provisional_decision', 'is not', null),
        ]),
      )
    if (afterId !== null) query = query.where('claims.id', '>', afterId)
    return query.orderBy('claims.id').limit(PAGE_SIZE).execute()
  })
  for await (const page of pages) {
    for (const row of page) {
      const decision = parseJson<{ covered?: boolean; basis?: string; exclusions?: { code: string }[] }>(
        row.final ?? row.provisional,
      )
      if (!decision || typeof decision.covered !== 'boolean') continue
      yield {
        covered: decision.covered,
        basis: decision.basis ?? 'none',
        exclusionCodes: (decision.exclusions ?? []).map((e) => e.code),
      }
    }
  }
}

/** One past claim as a simulation needs it: its stored case, its inspection and the version it was decided under. */
export interface SimulationClaimRow {
  id: string
  /** The claims intake decides with the unit's version and stores it here; the decision JSON is not read, as it is many times the size. */
  policyVersion: string | null
  caseJson: string
  inspection: string | null
}

/** Claims of one policy opened within the range, a page at a time, by id. */
export function pageSimulationClaims(
  db: Db,
  policyId: string,
  range: { from?: string | undefined; to?: string | undefined },
): AsyncGenerator<SimulationClaimRow[]> {
  return pageClaims((afterId) => {
    let query = db
      .selectFrom('claims')
      .select(['id', 'policy_version as policyVersion', 'case_json as caseJson', 'inspection'])
      .where('policy_id', '=', policyId)
    if (range.from) query = query.where('opened_at', '>=', range.from)
    if (range.to) query = query.where('opened_at', '<', dayAfter(range.to))
    if (afterId !== null) query = query.where('id', '>', afterId)
    return query.orderBy('id').limit(PAGE_SIZE).execute()
  })
}

/** The spent cost lines (`costLineSpent`) of the given claims (one page of a simulation), amounts in minor units. */
export async function readCostLinesOf(
  db: Db,
  claimIds: readonly string[],
): Promise<Map<string, { kind: string; currency: string; amount: number; payer: string | null }[]>> {
  const byClaim = new Map<
    string,
    { kind: string; currency: string; amount: number; payer: string | null }[]
  >()
  if (claimIds.length === 0) return byClaim
  const rows = await db
    .selectFrom('claim_cost_lines')
    .where('claim_cost_lines.claim_id', 'in', [...claimIds])
    .where(costLineSpent)
    .select([
      'claim_cost_lines.claim_id as claimId',
      'claim_cost_lines.kind as kind',
      'claim_cost_lines.currency as currency',
      'claim_cost_lines.quantity as quantity',
      'claim_cost_lines.unit_price_minor as unitPrice',
      'claim_cost_lines.payer as payer',
    ])
    .execute()
  for (const row of rows) {
    let lines = byClaim.get(row.claimId)
    if (!lines) {
      lines = []
      byClaim.set(row.claimId, lines)
    }
    lines.push({
      kind: row.kind,
      currency: row.currency,
      amount: Number(row.quantity) * Number(row.unitPrice),
      payer: row.payer,
    })
  }
  return byClaim
}

/**
 * Recovery lines of the matching claims summed per currency: what others owe for the work
 * (claimed), and what was paid for it (recovered). A debtor pays a recovery claim as a whole,
 * for lines of several warranty claims; each line is credited its share of the payment, in
 * proportion to what was accepted of it, the shares of one payment adding up to it to the
 * minor unit whichever claims the filter keeps. Accepted and then written off is not recovered.
 */
export async function sumRecoveryLines(
  db: Db,
  filter: ClaimFilter,
): Promise<{ currency: string; claimed: number; recovered: number }[]> {
  const lines = await selectClaims(db, filter)
    .innerJoin('recovery_lines', 'recovery_lines.claim_id', 'claims.id')
    .innerJoin('recovery_claims', 'recovery_claims.id', 'recovery_lines.recovery_id')
    .select([
      'recovery_lines.id as lineId',
      'recovery_claims.id as recoveryId',
      'recovery_claims.currency as currency',
      'recovery_claims.paid_minor as paid',
      'recovery_lines.amount_minor as amount',
    ])
    .execute()
  const paidRecoveries = new Map(
    lines.filter((l) => Number(l.paid) > 0).map((l) => [l.recoveryId, Number(l.paid)]),
  )
  // Each payment is split over every line of its recovery claim, those of claims the filter
  // leaves out too, so a line's share does not hang on which claims are reported.
  const shareOf = new Map<string, number>()
  const recoveryIds = [...paidRecoveries.keys()]
  // In slices: a statement takes a bounded number of parameters on either engine.
  for (let at = 0; at < recoveryIds.length; at += 500) {
    const rows = await db
      .selectFrom('recovery_lines')
      .select(['id', 'recovery_id', 'accepted_minor'])
      .where('recovery_id', 'in', recoveryIds.slice(at, at + 500))
      .orderBy('recovery_id')
      .orderBy('id')
      .execute()
    const byRecovery = new Map<string, typeof rows>()
    for (const row of rows) byRecovery.set(row.recovery_id, [...(byRecovery.get(row.recovery_id) ?? []), row])
    for (const [recoveryId, ofRecovery] of byRecovery) {
      const shares = splitPayment(
        paidRecoveries.get(recoveryId) ?? 0,
        ofRecovery.map((l) => Number(l.accepted_minor ?? 0)),
      )
      for (const [index, line] of ofRecovery.entries()) shareOf.set(line.id, shares[index] ?? 0)
    }
  }
  const byCurrency = new Map<string, { claimed: number; recovered: number }>()
  for (const line of lines) {
    const sums = byCurrency.get(line.currency) ?? { claimed: 0, recovered: 0 }
    byCurrency.set(line.currency, sums)
    sums.claimed += Number(line.amount)
    sums.recovered += shareOf.get(line.lineId) ?? 0
  }
  return [...byCurrency].map(([currency, sums]) => ({ currency, ...sums }))
}
