import { z } from 'zod'
import { isoDate } from '../contracts/case.ts'

/**
 * Request and response shapes of the insight feature. The web dashboard imports this file,
 * so it stays free of server code. Every chart answer is `labels` (the x axis) plus
 * `series` (one array of numbers per line or stack, aligned with `labels`), which is what
 * chart libraries take as is.
 */

const notBeforeFrom = (range: { from?: string | undefined; to?: string | undefined }) =>
  range.from === undefined || range.to === undefined || range.from <= range.to
const notBeforeFromIssue = { message: 'must not be before from', path: ['to'] }

/** Filters every report accepts; dates bound the claim's creation day, both inclusive. */
export const reportFilterFields = z.object({
  from: isoDate.optional().describe('first day of claim creation to include, YYYY-MM-DD'),
  to: isoDate.optional().describe('last day of claim creation to include, YYYY-MM-DD'),
  policy: z.string().min(1).optional().describe('policy id, e.g. touptek'),
  model: z.string().min(1).optional().describe('model id'),
  dealer: z.string().min(1).optional().describe('dealer organisation id'),
})
export const reportFilterSchema = reportFilterFields.refine(notBeforeFrom, notBeforeFromIssue)
export type ReportFilter = z.output<typeof reportFilterFields>

export const GROUP_BYS = ['model', 'batch', 'dealer'] as const
export type GroupBy = (typeof GROUP_BYS)[number]

export const groupedReportQuerySchema = reportFilterFields
  .extend({ groupBy: z.enum(GROUP_BYS).default('model').describe('what to group claims by') })
  .refine(notBeforeFrom, notBeforeFromIssue)

export const seriesSchema = z.object({
  name: z.string(),
  /** One value per label; null where a value is undefined (a rate over zero units). */
  data: z.array(z.number().nullable()),
})
export type Series = z.output<typeof seriesSchema>

export const chartSchema = z.object({
  labels: z.array(z.string()),
  series: z.array(seriesSchema),
})
export type Chart = z.output<typeof chartSchema>

export const claimRatesReportSchema = chartSchema.extend({
  groupBy: z.enum(GROUP_BYS),
  /** The group ids behind `labels` (model id, batch code, dealer organisation id). */
  keys: z.array(z.string()),
  totals: z.object({ claims: z.number(), unitsSold: z.number(), ratePer100: z.number().nullable() }),
})
export type ClaimRatesReport = z.output<typeof claimRatesReportSchema>

export const failureModesReportSchema = chartSchema.extend({
  groupBy: z.enum(GROUP_BYS),
  keys: z.array(z.string()),
  /** Every mode with its total, largest first; `source` says where it comes from. */
  modes: z.array(z.object({ mode: z.string(), source: z.enum(['problem', 'finding']), total: z.number() })),
})
export type FailureModesReport = z.output<typeof failureModesReportSchema>

export const claimsPerMonthReportSchema = chartSchema.extend({ total: z.number() })
export type ClaimsPerMonthReport = z.output<typeof claimsPerMonthReportSchema>

export const openCasesReportSchema = chartSchema.extend({
  total: z.number(),
  /** The same open cases split by age band (`days-0-2`, `days-3-7`, `days-8-30`, `days-31-plus`), aligned with `labels`. */
  byAge: z.array(seriesSchema),
  /** The day ages are counted to: today in the seller's zone, the latest of the policies in scope. */
  asOf: z.string(),
})
export type OpenCasesReport = z.output<typeof openCasesReportSchema>

export const costByCurrencySchema = chartSchema.extend({
  currency: z.string(),
  total: z
    .number()
    .describe(
      'Sum of every line of the chart, whoever paid it (the customer too), in minor units (cents, fen): the chart answers who paid for each cost. The cost of warranty is `borneMinor`.',
    ),
  /** Who absorbed how much, in minor units, largest first. */
  byPayer: z.array(z.object({ payer: z.string(), amount: z.number() })),
  borneMinor: z
    .number()
    .describe(
      "Cost of warranty: the lines whose payer is the seller, a dealer or the maker (each line's payer as the decision gave it or staff booked it), in minor units. Lines the customer paid (an accepted out-of-warranty quote, their own freight leg) are not counted.",
    ),
  customerPaidMinor: z
    .number()
    .describe(
      'The lines whose payer is the customer, in minor units; part of `total`, never of `borneMinor`.',
    ),
})
export const warrantyCostReportSchema = z.object({
  /** One chart per currency (amounts are never added across currencies): labels are cost kinds, one series per payer. */
  currencies: z.array(costByCurrencySchema),
  /** Per currency: cost borne by a party other than the customer, what recovery claims ask of makers and suppliers, and what they paid. */
  recovery: z
    .array(
      z.object({
        currency: z.string(),
        borneMinor: z.number(),
        claimedMinor: z.number(),
        recoveredMinor: z.number(),
      }),
    )
    .optional(),
})
export type WarrantyCostReport = z.output<typeof warrantyCostReportSchema>

export const decisionMixReportSchema = z.object({
  decisions: z.number(),
  coverage: chartSchema,
  basis: chartSchema,
  exclusions: chartSchema,
})
export type DecisionMixReport = z.output<typeof decisionMixReportSchema>

/** Policy simulation: a draft version of a policy, decided against that policy's past claims. */
export const simulationRequestSchema = z
  .object({
    policyId: z.string().min(1).describe('the policy the draft is a new version of'),
    yaml: z
      .string()
      .min(1)
      .max(512 * 1024)
      .describe('the draft policy document, YAML'),
    from: isoDate.optional().describe('first day of claim creation to include'),
    to: isoDate.optional().describe('last day of claim creation to include'),
    limit: z
      .number()
      .int()
      .min(0)
      .max(5000)
      .default(200)
      .describe('how many changed claims to list; the summary always counts them all'),
    term: z
      .string()
      .regex(/^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?$/, 'must be an ISO 8601 duration such as P3Y')
      .refine((t) => t !== 'P', 'must name at least one of years, months or days')
      .optional()
      .describe(
        '"what if the term were T": project claims and cost under this warranty term from the fitted failure curves; default: the draft\'s own coverage term when it differs from the published one',
      ),
  })
  .refine(notBeforeFrom, notBeforeFromIssue)
export type SimulationRequest = z.output<typeof simulationRequestSchema>

const countsSchema = z.record(z.string(), z.number())

export const claimDiffSchema = z.object({
  claimId: z.string(),
  /** `id@version` the claim is judged by today, and the draft. */
  before: z.string(),
  after: z.string(),
  covered: z.object({ before: z.boolean(), after: z.boolean() }).optional(),
  basis: z.object({ before: z.string(), after: z.string() }).optional(),
  remedy: z.object({ before: z.string().nullable(), after: z.string().nullable() }).optional(),
  handler: z.object({ before: z.string(), after: z.string() }).optional(),
  payers: z.array(
    z.object({ cost: z.string(), before: z.string().nullable(), after: z.string().nullable() }),
  ),
  exclusionsGained: z.array(z.string()),
  exclusionsLost: z.array(z.string()),
  /** Clause ids whose weight changed: added, removed, or `applies` flipped. */
  clauses: z.array(
    z.object({
      clause: z.string(),
      before: z.boolean().nullable().describe('applies under the current version; null when absent'),
      after: z.boolean().nullable().describe('applies under the draft; null when absent'),
    }),
  ),
})
export type ClaimDiff = z.output<typeof claimDiffSchema>

export const costShiftSchema = z.object({
  currency: z.string(),
  /** Per party, minor units: positive when the draft makes them pay more. */
  byPayer: z.array(z.object({ payer: z.string(), delta: z.number() })),
  /** Minor units of cost lines whose payer would change. */
  moved: z.number(),
})
export type CostShift = z.output<typeof costShiftSchema>

export const simulationSummarySchema = z.object({
  compared: z.number(),
  changed: z.number(),
  /** Claims the draft would newly cover, and newly refuse. */
  coverageGained: z.number(),
  coverageLost: z.number(),
  basisChanges: z.array(z.object({ before: z.string(), after: z.string(), count: z.number() })),
  remedyChanges: z.array(
    z.object({ before: z.string().nullable(), after: z.string().nullable(), count: z.number() }),
  ),
  /** Per cost kind, how many claims would see that cost move from one payer to another. */
  payerChanges: z.array(
    z.object({
      cost: z.string(),
      before: z.string().nullable(),
      after: z.string().nullable(),
      count: z.number(),
    }),
  ),
  exclusionsGained: countsSchema,
  exclusionsLost: countsSchema,
  /** Clause ids and how many claims saw each change weight. */
  clauseChanges: countsSchema,
  costShift: z.array(costShiftSchema),
})
export type SimulationSummary = z.output<typeof simulationSummarySchema>

const intervalSchema = z.object({ estimate: z.number(), lower: z.number(), upper: z.number() })
const moneyIntervalSchema = intervalSchema.extend({
  currency: z.string(),
})

/** "What if the term were T": first failures and their cost on the installed base, from each model's fitted curve. */
export const termProjectionSchema = z.object({
  term: z.string(),
  termDays: z.number(),
  /** The published version's standard coverage term, in days (null when models differ). */
  currentTermDays: z.number().nullable(),
  units: z.number(),
  /** First failures per unit life within the draft term, summed over the units of the policy, 95 % interval. */
  claims: intervalSchema,
  currentClaims: intervalSchema.nullable(),
  cost: z
    .array(moneyIntervalSchema)
    .describe(
      "Warranty cost of the draft term: claims times the average, per failure claim, of the cost lines whose payer is the seller, a dealer or the maker (each line's payer as the decision gave it or staff booked it), per currency, minor units. Lines the customer paid (an out-of-warranty quote, their own freight) are not counted: see `customerPaid`.",
    ),
  currentCost: z
    .array(moneyIntervalSchema)
    .describe('The same warranty cost (seller, dealers and maker only) at the published term.'),
  customerPaid: z
    .array(moneyIntervalSchema)
    .describe(
      'What customers would pay themselves under the draft term: claims times the average, per failure claim, of the lines whose payer is the customer; not part of `cost`.',
    ),
  currentCustomerPaid: z
    .array(moneyIntervalSchema)
    .describe('What customers would pay themselves at the published term.'),
  byModel: z.array(
    z.object({
      modelId: z.string(),
      modelName: z.string(),
      units: z.number(),
      /** The fit used, or null when the model has too few failures to fit (then it adds nothing). */
      fit: z.enum(['weibull', 'lognormal']).nullable(),
      claims: intervalSchema.nullable(),
      currentClaims: intervalSchema.nullable(),
    }),
  ),
  /** How the figure is made and what it leaves out, in plain words. */
  method: z.string(),
})
export type TermProjection = z.output<typeof termProjectionSchema>

export const simulationResultSchema = z.object({
  policy: z.object({ id: z.string(), draftVersion: z.string() }),
  range: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  summary: simulationSummarySchema,
  /** The first `limit` changed claims, in claim id order. */
  changes: z.array(claimDiffSchema),
  truncated: z.boolean(),
  /** Claims whose stored facts could not be decided (kept out of the counts), with why. */
  skipped: z.array(z.object({ claimId: z.string(), reason: z.string() })),
  /** How many claims were skipped in all; `skipped` lists the first hundred. */
  skippedCount: z.number(),
  /** With a term (asked, or the draft's own when it changes it): what claims and cost would be under it. */
  termProjection: termProjectionSchema.nullable().optional(),
  elapsedMs: z.number(),
})
export type SimulationResult = z.output<typeof simulationResultSchema>
