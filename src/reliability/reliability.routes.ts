import { requireStaff } from '../auth/index.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { addMonths, civilFromDay, formatDay, parseDay } from '../shared/day-numbers.ts'
import { sellerToday } from '../shared/seller-today.ts'
import { buildReliabilityReport } from './build-reliability-report.ts'
import { listReliabilityFlags } from './list-flags.ts'
import {
  reliabilityQuerySchema,
  reliabilityReportSchema,
  reliabilityWarningsQuerySchema,
  reliabilityWarningsSchema,
} from './reliability.schemas.ts'

const SECURITY: Record<string, string[]>[] = [{ session: [] }, { apiKey: [] }]

/** HTTP route of the reliability report, for service staff. */
export async function reliabilityRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/reports/reliability',
    {
      schema: {
        tags: ['reports'],
        security: SECURITY,
        summary:
          'Field reliability of a model or batch: failure curves, early warnings and warranty forecasts',
        description:
          'Reads the units in service by age since their warranty start event and their first claims with a confirmed fault ' +
          '(no fault found, not as described, transport damage and software upgrades are left out), each unit without a failure ' +
          'right-censored at its current age or the end of its warranty. Answers the Nevada table, Kaplan–Meier survival with 95 % ' +
          'bands, a Weibull and a lognormal maximum likelihood fit with intervals (the better by AIC named), claims per 1,000 units ' +
          'by month in service, monthly early warnings with their evidence, forecasts of claims and cost for the next 12 months and ' +
          'the reserve still owed, and, with `term`, what the claims would be under that warranty term.',
        querystring: reliabilityQuerySchema,
        response: { 200: reliabilityReportSchema },
      },
    },
    async (request) => {
      requireStaff(request)
      return buildReliabilityReport(ctx, request.query)
    },
  )

  app.get(
    '/api/v1/reports/reliability/warnings',
    {
      schema: {
        tags: ['reports'],
        security: SECURITY,
        summary: 'Early warnings raised in the last months, across models and batches (staff)',
        description:
          'Every caution (5 % a year) and critical (1 % a year) flag the early-warning check raised for a month within the ' +
          'last `months`, newest first, with the claims observed against those expected and the p-value. The reliability ' +
          'report of the model shows the full evidence.',
        querystring: reliabilityWarningsQuerySchema,
        response: { 200: reliabilityWarningsSchema },
      },
    },
    async (request) => {
      requireStaff(request)
      // The sweep raises a model's flags as of today in its seller's zone, so the months count
      // from the latest of the sellers' todays.
      const { year, month } = civilFromDay(parseDay(sellerToday(ctx, [])))
      const since = formatDay(addMonths(year, month, 1, -(request.query.months - 1)))
      const items = await listReliabilityFlags(ctx.db, {
        sinceMonth: since.slice(0, 7),
        limit: request.query.limit,
      })
      return { items, next: null }
    },
  )
}
