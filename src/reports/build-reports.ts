import { CLAIM_STATES, TERMINAL_STATES } from '../claims/index.ts'
import { BASES, COSTS } from '../contracts/decision.ts'
import type { Db } from '../db/database.ts'
import type { PolicyLibrary } from '../policies/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { localDate } from '../shared/local-date.ts'
import { sellerToday } from '../shared/seller-today.ts'
import {
  countFailureModes,
  type FailureFacts,
  fillClaimsPerMonth,
  openCasesByAge,
  rateClaimsPerHundredUnits,
  shapeOpenCases,
  sumWarrantyCost,
  tallyDecisionMix,
} from './domain/report-aggregations.ts'
import type {
  ClaimRatesReport,
  ClaimsPerMonthReport,
  DecisionMixReport,
  FailureModesReport,
  GroupBy,
  OpenCasesReport,
  ReportFilter,
  WarrantyCostReport,
} from './report.schemas.ts'
import {
  type ClaimFilter,
  countClaimsByGroup,
  countClaimsByMonth,
  countOpenClaimsByStateAndMinute,
  countUnitsByGroup,
  readFailureFacts,
  readGroupLabels,
  readLatestDecisions,
  sumCostLines,
  sumRecoveryLines,
  zoneOfPolicy,
} from './report.store.ts'

/** Each report: the store's rows shaped by a pure aggregation. */

/**
 * A report's filter told each policy's zone, which its claims' days are counted in. A policy
 * the library does not hold is refused naming the field: it has no zone to date the report
 * in, and a claim is opened, or its history imported, only under a policy the library holds.
 */
export function inPolicyZones(
  policies: Pick<PolicyLibrary, 'list' | 'summary'>,
  filter: ReportFilter,
): ClaimFilter {
  if (filter.policy !== undefined && !policies.summary(filter.policy))
    throw new AppError(
      'validation',
      { key: 'reports.unknown-policy', params: { field: 'policy', policy: filter.policy } },
      { field: 'policy' },
    )
  const zones = new Map<string, string>()
  for (const { id } of policies.list()) zones.set(id, policies.summary(id)?.timeZone ?? 'UTC')
  return { ...filter, zones }
}

async function relabel<T extends { keys: string[]; labels: string[] }>(
  db: Db,
  groupBy: GroupBy,
  report: T,
): Promise<T> {
  const names = await readGroupLabels(db, groupBy, report.keys)
  return { ...report, labels: report.keys.map((key) => names.get(key) ?? key) }
}

export async function buildClaimRatesReport(
  db: Db,
  groupBy: GroupBy,
  filter: ClaimFilter,
): Promise<ClaimRatesReport> {
  const [claims, units] = await Promise.all([
    countClaimsByGroup(db, groupBy, filter),
    countUnitsByGroup(db, groupBy, filter),
  ])
  return relabel(db, groupBy, rateClaimsPerHundredUnits(groupBy, claims, units))
}

export async function buildFailureModesReport(
  db: Db,
  groupBy: GroupBy,
  filter: ClaimFilter,
): Promise<FailureModesReport> {
  const facts: FailureFacts[] = []
  for await (const row of readFailureFacts(db, groupBy, filter)) facts.push(row)
  return relabel(db, groupBy, countFailureModes(groupBy, facts))
}

export async function buildClaimsPerMonthReport(db: Db, filter: ClaimFilter): Promise<ClaimsPerMonthReport> {
  return fillClaimsPerMonth(await countClaimsByMonth(db, filter), filter)
}

const OPEN_STATES = CLAIM_STATES.filter((state) => !TERMINAL_STATES.includes(state))

/**
 * Open cases by state and age. A case's age counts the days from the day it was opened to
 * today, both in its policy's zone; the report is as of today in the seller's zone: the
 * filter's policy, else the policies of the cases counted, else every policy the library
 * holds, the latest of their days where they differ (as the reliability page is), so no
 * case's own today is later and no seller reads a day still to come in their own zone.
 */
export async function buildOpenCasesReport(
  ctx: Pick<AppContext, 'db' | 'policies' | 'now'>,
  filter: ClaimFilter,
): Promise<OpenCasesReport> {
  const now = ctx.now()
  const byMinute = await countOpenClaimsByStateAndMinute(ctx.db, filter, TERMINAL_STATES)
  const byDay = byMinute.map(({ state, policyId, openedAt, count }) => {
    const timeZone = zoneOfPolicy(filter, policyId)
    return {
      state,
      openedOn: localDate(new Date(`${openedAt}:00.000Z`), timeZone),
      today: localDate(now, timeZone),
      count,
    }
  })
  const shaped = shapeOpenCases(byDay, OPEN_STATES)
  const inScope = filter.policy ? [filter.policy] : [...new Set(byMinute.map((row) => row.policyId))]
  const asOf = sellerToday(ctx, inScope)
  return { ...shaped, byAge: openCasesByAge(byDay, shaped.labels, asOf), asOf }
}

export async function buildWarrantyCostReport(db: Db, filter: ClaimFilter): Promise<WarrantyCostReport> {
  const report = sumWarrantyCost(await sumCostLines(db, filter), COSTS)
  return { ...report, recovery: splitBorneFromRecovered(report, await sumRecoveryLines(db, filter)) }
}

/** Cost borne (every payer but the customer) beside what was claimed back and recovered, per currency. */
function splitBorneFromRecovered(
  report: WarrantyCostReport,
  recovery: { currency: string; claimed: number; recovered: number }[],
): NonNullable<WarrantyCostReport['recovery']> {
  const currencies = [
    ...new Set([...report.currencies.map((c) => c.currency), ...recovery.map((r) => r.currency)]),
  ]
  return currencies.sort().map((currency) => {
    const borne = report.currencies.find((c) => c.currency === currency)?.borneMinor ?? 0
    const recovered = recovery.find((r) => r.currency === currency)
    return {
      currency,
      borneMinor: borne,
      claimedMinor: recovered?.claimed ?? 0,
      recoveredMinor: recovered?.recovered ?? 0,
    }
  })
}

export async function buildDecisionMixReport(db: Db, filter: ClaimFilter): Promise<DecisionMixReport> {
  const decisions: { covered: boolean; basis: string; exclusionCodes: string[] }[] = []
  for await (const decision of readLatestDecisions(db, filter)) decisions.push(decision)
  return tallyDecisionMix(decisions, { basisOrder: BASES })
}
