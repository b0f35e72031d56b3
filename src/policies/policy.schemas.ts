import { z } from 'zod'
import { pageOf } from '../contracts/api/page.ts'
import { keepsUnknownFields } from '../contracts/api/unknown-fields.ts'
import { caseSchema } from '../contracts/case.ts'
import { decisionSchema, LANGUAGES, translationsSchema } from '../contracts/decision.ts'

/** HTTP request and response shapes of the policies feature, shared with the web app. */

/**
 * The adjudication contract's case allows fields it does not name (its schema sets no
 * `additionalProperties`), so decide drops them as `decide` on the command line does.
 */
export const decideBodySchema = keepsUnknownFields(caseSchema)
export const decideQuerySchema = z.object({ version: z.string().min(1).optional() })
export const decisionResponseSchema = decisionSchema

export const policySummarySchema = z.object({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  timeZone: z.string(),
  currency: z.string(),
  /** The language of `title` and of the clauses' `text`. */
  language: z.enum(LANGUAGES),
  /** The title in the other language, where the policy gives it. */
  translations: z.object({
    en: z.object({ title: z.string().optional() }).optional(),
    zh: z.object({ title: z.string().optional() }).optional(),
  }),
})

export const policyListResponseSchema = pageOf(policySummarySchema.extend({ versions: z.array(z.string()) }))

export const policyParamsSchema = z.object({ id: z.string().regex(/^[a-z0-9-]+$/, 'must be a policy id') })
export const policyQuerySchema = z.object({ version: z.string().min(1).optional() })

export const slaTargetSchema = z.object({
  clock: z.string(),
  clause: z.string(),
  text: z.string(),
  startOn: z.string(),
  stopOn: z.array(z.string()),
  amount: z.number(),
  unit: z.enum(['hours', 'days', 'working-hours', 'working-days']),
  brand: z.enum(['own', 'agent']).optional(),
})

export const serviceLevelsSchema = z.object({
  calendar: z.string(),
  timeZone: z.string(),
  supportHours: z.object({ from: z.string(), to: z.string(), everyDay: z.boolean() }).optional(),
  targets: z.array(slaTargetSchema),
})

export const policyClauseSchema = z.object({
  key: z.string(),
  clause: z.string(),
  kind: z.string(),
  /** The source's words, in the policy's `language`. */
  text: z.string(),
  language: z.enum(LANGUAGES),
  /** The words in the other language, where the policy gives them. */
  translations: translationsSchema,
  comment: z.string().optional(),
})

export const policyDetailResponseSchema = z.object({
  policy: policySummarySchema,
  versions: z.array(z.string()),
  clauses: z.array(policyClauseSchema),
  serviceLevels: serviceLevelsSchema,
})

export const validatePolicyBodySchema = z.object({ yaml: z.string().max(1_000_000) })
export const validatePolicyResponseSchema = z.object({
  valid: z.boolean(),
  errors: z.array(z.object({ line: z.number(), field: z.string(), message: z.string() })),
})

export type PolicyDetail = z.infer<typeof policyDetailResponseSchema>
export type ValidatePolicyResponse = z.infer<typeof validatePolicyResponseSchema>
