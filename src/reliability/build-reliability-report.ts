import { claimTimeZone } from '../claims/index.ts'
import { CHANNELS } from '../contracts/vocabulary.ts'
import { nameWarningReference } from '../contracts/warning-reference.ts'
import type { StartEvent } from '../policies/index.ts'
import { parseDuration, parsePolicyFile, startReadings } from '../policies/index.ts'
import { findOrganisation } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { addDays, parseDay } from '../shared/day-numbers.ts'
import { AppError } from '../shared/errors.ts'
import { localDate } from '../shared/local-date.ts'
import { translate } from '../shared/messages/translate.ts'
import { refuseLaterThanToday } from '../shared/not-later-than-today.ts'
import { sellerToday } from '../shared/seller-today.ts'
import {
  type EarlyWarning,
  earlyWarnings,
  type MonthlyCount,
  monthlyObservedExpected,
} from './domain/early-warning.ts'
import { EXCLUDED_CLAIMS, FAILURE_DEFINITION, isConfirmedFailure } from './domain/failure-definition.ts'
import { failuresWithinTerm, forecastFailures } from './domain/forecast.ts'
import {
  fitLife,
  fittedCumulativeHazard,
  fittedFractionFailing,
  fittedQuantile,
  LifeFitError,
  type LifeObservation,
  type LocationScaleFit,
  lognormalParameters,
  weibullParameters,
} from './domain/life-fit.ts'
import { claimsPerThousandByMonth, kaplanMeier, probabilityPlotPoints } from './domain/survival-tables.ts'
import {
  type FirstFailure,
  failureCounts,
  lifeObservations,
  lifeObservationsByBatch,
  mergeObservations,
  monthsUpTo,
  nevadaTable,
  type UnitCohort,
} from './domain/warranty-data.ts'
import type { ReliabilityQuery, ReliabilityReport, ReliabilityWarning } from './reliability.schemas.ts'
import {
  type ClaimFactRow,
  countUnitsByStart,
  findModel,
  listModelFacts,
  listUnitPolicies,
  type ModelFacts,
  readClaimFacts,
  type StartColumn,
  sumCostsOfClaims,
  type UnitScope,
  type UnitSelection,
} from './reliability.store.ts'
import { type CoverageClause, coverageOfUnit, type UnitFacts } from './unit-coverage.ts'

const COLUMN_OF_EVENT: Record<StartEvent, StartColumn> = {
  purchase: 'purchased_on',
  shipment: 'shipped_on',
  delivery: 'delivered_on',
  'day-after-delivery': 'delivered_on',
  activation: 'activated_on',
}

/** Days of an ISO duration: years of 365.25 days and months of a twelfth of that. */
export function termDaysOf(term: string): number {
  const d = parseDuration(term)
  if (!d)
    throw new AppError(
      'validation',
      { key: 'reliability.term-not-duration', params: { field: 'term', raw: term, example: 'P2Y' } },
      {
        field: 'term',
      },
    )
  return Math.round(d.years * 365.25 + d.months * (365.25 / 12) + d.days)
}

interface PolicyWarranty {
  /**
   * The unit columns the start event and its fallbacks read, in order, each with whether the
   * warranty starts the day after its date (`day-after-delivery`, as a start or a fallback).
   */
  starts: Array<{ column: StartColumn; dayAfter: boolean }>
  term: string
  productTermOverrides: boolean
}

/**
 * The columns the engine reads a warranty start from, in its order (`startReadings`): a
 * column the list already reads is not read again.
 */
function startsOf(first: StartEvent, fallback: readonly StartEvent[]): PolicyWarranty['starts'] {
  const starts: PolicyWarranty['starts'] = []
  for (const { event, dayAfter } of startReadings(first, fallback)) {
    const column = COLUMN_OF_EVENT[event]
    if (!starts.some((s) => s.column === column)) starts.push({ column, dayAfter })
  }
  return starts
}

/**
 * The warranty start a unit's date gives, by the column it came from: units counted by the
 * database and the units of failure claims go through this one rule, so a failure always
 * finds its unit's cohort.
 */
function startFrom(w: PolicyWarranty, column: StartColumn, date: string): string {
  return w.starts.find((s) => s.column === column)?.dayAfter ? addDays(date, 1) : date
}

function warrantyOfClause(clause: CoverageClause): PolicyWarranty {
  return {
    starts: startsOf(clause.start, clause.fallback),
    term: clause.term,
    productTermOverrides: clause.productTermOverrides || clause.productTermIsExtension,
  }
}

// A policy the library does not know, or one with no warranty against malfunctions at all
// (a retailer's returns policy): measure from delivery, as the kindest reading, over a year.
const DEFAULT_WARRANTY: PolicyWarranty = {
  starts: startsOf('delivery', ['shipment', 'purchase']),
  term: 'P1Y',
  productTermOverrides: false,
}

/**
 * The warranty a policy gives each unit, read from the version in force now: the start and
 * term of the coverage clause that would serve a malfunction claim on it (unit-coverage.ts),
 * or null when none would though the policy has such a clause. Each clause answers one object, so units can be grouped by it.
 */
type WarrantyOfUnit = (unit: UnitFacts) => PolicyWarranty | null

function policyWarranties(ctx: AppContext, policyId: string): WarrantyOfUnit {
  const summary = ctx.policies.summary(policyId)
  const source = summary ? ctx.policies.source(policyId, summary.version) : undefined
  const parsed = source ? parsePolicyFile(source, `${policyId}.yaml`) : undefined
  if (!parsed?.ok) return () => DEFAULT_WARRANTY
  const clauses = parsed.document.clauses.filter((c): c is CoverageClause => c.kind === 'coverage')
  if (!clauses.some((c) => c.problems.includes('malfunction'))) return () => DEFAULT_WARRANTY
  const warranties = new Map(clauses.map((c) => [c, warrantyOfClause(c)]))
  return (unit) => {
    const clause = coverageOfUnit(clauses, unit)
    return clause ? (warranties.get(clause) ?? null) : null
  }
}

function startDateOf(
  row: Pick<ClaimFactRow, 'purchasedOn' | 'shippedOn' | 'deliveredOn' | 'activatedOn'>,
  w: PolicyWarranty,
): string | null {
  const values: Record<StartColumn, string | null> = {
    purchased_on: row.purchasedOn,
    shipped_on: row.shippedOn,
    delivered_on: row.deliveredOn,
    activated_on: row.activatedOn,
  }
  for (const { column } of w.starts) {
    const v = values[column]
    if (v) return startFrom(w, column, v)
  }
  return null
}

type Channel = (typeof CHANNELS)[number]

interface UnitGroup {
  warranty: PolicyWarranty | null
  /** Absent when the group holds every unit of the policy in scope. */
  only: UnitSelection | undefined
}

/**
 * A policy's units split by the warranty that serves them: by model (the models table is
 * small, and the model id leads the covering index), and by channel only for a model whose
 * clause the channel decides, since the channel is not in that index.
 */
function unitGroups(
  models: readonly ModelFacts[],
  warrantyOf: (modelId: string, channel: Channel) => PolicyWarranty | null,
): UnitGroup[] {
  const selections = new Map<PolicyWarranty | null, Map<Channel | 'any', string[]>>()
  const add = (w: PolicyWarranty | null, channel: Channel | 'any', modelId: string) => {
    const byChannel = selections.get(w) ?? new Map<Channel | 'any', string[]>()
    byChannel.set(channel, [...(byChannel.get(channel) ?? []), modelId])
    selections.set(w, byChannel)
  }
  for (const m of models) {
    const byChannel = CHANNELS.map((channel) => warrantyOf(m.id, channel))
    if (byChannel.every((w) => w === byChannel[0])) add(byChannel[0] ?? null, 'any', m.id)
    else for (const [i, channel] of CHANNELS.entries()) add(byChannel[i] ?? null, channel, m.id)
  }
  const [only] = selections
  // One warranty for every unit, as most policies give: the query needs no list of models.
  if (selections.size === 1 && only && only[1].size === 1 && only[1].has('any'))
    return [{ warranty: only[0], only: undefined }]
  const groups: UnitGroup[] = []
  for (const [warranty, byChannel] of selections)
    for (const [channel, modelIds] of byChannel)
      groups.push({ warranty, only: { modelIds, ...(channel === 'any' ? {} : { channel }) } })
  return groups
}

interface WarrantyData {
  cohorts: UnitCohort[]
  failures: FirstFailure[]
  failureClaimIds: string[]
  unitsWithoutStart: number
  claimsExcluded: number
}

/**
 * The units in scope by cohort and the first confirmed failure of each unit, as of a day.
 * Every claim opened by that day is either a first failure inside its unit's window or
 * counted in `claimsExcluded` (no failure, a repeat, or a failure before the warranty start,
 * past the term, or on a unit without a start date); claims opened later are not there yet.
 */
async function readWarrantyData(
  ctx: AppContext,
  scope: UnitScope,
  models: readonly ModelFacts[],
  asOf: string,
): Promise<WarrantyData> {
  const policies = await listUnitPolicies(ctx.db, scope)
  const modelById = new Map(models.map((m) => [m.id, m]))
  const byPolicy = new Map<string, WarrantyOfUnit>()
  const warrantyOf = (policyId: string, modelId: string, channel: Channel): PolicyWarranty | null => {
    let of = byPolicy.get(policyId)
    if (!of) {
      of = policyWarranties(ctx, policyId)
      byPolicy.set(policyId, of)
    }
    const m = modelById.get(modelId)
    return of({ category: m?.category ?? '', part: m?.part ?? '', brand: m?.brand ?? '', channel })
  }
  const termOf = (w: PolicyWarranty, modelId: string) => {
    const own = modelById.get(modelId)?.warrantyTerm
    return termDaysOf(w.productTermOverrides && own ? own : w.term)
  }
  const inScope = scope.modelId ? models.filter((m) => m.id === scope.modelId) : models
  const cohortMap = new Map<string, UnitCohort>()
  let unitsWithoutStart = 0
  for (const policyId of policies) {
    const groups = unitGroups(inScope, (modelId, channel) => warrantyOf(policyId, modelId, channel))
    for (const { warranty, only } of groups) {
      const columns = warranty?.starts.map((s) => s.column) ?? []
      for (const row of await countUnitsByStart(ctx.db, scope, policyId, columns, only)) {
        if (warranty === null || row.startDate === null || row.startColumn === null) {
          unitsWithoutStart += row.units
          continue
        }
        const startDate = startFrom(warranty, row.startColumn, row.startDate)
        const termDays = termOf(warranty, row.modelId)
        const key = `${startDate}|${row.batch ?? ''}|${termDays}`
        const cohort = cohortMap.get(key) ?? { startDate, batch: row.batch, units: 0, termDays }
        cohort.units += row.units
        cohortMap.set(key, cohort)
      }
    }
  }
  const asOfDay = parseDay(asOf)
  const claims = await readClaimFacts(ctx.db, ctx.engine, scope)
  // A claim is of the day it was opened on where its policy counts its days, as its decision was.
  const claimedOnOf = (claim: ClaimFactRow) =>
    localDate(
      new Date(claim.openedAt),
      claimTimeZone(ctx.policies, {
        policy_id: claim.claimPolicyId,
        policy_version: claim.claimPolicyVersion,
      }),
    )
  // The first confirmed failure of each unit inside its warranty; later ones are repeat
  // repairs, not first lives. A fault claimed before the warranty starts (on the delivery day
  // of a warranty from the day after) is outside the curve, and no stand-in for the first
  // failure inside it, or the unit would count as never failing.
  const first = new Map<
    string,
    { claim: ClaimFactRow; claimedOn: string; startDate: string; w: PolicyWarranty }
  >()
  let claimsExcluded = 0
  for (const claim of claims) {
    const claimedOn = claimedOnOf(claim)
    if (claimedOn > asOf) continue
    if (!isConfirmedFailure(claim)) {
      claimsExcluded += 1
      continue
    }
    const w = warrantyOf(claim.policyId, claim.modelId, claim.channel)
    const startDate = w === null ? null : startDateOf(claim, w)
    if (w === null || startDate === null || claimedOn < startDate) {
      claimsExcluded += 1
      continue
    }
    const seen = first.get(claim.serial)?.claim
    // The earlier claim, and of two opened at the same instant the one with the smaller id:
    // the same one whatever order the database returns them in.
    if (!seen || claim.openedAt < seen.openedAt || (claim.openedAt === seen.openedAt && claim.id < seen.id)) {
      if (seen) claimsExcluded += 1
      first.set(claim.serial, { claim, claimedOn, startDate, w })
    } else claimsExcluded += 1
  }
  const failures: FirstFailure[] = []
  const failureClaimIds: string[] = []
  for (const { claim, claimedOn, startDate, w } of first.values()) {
    const failure = { startDate, batch: claim.batch, termDays: termOf(w, claim.modelId), claimedOn }
    failures.push(failure)
    // Past the term: no first failure of the curve, but said. Its cost, out of warranty, is
    // no guide to what a warranty claim to come will cost.
    if (failureCounts(failure, asOfDay)) failureClaimIds.push(claim.id)
    else claimsExcluded += 1
  }
  return { cohorts: [...cohortMap.values()], failures, failureClaimIds, unitsWithoutStart, claimsExcluded }
}

function tryFit(observations: LifeObservation[], family: 'weibull' | 'lognormal') {
  try {
    return fitLife(observations, family)
  } catch (error) {
    if (error instanceof LifeFitError) return null
    throw error
  }
}

function toWarnings(
  list: EarlyWarning[],
  scope: 'model' | 'batch',
  key: string,
  reference: string,
): ReliabilityWarning[] {
  return list.map((w) => ({ scope, key, reference, ...w }))
}

/**
 * Failures a curve must rest on to set what is expected. A Weibull fitted on two or three
 * failures is barely determined (a shape of 2,000 came out of two), and its expectations are
 * then near nothing for young units, so one failure raises a critical warning, or enormous for
 * old ones, so none ever can. Below this the next reference is taken, or none.
 */
export const MIN_REFERENCE_FAILURES = 10

/** The fitted curve of `observations` when enough failures stand behind it to judge others by. */
function referenceFit(observations: LifeObservation[]) {
  let failures = 0
  for (const o of observations) if (o.failed) failures += o.count
  return failures >= MIN_REFERENCE_FAILURES ? tryFit(observations, 'weibull') : null
}

interface Reference {
  curve: LocationScaleFit
  /** What the expected counts come from, as the warning says it. */
  text: string
}

/**
 * The monthly series against the first reference that gives every month a finite
 * expectation. A curve fitted on a few failures can be so steep that its cumulative hazard
 * overflows at ages the units reach only in the watched year: it says every such unit has
 * failed, cannot judge them, and an infinite expectation is no figure a report can show.
 */
function againstFirstUsable(
  references: readonly Reference[],
  cohorts: readonly UnitCohort[],
  failures: readonly FirstFailure[],
  months: readonly string[],
  asOfDay: number,
): { series: MonthlyCount[]; reference: Reference } | null {
  for (const reference of references) {
    const series = monthlyObservedExpected(
      cohorts,
      failures,
      (a) => fittedCumulativeHazard(reference.curve, a),
      months,
      asOfDay,
    )
    if (series.every((m) => Number.isFinite(m.expected))) return { series, reference }
  }
  return null
}

/**
 * Warnings for the scope as a whole (against its own history before the watched year) and
 * for each batch (against the other batches, when they tell enough).
 */
function computeWarnings(
  data: WarrantyData,
  asOfDay: number,
  /** What the data is of as a whole: a model, or one batch when only its units were read. */
  whole: { scope: 'model' | 'batch'; key: string },
): { monthly: MonthlyCount[]; warnings: ReliabilityWarning[]; batchSeries: Map<string, MonthlyCount[]> } {
  const batchSeries = new Map<string, MonthlyCount[]>()
  const months = monthsUpTo(asOfDay, 12)
  const historyDay = parseDay(`${months[0]}-01`) - 1
  const history = referenceFit(lifeObservations(data.cohorts, data.failures, historyDay))
  const byBatch = lifeObservationsByBatch(data.cohorts, data.failures, asOfDay)
  const full = referenceFit(mergeObservations([...byBatch.values()]))
  const candidates: Reference[] = []
  if (history)
    candidates.push({
      curve: history,
      text: nameWarningReference({ kind: 'history', before: months[0] ?? '' }),
    })
  if (full) candidates.push({ curve: full, text: nameWarningReference({ kind: 'all-data' }) })
  const model = againstFirstUsable(candidates, data.cohorts, data.failures, months, asOfDay)
  if (!model) return { monthly: [], warnings: [], batchSeries }
  const { series: monthly, reference } = model
  const warnings = toWarnings(earlyWarnings(monthly), whole.scope, whole.key, reference.text)
  const batches = [...byBatch.keys()].filter((b) => b !== '').sort()
  if (batches.length > 1) {
    const cohortsOf = new Map<string, UnitCohort[]>()
    for (const c of data.cohorts) {
      if (!c.batch) continue
      const list = cohortsOf.get(c.batch) ?? []
      list.push(c)
      cohortsOf.set(c.batch, list)
    }
    const failuresOf = new Map<string, FirstFailure[]>()
    for (const f of data.failures) {
      if (!f.batch) continue
      const list = failuresOf.get(f.batch) ?? []
      list.push(f)
      failuresOf.set(f.batch, list)
    }
    for (const batch of batches) {
      // The other batches are the reference: a bad batch must not set its own expectation.
      const others = referenceFit(
        mergeObservations([...byBatch].filter(([b]) => b !== batch).map(([, o]) => o)),
      )
      const against = againstFirstUsable(
        others
          ? [{ curve: others, text: nameWarningReference({ kind: 'other-batches' }) }, reference]
          : [reference],
        cohortsOf.get(batch) ?? [],
        failuresOf.get(batch) ?? [],
        months,
        asOfDay,
      )
      if (!against) continue
      batchSeries.set(batch, against.series)
      warnings.push(...toWarnings(earlyWarnings(against.series), 'batch', batch, against.reference.text))
    }
  }
  return { monthly, warnings, batchSeries }
}

/**
 * The warnings of one batch of a model, judged as the monthly sweep judges it, and so as the
 * e-mail that links to the batch's page said: its months against the model's other batches
 * (the rest of the scope kept, a dealer's or a policy's units). On its own units alone the
 * batch would set its own expectation, and a batch that went bad would look less so. A
 * model with no other batch to judge by leaves the batch to its own history.
 */
async function batchWarnings(
  ctx: AppContext,
  scope: UnitScope,
  models: readonly ModelFacts[],
  asOf: string,
  of: { modelId: string; batch: string },
  ownData: WarrantyData,
): Promise<{ monthly: MonthlyCount[]; warnings: ReliabilityWarning[] }> {
  const { modelId, batch } = of
  const asOfDay = parseDay(asOf)
  const wider = computeWarnings(
    await readWarrantyData(ctx, { ...scope, batch: undefined }, models, asOf),
    asOfDay,
    { scope: 'model', key: modelId },
  )
  const series = wider.batchSeries.get(batch)
  if (!series) return computeWarnings(ownData, asOfDay, { scope: 'batch', key: batch })
  return {
    monthly: series,
    warnings: wider.warnings.filter((w) => w.scope === 'batch' && w.key === batch),
  }
}

function mostCommonTerm(cohorts: readonly UnitCohort[]): number | null {
  const counts = new Map<number, number>()
  for (const c of cohorts) counts.set(c.termDays, (counts.get(c.termDays) ?? 0) + c.units)
  let best: number | null = null
  for (const [term, units] of counts) if (best === null || units > (counts.get(best) ?? 0)) best = term
  return best
}

/** The reliability report of a model, batch, dealer or policy as of a date. */
export async function buildReliabilityReport(
  ctx: AppContext,
  query: ReliabilityQuery,
  clock: () => number = Date.now,
): Promise<ReliabilityReport> {
  const started = clock()
  let model: { id: string; name: string; warrantyTerm: string | null } | undefined
  if (query.model !== undefined) {
    model = await findModel(ctx.db, query.model)
    if (!model)
      throw new AppError(
        'not-found',
        { key: 'reliability.no-model', params: { model: query.model } },
        { field: 'model' },
      )
  }
  // A scope naming nothing would answer an empty report, as if that dealer or policy had sold
  // units that never failed.
  if (query.dealer !== undefined && !(await findOrganisation(ctx.db, query.dealer)))
    throw new AppError(
      'not-found',
      { key: 'reliability.no-dealer', params: { dealer: query.dealer } },
      { field: 'dealer' },
    )
  if (query.policy !== undefined && !ctx.policies.summary(query.policy))
    throw new AppError(
      'not-found',
      { key: 'reliability.no-policy', params: { policy: query.policy } },
      { field: 'policy' },
    )
  const scope: UnitScope = {
    modelId: model?.id,
    batch: query.batch,
    dealer: query.dealer,
    policy: query.policy,
  }
  // A day still to come would count every unit as surviving to ages it has not reached,
  // which flattens the curve and lowers every forecast.
  if (query.asOf !== undefined) refuseLaterThanToday('asOf', query.asOf, ctx.now())
  // Today in the seller's zone: the zone the scope's policies date their claims in.
  const asOf = query.asOf ?? sellerToday(ctx, await listUnitPolicies(ctx.db, scope))
  const asOfDay = parseDay(asOf)
  const models = await listModelFacts(ctx.db)
  const data = await readWarrantyData(ctx, scope, models, asOf)

  const observations = lifeObservations(data.cohorts, data.failures, asOfDay)
  const units = data.cohorts.filter((c) => c.startDate <= asOf).reduce((s, c) => s + c.units, 0)
  const failures = observations.filter((o) => o.failed).reduce((s, o) => s + o.count, 0)
  const termDays = mostCommonTerm(data.cohorts)
  const mixedTerms = new Set(data.cohorts.map((c) => c.termDays)).size > 1

  const weibull = tryFit(observations, 'weibull')
  const lognormal = tryFit(observations, 'lognormal')
  const better: LocationScaleFit | null =
    weibull && lognormal ? (weibull.aic <= lognormal.aic ? weibull : lognormal) : (weibull ?? lognormal)
  const survival = kaplanMeier(observations)

  const { monthly, warnings } =
    model && query.batch !== undefined
      ? await batchWarnings(ctx, scope, models, asOf, { modelId: model.id, batch: query.batch }, data)
      : computeWarnings(
          data,
          asOfDay,
          model ? { scope: 'model', key: model.id } : { scope: 'batch', key: query.batch ?? '' },
        )

  let forecast: ReliabilityReport['forecast'] = null
  let costs: NonNullable<ReliabilityReport['forecast']>['costs'] = []
  if (data.failureClaimIds.length > 0) {
    const { rows, claimsWithCost } = await sumCostsOfClaims(ctx.db, data.failureClaimIds)
    const byCurrency = new Map<string, { claims: number; byPayer: Record<string, number>; total: number }>()
    for (const r of rows) {
      const entry = byCurrency.get(r.currency) ?? { claims: r.claims, byPayer: {}, total: 0 }
      entry.byPayer[r.payer] = (entry.byPayer[r.payer] ?? 0) + r.amount
      entry.total += r.amount
      byCurrency.set(r.currency, entry)
    }
    // Averaged over every claim that cost anything, in whatever currency: a claim to come is
    // paid in a currency as often as past ones were, so the currencies' forecasts add up to
    // the claims forecast once, not once in each currency.
    costs = [...byCurrency]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, e]) => ({
        currency,
        claimsWithCost: e.claims,
        perClaimByPayer: Object.fromEntries(
          Object.entries(e.byPayer).map(([p, a]) => [p, Math.round(a / claimsWithCost)]),
        ),
        perClaim: Math.round(e.total / claimsWithCost),
        // A maker or seller reading failure cost means what it bore; what customers paid is beside it.
        perClaimBorne: Math.round((e.total - (e.byPayer.customer ?? 0)) / claimsWithCost),
        perClaimCustomerPaid: Math.round((e.byPayer.customer ?? 0) / claimsWithCost),
      }))
  }
  const times = (claims: { estimate: number; lower: number; upper: number }, perClaim: number) => ({
    estimate: Math.round(claims.estimate * perClaim),
    lower: Math.round(claims.lower * perClaim),
    upper: Math.round(claims.upper * perClaim),
  })
  const money = (claims: { estimate: number; lower: number; upper: number }) =>
    costs.map((c) => ({
      currency: c.currency,
      ...times(claims, c.perClaim),
      borne: times(claims, c.perClaimBorne),
      customerPaid: times(claims, c.perClaimCustomerPaid),
    }))
  if (better) {
    const next = forecastFailures(data.cohorts, data.failures, better, asOfDay, 365)
    const reserve = forecastFailures(data.cohorts, data.failures, better, asOfDay, null)
    forecast = {
      next12Months: { estimate: next.estimate, lower: next.lower, upper: next.upper },
      reserve: { estimate: reserve.estimate, lower: reserve.lower, upper: reserve.upper },
      unitsUnderWarranty: next.unitsUnderWarranty,
      costs,
      cost12Months: money(next),
      reserveCost: money(reserve),
    }
  }

  let whatIf: ReliabilityReport['whatIf'] = null
  if (query.term !== undefined && better) {
    const draftDays = termDaysOf(query.term)
    const draft = failuresWithinTerm(better, draftDays, units)
    const current = termDays !== null ? failuresWithinTerm(better, termDays, units) : null
    whatIf = {
      term: query.term,
      termDays: draftDays,
      units,
      fraction: draft.fraction,
      claims: draft.claims,
      current,
      cost: money(draft.claims),
      currentCost: current ? money(current.claims) : [],
    }
  }

  const withinDays = termDays ?? 365
  return {
    scope: {
      model: model ? { id: model.id, name: model.name } : null,
      batch: query.batch ?? null,
      dealer: query.dealer ?? null,
      policy: query.policy ?? null,
      asOf,
    },
    definition: {
      failure: FAILURE_DEFINITION,
      excluded: [...EXCLUDED_CLAIMS],
      censoring:
        'units without a failure are right-censored at their current age or at the end of their warranty, whichever is earlier; claims after the warranty ends are not counted',
      ageOrigin:
        'days since the warranty start of the coverage clause of the unit’s policy that serves its malfunctions (purchase, shipment, delivery, the day after delivery, or activation)',
    },
    counts: {
      units,
      unitsWithoutStart: data.unitsWithoutStart,
      failures,
      claimsExcluded: data.claimsExcluded,
      termDays: mixedTerms ? null : termDays,
    },
    weibull: weibull
      ? (() => {
          const p = weibullParameters(weibull)
          return {
            shape: p.shape.estimate,
            shapeInterval: { lower: p.shape.lower, upper: p.shape.upper },
            scale: p.scale.estimate,
            scaleInterval: { lower: p.scale.lower, upper: p.scale.upper },
            b10: fittedQuantile(weibull, 0.1),
            withinTerm: fittedFractionFailing(weibull, withinDays),
            logLikelihood: weibull.logLikelihood,
            aic: weibull.aic,
          }
        })()
      : null,
    lognormal: lognormal
      ? (() => {
          const p = lognormalParameters(lognormal)
          return {
            mu: p.mu,
            sigma: p.sigma,
            median: p.median,
            b10: fittedQuantile(lognormal, 0.1),
            withinTerm: fittedFractionFailing(lognormal, withinDays),
            logLikelihood: lognormal.logLikelihood,
            aic: lognormal.aic,
          }
        })()
      : null,
    betterFit: better ? better.family : null,
    // The catalogue's English, which the terminal's report words in the operator's language.
    fitNote: better
      ? translate('en', 'cli.reliability.lower-criterion', { family: better.family, criterion: 'AIC' })
      : translate('en', 'cli.reliability.no-fit'),
    survival,
    probabilityPlot: probabilityPlotPoints(survival),
    nevada: nevadaTable(data.cohorts, data.failures, asOfDay),
    perThousandByMonth: claimsPerThousandByMonth(observations),
    monthly,
    warnings,
    forecast,
    whatIf,
    elapsedMs: clock() - started,
  }
}
