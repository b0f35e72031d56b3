import { requireRole, requireStaff } from '../auth/index.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import {
  buildClaimRatesReport,
  buildClaimsPerMonthReport,
  buildDecisionMixReport,
  buildFailureModesReport,
  buildOpenCasesReport,
  buildWarrantyCostReport,
  inPolicyZones,
} from './build-reports.ts'
import {
  claimRatesReportSchema,
  claimsPerMonthReportSchema,
  decisionMixReportSchema,
  failureModesReportSchema,
  groupedReportQuerySchema,
  openCasesReportSchema,
  reportFilterSchema,
  simulationRequestSchema,
  simulationResultSchema,
  warrantyCostReportSchema,
} from './report.schemas.ts'
import { simulateDraftPolicy } from './simulate-with-term.ts'

const TAGS = ['reports']
const SECURITY: Record<string, string[]>[] = [{ session: [] }, { apiKey: [] }]

/** Roles that may try a draft policy against past claims: those who publish policies. */
export const SIMULATION_ROLES = ['manager', 'admin'] as const

/** HTTP routes of the insight feature: reports for service staff, policy simulation for managers. */
export async function reportRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/reports/claim-rates',
    {
      schema: {
        tags: TAGS,
        security: SECURITY,
        summary: 'Claims per 100 units sold, by model, batch or dealer',
        querystring: groupedReportQuerySchema,
        response: { 200: claimRatesReportSchema },
      },
    },
    async (request) => {
      requireStaff(request)
      const { groupBy, ...filter } = request.query
      return buildClaimRatesReport(ctx.db, groupBy, inPolicyZones(ctx.policies, filter))
    },
  )

  app.get(
    '/api/v1/reports/failure-modes',
    {
      schema: {
        tags: TAGS,
        security: SECURITY,
        summary: 'Problem kinds reported and inspection findings, by model, batch or dealer',
        querystring: groupedReportQuerySchema,
        response: { 200: failureModesReportSchema },
      },
    },
    async (request) => {
      requireStaff(request)
      const { groupBy, ...filter } = request.query
      return buildFailureModesReport(ctx.db, groupBy, inPolicyZones(ctx.policies, filter))
    },
  )

  app.get(
    '/api/v1/reports/claims-per-month',
    {
      schema: {
        tags: TAGS,
        security: SECURITY,
        summary: "Claims opened per month, each in its own policy's zone, empty months included",
        querystring: reportFilterSchema,
        response: { 200: claimsPerMonthReportSchema },
      },
    },
    async (request) => {
      requireStaff(request)
      return buildClaimsPerMonthReport(ctx.db, inPolicyZones(ctx.policies, request.query))
    },
  )

  app.get(
    '/api/v1/reports/open-cases',
    {
      schema: {
        tags: TAGS,
        security: SECURITY,
        summary: 'Open claims by state, in lifecycle order',
        querystring: reportFilterSchema,
        response: { 200: openCasesReportSchema },
      },
    },
    async (request) => {
      requireStaff(request)
      return buildOpenCasesReport(ctx, inPolicyZones(ctx.policies, request.query))
    },
  )

  app.get(
    '/api/v1/reports/warranty-cost',
    {
      schema: {
        tags: TAGS,
        security: SECURITY,
        summary: 'Cost of warranty per currency: who absorbed which kind of cost, in minor units',
        querystring: reportFilterSchema,
        response: { 200: warrantyCostReportSchema },
      },
    },
    async (request) => {
      requireStaff(request)
      return buildWarrantyCostReport(ctx.db, inPolicyZones(ctx.policies, request.query))
    },
  )

  app.get(
    '/api/v1/reports/decision-mix',
    {
      schema: {
        tags: TAGS,
        security: SECURITY,
        summary: 'Covered against not, bases and top exclusion codes of the latest decision of each claim',
        querystring: reportFilterSchema,
        response: { 200: decisionMixReportSchema },
      },
    },
    async (request) => {
      requireStaff(request)
      return buildDecisionMixReport(ctx.db, inPolicyZones(ctx.policies, request.query))
    },
  )

  app.post(
    '/api/v1/policies/simulate',
    {
      schema: {
        tags: ['policies', ...TAGS],
        security: SECURITY,
        summary: 'Decide past claims of a policy with a draft version and report what would change',
        description:
          'Decides every past claim of the policy (imported history included) with the version it was decided under and with the draft, ' +
          'and tallies what changed. With `term`, or when the draft changes its standard coverage term, `termProjection` adds ' +
          '"what if the term were T": the first failures and cost expected on the installed base within that term, from each ' +
          "model's fitted failure curve, with 95 % intervals, beside the same figures for the current term. The cost is what the " +
          'seller, dealers and the maker would bear; what customers would pay themselves is given apart (`customerPaid`).',
        body: simulationRequestSchema,
        response: { 200: simulationResultSchema },
      },
    },
    async (request) => {
      requireRole(request, SIMULATION_ROLES)
      return simulateDraftPolicy(ctx, request.body)
    },
  )
}
