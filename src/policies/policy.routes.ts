import { headerLanguage } from '../http/request-language.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { definedCalendarIds } from '../sla/index.ts'
import { parsePolicyFile, policyFileProblemIn, undefinedCalendarErrors } from './parse-policy-file.ts'
import {
  decideBodySchema,
  decideQuerySchema,
  decisionResponseSchema,
  policyDetailResponseSchema,
  policyListResponseSchema,
  policyParamsSchema,
  policyQuerySchema,
  validatePolicyBodySchema,
  validatePolicyResponseSchema,
} from './policy.schemas.ts'

const TAGS = ['policies']

/** HTTP routes of the policies feature. Public: a decision reveals no one's data. */
export async function policyRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const versionsOf = (id: string): string[] =>
    ctx.policies
      .list()
      .filter((s) => s.id === id)
      .map((s) => s.version)

  app.post(
    '/api/v1/decisions',
    {
      schema: {
        tags: TAGS,
        summary: 'Decide a warranty case by its policy',
        body: decideBodySchema,
        querystring: decideQuerySchema,
        response: { 200: decisionResponseSchema },
      },
    },
    async (request) =>
      ctx.policies.decide(
        request.body,
        request.query.version === undefined ? {} : { version: request.query.version },
      ),
  )

  app.get(
    '/api/v1/policies',
    {
      schema: {
        tags: TAGS,
        summary: 'List policies with their versions',
        response: { 200: policyListResponseSchema },
      },
    },
    async () => {
      const latest = new Map<string, ReturnType<typeof ctx.policies.list>[number]>()
      for (const summary of ctx.policies.list())
        latest.set(summary.id, ctx.policies.summary(summary.id) ?? summary)
      return { items: [...latest.values()].map((s) => ({ ...s, versions: versionsOf(s.id) })), next: null }
    },
  )

  app.get(
    '/api/v1/policies/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Show a policy: metadata, clauses and service levels (latest or ?version=)',
        params: policyParamsSchema,
        querystring: policyQuerySchema,
        response: { 200: policyDetailResponseSchema },
      },
    },
    async (request) => {
      const { id } = request.params
      const summary = ctx.policies.summary(id, request.query.version)
      const source = summary && ctx.policies.source(id, summary.version)
      if (summary === undefined || source === undefined) {
        throw new AppError(
          'not-found',
          request.query.version
            ? { key: 'policies.version-not-found', params: { policy: id, version: request.query.version } }
            : { key: 'policies.not-found', params: { policy: id } },
        )
      }
      const parsed = parsePolicyFile(source, `${id}@${summary.version}`)
      if (!parsed.ok) throw new AppError('internal', `Loaded policy ${id} no longer parses`)
      return {
        policy: summary,
        versions: versionsOf(id),
        clauses: parsed.document.clauses.map((c) => ({
          key: c.key,
          clause: `${id}#${c.key}`,
          kind: c.kind,
          text: c.text,
          language: parsed.document.language,
          translations: c.translations ?? {},
          ...(c.comment === undefined ? {} : { comment: c.comment }),
        })),
        serviceLevels: ctx.policies.serviceLevels(id, summary.version)!,
      }
    },
  )

  app.post(
    '/api/v1/policies/validate',
    {
      schema: {
        tags: TAGS,
        summary: 'Validate a policy document without loading it',
        body: validatePolicyBodySchema,
        response: { 200: validatePolicyResponseSchema },
      },
    },
    async (request) => {
      const file = 'policy.yaml'
      const parsed = parsePolicyFile(request.body.yaml, file)
      // A calendar stored here is as good as a built-in one; one defined nowhere is refused.
      // Calendars are shown to those signed in only, so an anonymous check leaves them be:
      // its answer must not list the stored ones, nor tell whether one is stored.
      const errors = !parsed.ok
        ? parsed.errors
        : request.actor === null
          ? []
          : undefinedCalendarErrors(
              request.body.yaml,
              file,
              parsed.document.calendar,
              await definedCalendarIds(ctx.db),
            )
      if (errors.length === 0) return { valid: true, errors: [] }
      const language = headerLanguage(request)
      return {
        valid: false,
        errors: errors.map((error) => ({
          line: error.line,
          field: error.field,
          message: policyFileProblemIn(language, error),
        })),
      }
    },
  )
}
