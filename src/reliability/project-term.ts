import { parsePolicyFile } from '../policies/index.ts'
import type { TermProjection } from '../reports/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { buildReliabilityReport, termDaysOf } from './build-reliability-report.ts'

type Interval = { estimate: number; lower: number; upper: number }
type Money = Interval & { currency: string }

const METHOD =
  'Each model of the policy is fitted on its own (the better of Weibull and lognormal by AIC, right-censored at the current term); ' +
  'its units times the fitted fraction failing within the term give the first failures, with the 95 % interval of the fraction. ' +
  'Cost is those claims times the average cost per failure claim of the model that the seller, dealers and the maker bore: ' +
  'cost lines the customer paid (out-of-warranty repairs, their own freight) are left out and given apart as what customers would pay. ' +
  'Models are added up, intervals bound by bound ' +
  '(wider than the joint interval). Repeat claims of a unit and claims that are no failure (no fault found, transport damage) are not projected. ' +
  'A term longer than the observed ages extrapolates the curve.'

/**
 * The term of a policy document's standard coverage: the first clause serving malfunctions
 * with no condition, the one every unit falls back to; else the first with one. ToupTek's
 * first such clause is the AstroStation's, so a draft changing the cameras' term compared
 * the AstroStation's terms and was never projected.
 */
export function standardCoverageTerm(yaml: string): string | null {
  const parsed = parsePolicyFile(yaml, 'policy.yaml')
  if (!parsed.ok) return null
  let conditioned: string | null = null
  for (const clause of parsed.document.clauses) {
    if (clause.kind !== 'coverage' || !clause.problems.includes('malfunction')) continue
    if (clause.when === undefined) return clause.term
    conditioned ??= clause.term
  }
  return conditioned
}

/**
 * The term to project a draft at: the one asked for, or the draft's own coverage term when it
 * differs from the published version's; null when neither says anything new.
 */
export function termToProject(
  ctx: AppContext,
  policyId: string,
  draftYaml: string,
  asked?: string,
): string | null {
  if (asked) return asked
  const draft = standardCoverageTerm(draftYaml)
  const summary = ctx.policies.summary(policyId)
  const source = summary ? ctx.policies.source(policyId, summary.version) : undefined
  const published = source ? standardCoverageTerm(source) : null
  return draft !== null && draft !== published ? draft : null
}

const add = (a: Interval, b: Interval): Interval => ({
  estimate: a.estimate + b.estimate,
  lower: a.lower + b.lower,
  upper: a.upper + b.upper,
})

function addMoney(into: Map<string, Money>, list: readonly Money[]) {
  for (const m of list) {
    const seen = into.get(m.currency) ?? { currency: m.currency, estimate: 0, lower: 0, upper: 0 }
    into.set(m.currency, { currency: m.currency, ...add(seen, m) })
  }
}

type SplitMoney = Money & { borne: Interval; customerPaid: Interval }
const borneOf = (list: readonly SplitMoney[]): Money[] =>
  list.map((m) => ({ currency: m.currency, ...m.borne }))
const customerPaidOf = (list: readonly SplitMoney[]): Money[] =>
  list.map((m) => ({ currency: m.currency, ...m.customerPaid }))

/** "What if the term were T" for a policy: expected first failures and cost on its installed base. */
export async function projectTermForPolicy(
  ctx: AppContext,
  policyId: string,
  term: string,
  asOf?: string,
): Promise<TermProjection> {
  const termDays = termDaysOf(term)
  const models = await ctx.db
    .selectFrom('units')
    .innerJoin('product_models', 'product_models.id', 'units.model_id')
    .select(['product_models.id as id', 'product_models.name as name'])
    .where('units.policy_id', '=', policyId)
    .distinct()
    .orderBy('product_models.id')
    .execute()
  let claims: Interval = { estimate: 0, lower: 0, upper: 0 }
  let currentClaims: Interval | null = { estimate: 0, lower: 0, upper: 0 }
  const cost = new Map<string, Money>()
  const currentCost = new Map<string, Money>()
  const customerPaid = new Map<string, Money>()
  const currentCustomerPaid = new Map<string, Money>()
  const currentTerms = new Set<number>()
  let units = 0
  const byModel: TermProjection['byModel'] = []
  for (const model of models) {
    const report = await buildReliabilityReport(ctx, {
      model: model.id,
      policy: policyId,
      term,
      ...(asOf ? { asOf } : {}),
    })
    units += report.counts.units
    if (report.counts.termDays !== null) currentTerms.add(report.counts.termDays)
    const w = report.whatIf
    byModel.push({
      modelId: model.id,
      modelName: model.name,
      units: report.counts.units,
      fit: report.betterFit,
      claims: w?.claims ?? null,
      currentClaims: w?.current?.claims ?? null,
    })
    if (!w) continue
    claims = add(claims, w.claims)
    currentClaims = w.current && currentClaims ? add(currentClaims, w.current.claims) : null
    // The cost of a term is what the warranty costs those who give it; the customer's share
    // is no warranty cost, however much of it a longer term would bring.
    addMoney(cost, borneOf(w.cost))
    addMoney(currentCost, borneOf(w.currentCost))
    addMoney(customerPaid, customerPaidOf(w.cost))
    addMoney(currentCustomerPaid, customerPaidOf(w.currentCost))
  }
  const round = (m: Money): Money => ({
    currency: m.currency,
    estimate: Math.round(m.estimate),
    lower: Math.round(m.lower),
    upper: Math.round(m.upper),
  })
  return {
    term,
    termDays,
    currentTermDays: currentTerms.size === 1 ? ([...currentTerms][0] ?? null) : null,
    units,
    claims,
    currentClaims,
    cost: [...cost.values()].map(round),
    currentCost: [...currentCost.values()].map(round),
    customerPaid: [...customerPaid.values()].map(round),
    currentCustomerPaid: [...currentCustomerPaid.values()].map(round),
    byModel,
    method: METHOD,
  }
}
