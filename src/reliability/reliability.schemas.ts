import { z } from 'zod'
import { pageLimit, pageOf } from '../contracts/api/page.ts'
import { isoDate } from '../contracts/case.ts'
import { MAX_TERM_DAYS, termDays } from '../contracts/vocabulary.ts'

/**
 * Request and response shapes of the reliability report. The web page imports this file
 * (types by `z.infer`), so it stays free of server code.
 */

export const termText = z
  .string()
  .regex(/^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?$/, 'must be an ISO 8601 duration such as P2Y, P18M or P90D')
  .refine((t) => t !== 'P', 'must name at least one of years, months or days')
  // A term of centuries is a typing slip: the longest a policy's own terms may be.
  .refine((t) => termDays(t) <= MAX_TERM_DAYS, 'must be at most 99 years')

export const reliabilityQuerySchema = z
  .object({
    model: z.string().min(1).optional().describe('model id or catalogue name (matched as imports match it)'),
    batch: z.string().min(1).optional().describe('production batch code; alone, the batch of any model'),
    dealer: z.string().min(1).optional().describe('dealer organisation id'),
    policy: z.string().min(1).optional().describe('policy id'),
    asOf: isoDate
      .optional()
      .describe(
        "analysis date, YYYY-MM-DD, not later than today anywhere on Earth; default today in the seller's zone: the zone of the policies of the units in scope, the latest of their dates",
      ),
    term: termText.optional().describe('"what if the term were T": a draft warranty term, e.g. P3Y'),
  })
  .refine((q) => q.model !== undefined || q.batch !== undefined, {
    message: 'name a model or a batch',
    path: ['model'],
  })
export type ReliabilityQuery = z.output<typeof reliabilityQuerySchema>

const interval = z.object({ estimate: z.number(), lower: z.number(), upper: z.number() })

const weibullSchema = z.object({
  shape: z.number().describe('β'),
  shapeInterval: z.object({ lower: z.number(), upper: z.number() }),
  scale: z.number().describe('η, days since the warranty start event'),
  scaleInterval: z.object({ lower: z.number(), upper: z.number() }),
  b10: interval.describe('age in days by which 10 % have failed'),
  withinTerm: interval.describe('fraction failing within the warranty term'),
  logLikelihood: z.number(),
  aic: z.number(),
})

const lognormalSchema = z.object({
  mu: interval.describe('mean of ln(age in days)'),
  sigma: interval.describe('standard deviation of ln(age in days)'),
  median: interval.describe('median life, days'),
  b10: interval,
  withinTerm: interval,
  logLikelihood: z.number(),
  aic: z.number(),
})

const warningSchema = z.object({
  scope: z.enum(['model', 'batch']),
  /** The batch code for a batch warning, the model id for a model warning. */
  key: z.string(),
  month: z.string(),
  level: z.enum(['caution', 'critical']),
  window: z.array(z.string()),
  observed: z.number(),
  expected: z.number(),
  pValue: z.number(),
  threshold: z.number(),
  reference: z.string().describe('what the expected counts come from'),
})

const costSchema = z.object({
  currency: z.string(),
  claimsWithCost: z.number(),
  /** Average per failure claim with any cost (in any currency), minor units, by payer. */
  perClaimByPayer: z.record(z.string(), z.number()),
  /** Average per failure claim of everything it cost, whoever paid (the customer too). */
  perClaim: z.number(),
  /** The part of `perClaim` the maker, the seller and dealers bore: every payer but the customer. */
  perClaimBorne: z.number(),
  /** The part of `perClaim` customers paid (paid repairs, their own courier). */
  perClaimCustomerPaid: z.number(),
})

const moneyInterval = z.object({ estimate: z.number(), lower: z.number(), upper: z.number() })

const moneyForecast = z.object({
  currency: z.string(),
  /** Everything the claims would cost, whoever pays. */
  estimate: z.number(),
  lower: z.number(),
  upper: z.number(),
  /** What the maker, the seller and dealers would bear of it (`perClaimBorne`), each bound rounded on its own. */
  borne: moneyInterval,
  /** What customers would pay of it (`perClaimCustomerPaid`). */
  customerPaid: moneyInterval,
})

export const reliabilityReportSchema = z.object({
  scope: z.object({
    model: z.object({ id: z.string(), name: z.string() }).nullable(),
    batch: z.string().nullable(),
    dealer: z.string().nullable(),
    policy: z.string().nullable(),
    asOf: isoDate,
  }),
  definition: z.object({
    failure: z.string(),
    excluded: z.array(z.string()),
    censoring: z.string(),
    ageOrigin: z.string(),
  }),
  counts: z.object({
    units: z.number(),
    unitsWithoutStart: z.number(),
    failures: z.number(),
    claimsExcluded: z.number(),
    termDays: z.number().nullable(),
  }),
  weibull: weibullSchema.nullable(),
  lognormal: lognormalSchema.nullable(),
  betterFit: z.enum(['weibull', 'lognormal']).nullable(),
  fitNote: z.string().nullable(),
  survival: z.array(
    z.object({
      age: z.number(),
      atRisk: z.number(),
      failures: z.number(),
      survival: z.number(),
      lower: z.number(),
      upper: z.number(),
    }),
  ),
  probabilityPlot: z.array(z.object({ age: z.number(), fraction: z.number() })),
  nevada: z.object({
    periods: z.array(z.string()),
    returnPeriods: z.array(z.string()),
    rows: z.array(
      z.object({ period: z.string(), units: z.number(), failures: z.record(z.string(), z.number()) }),
    ),
  }),
  perThousandByMonth: z.array(
    z.object({ month: z.number(), atRisk: z.number(), failures: z.number(), perThousand: z.number() }),
  ),
  monthly: z.array(z.object({ month: z.string(), observed: z.number(), expected: z.number() })),
  warnings: z.array(warningSchema),
  forecast: z
    .object({
      next12Months: interval.describe('first failures expected in the next 12 months'),
      reserve: interval.describe('first failures still expected before the warranties in force end'),
      unitsUnderWarranty: z.number(),
      costs: z.array(costSchema),
      cost12Months: z.array(moneyForecast),
      reserveCost: z.array(moneyForecast),
    })
    .nullable(),
  whatIf: z
    .object({
      term: z.string(),
      termDays: z.number(),
      units: z.number(),
      fraction: interval,
      claims: interval,
      current: z.object({ termDays: z.number(), fraction: interval, claims: interval }).nullable(),
      cost: z.array(moneyForecast),
      /** The same cost under the current term, for comparison. */
      currentCost: z.array(moneyForecast),
    })
    .nullable(),
  elapsedMs: z.number(),
})
export type ReliabilityReport = z.output<typeof reliabilityReportSchema>
export type ReliabilityWarning = z.output<typeof warningSchema>

/** The early warnings raised in the last months, for the dashboard. */
export const reliabilityWarningsQuerySchema = z.object({
  /** How many months back, counting this one (default 6). */
  months: z.coerce.number().int().min(1).max(60).default(6),
  limit: pageLimit(50),
})
export const reliabilityFlagSchema = z.object({
  id: z.string(),
  model: z.object({ id: z.string(), name: z.string() }),
  /** A warning on a whole model, or on one batch of it. */
  scope: z.enum(['model', 'batch']),
  batch: z.string().nullable(),
  /** The month the claims ran above expectation, `YYYY-MM`. */
  month: z.string(),
  /** `caution` at 5 % a year, `critical` at 1 % a year (early-warning.ts: family-wise over 24 monthly tests). */
  level: z.enum(['caution', 'critical']),
  observed: z.number(),
  expected: z.number(),
  pValue: z.number(),
  raisedAt: z.string(),
})
export const reliabilityWarningsSchema = pageOf(reliabilityFlagSchema)
