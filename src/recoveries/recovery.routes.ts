import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { requireActor, requireStaff } from '../auth/index.ts'
import { canActorSeeClaim, findClaim } from '../claims/index.ts'
import { joinCursor, splitCursor } from '../contracts/api/page.ts'
import {
  PRECONDITION_BEFORE_BODY,
  readIfMatch as readIfMatchVersion,
  refuseInvalidInput,
  refuseInvalidPath,
  versionOfSoundRequest,
} from '../http/if-match.ts'
import { headerLanguage } from '../http/request-language.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { echoed } from '../shared/validate.ts'
import { isEmptyDraft, validateRecoveryLifecycle } from './domain/recovery-lifecycle.ts'
import { shippedRecoveryTerms } from './load-recovery-terms.ts'
import * as S from './recovery.schemas.ts'
import { findOutcome, findRecovery, listRecoveries, listRecoveryEvents } from './recovery.store.ts'
import type { RecoveryClaimsTable } from './recovery.tables.ts'
import { canSeeRecovery, recoveryScope, requireVisibleRecovery } from './recovery-access.ts'
import { verifyRecoveryChain } from './recovery-history.ts'
import { renderRecoveryStatementCsv, renderRecoveryStatementPdf } from './recovery-statement.ts'
import { toRecoveryViews } from './recovery-view.ts'
import { inLanguage } from './recovery-wording.ts'
import { runRecoverySweep } from './run-recovery-sweep.ts'
import { summarizeRecoveries } from './summarize-recoveries.ts'
import { requireRecoveryVersion, takeRecoveryStep } from './take-recovery-step.ts'

const TAGS = ['recoveries']
const matchHeaders = z.object({ 'if-match': z.string().max(100).optional() })

const ACTION_DESCRIPTIONS: Record<S.RecoveryAction, string> = {
  submit:
    'The creditor sends the draft to the debtor. A submission after the terms’ deadline is flagged late, not refused.',
  accept: 'The debtor (or staff recording an outside debtor’s answer) accepts every line as claimed.',
  'partly-accept':
    'The debtor accepts some lines in part or not at all, each with a reason code; lines not named are accepted as claimed.',
  reject: 'The debtor rejects the whole claim with a reason code.',
  'record-payment':
    'The debtor’s payment: amount (at most what was accepted), date (not later than today, nor before the day the claim was submitted) and reference, in the recovery claim’s currency; a `currency` other than it is refused.',
  'write-off': 'The creditor gives up what will not be paid: the claimed amount less what was paid.',
  close: 'The creditor closes a paid, rejected or written-off recovery claim.',
  'request-part': 'The debtor asks for the failed part back (only where the terms say it must be sent back).',
  'ship-part': 'The creditor ships the failed part, with carrier and tracking number.',
  'receive-part': 'The debtor confirms the failed part arrived.',
}

const readIfMatch = (request: FastifyRequest): number =>
  readIfMatchVersion(request, { missing: 'recovery.if-match.missing', invalid: 'recovery.if-match.invalid' })

const encodeCursor = (row: RecoveryClaimsTable) =>
  Buffer.from(joinCursor(row.created_at, row.id)).toString('base64url')
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const { at, id } = splitCursor(Buffer.from(cursor, 'base64url').toString('utf8'))
  return { createdAt: at, id }
}

/** HTTP routes of the recoveries feature. */
export async function recoveryRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  // Unsound tables or terms stop the start, not a claim step later.
  const problems = validateRecoveryLifecycle()
  if (problems.length > 0)
    throw new AppError('internal', `The recovery lifecycle is unsound: ${problems.join('; ')}`)
  shippedRecoveryTerms()

  // Lines and findings are worded in the request's language (the web app asks in its reader's).
  const viewOne = async (request: FastifyRequest, id: string) => {
    const actor = requireActor(request)
    const row = requireVisibleRecovery(await findRecovery(ctx.db, id), actor, id)
    const [view] = await toRecoveryViews(ctx.db, [row], actor, headerLanguage(request))
    // A draft emptied by withdrawn lines is withdrawn itself, as the listing leaves it out.
    if (!view || isEmptyDraft(row.state, view.lines.length))
      throw new AppError('not-found', { key: 'recovery.not-found', params: { id } })
    return view
  }
  const send = (reply: FastifyReply, view: S.RecoveryView) =>
    reply.header('etag', `"${view.version}"`).send(view)

  app.get(
    '/api/v1/recoveries',
    {
      schema: {
        tags: TAGS,
        summary: 'List the recovery claims you may see',
        description:
          'Staff see every recovery claim; a user of a dealer, agent or maker organisation sees those where it is creditor or debtor; customers see none. Newest first; pass `next` back as `cursor`.',
        querystring: S.listRecoveriesQuery,
        response: { 200: S.recoveryListView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const scope = recoveryScope(actor)
      if ('none' in scope) return { items: [], next: null }
      const { limit, state, claimId, cursor } = request.query
      const rows = await listRecoveries(ctx.db, {
        ...('orgId' in scope ? { orgId: scope.orgId } : {}),
        ...(state ? { state } : {}),
        ...(claimId ? { claimId } : {}),
        ...(cursor ? { after: decodeCursor(cursor) } : {}),
        limit,
      })
      const last = rows.at(-1)
      return {
        items: await toRecoveryViews(ctx.db, rows, actor, headerLanguage(request)),
        next: rows.length === limit && last ? encodeCursor(last) : null,
      }
    },
  )

  app.get(
    '/api/v1/recoveries/summary',
    {
      schema: {
        tags: TAGS,
        summary: 'Money per counterparty, month and currency',
        description:
          'Owed (drafts not yet submitted), submitted, accepted, paid and written off, from the side of the signed-in organisation; staff see every creditor, or one organisation with `orgId` (404 for an `orgId` naming no organisation).',
        querystring: S.summaryQuery,
        response: { 200: S.summaryView },
      },
    },
    async (request) => ({
      items: await summarizeRecoveries(ctx.db, requireActor(request), request.query.orgId),
    }),
  )

  app.get(
    '/api/v1/recoveries/outcomes/:claimId',
    {
      schema: {
        tags: TAGS,
        summary: 'What a claim yielded for recovery, or why nothing',
        description:
          'The last derivation of the claim: `lines` with the recovery claims they were filed in (those the reader may open), or `none` with each reason and the clause behind it. Each reason keeps its English `message`, with `localMessage` in the language of the request (`Accept-Language`). Visible to whoever may see the claim.',
        params: S.claimIdParams,
        response: { 200: S.recoveryOutcomeView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const { claimId } = request.params
      if (!(await canActorSeeClaim(ctx.db, actor, claimId)))
        throw new AppError('not-found', { key: 'claim.not-found', params: { id: claimId } })
      const outcome = await findOutcome(ctx.db, claimId)
      if (!outcome) throw new AppError('not-found', { key: 'recovery.not-derived', params: { id: claimId } })
      // The claim's reader (its customer, say) is named only the recovery claims it may open.
      const rows = (await listRecoveries(ctx.db, { claimId, limit: 200 })).filter((r) =>
        canSeeRecovery(actor, r),
      )
      const language = headerLanguage(request)
      const reasons = JSON.parse(outcome.reasons_json) as S.RecoveryOutcomeView['reasons']
      return {
        claimId,
        outcome: outcome.outcome === 'lines' ? ('lines' as const) : ('none' as const),
        // Outcomes derived before reasons kept their key show their English to every reader.
        reasons: reasons.map((reason) => ({
          ...reason,
          localMessage: inLanguage(language, reason.message, reason.messageKey, reason.params),
        })),
        lineCount: Number(outcome.line_count),
        derivedAt: outcome.derived_at,
        recoveryIds: rows.map((r) => r.id),
      }
    },
  )

  app.post(
    '/api/v1/recoveries/derive',
    {
      schema: {
        tags: TAGS,
        summary: 'Derive recovery lines now (staff)',
        description:
          'Runs the derivation for one claim, or for every claim whose work changed since its last derivation. Safe to repeat and to run on several instances: a line already filed is never filed again. A `claimId` naming no claim is refused (400).',
        body: S.deriveBody,
        response: { 200: S.deriveResultView },
      },
    },
    async (request) => {
      requireStaff(request)
      const { claimId, limit } = request.body
      // A claim that does not exist was derived as none, and reported done.
      if (claimId !== undefined && !(await findClaim(ctx.db, claimId)))
        throw new AppError(
          'validation',
          { key: 'claims.cli.no-claim', params: { field: 'claimId', id: echoed(claimId) } },
          { field: 'claimId' },
        )
      return runRecoverySweep(ctx, { ...(claimId ? { claimId } : {}), limit })
    },
  )

  app.get(
    '/api/v1/recoveries/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One recovery claim with its lines (ETag = version)',
        description: 'Answers 404 to anyone who is neither creditor, debtor nor staff.',
        params: S.recoveryIdParams,
        response: { 200: S.recoveryView },
      },
    },
    async (request, reply) => send(reply, await viewOne(request, request.params.id)),
  )

  app.get(
    '/api/v1/recoveries/:id/events',
    {
      schema: {
        tags: TAGS,
        summary: 'The hash-chained history of a recovery claim',
        description: 'Every step with its actor; `chainOk` says whether every link still verifies.',
        params: S.recoveryIdParams,
        response: { 200: S.recoveryEventsView },
      },
    },
    async (request) => {
      const view = await viewOne(request, request.params.id)
      const rows = await listRecoveryEvents(ctx.db, view.id)
      return {
        items: rows.map((e) => ({
          seq: Number(e.seq),
          type: e.type,
          at: e.at,
          actor: { id: e.actor_id, role: e.actor_role, name: e.actor_name },
          data: JSON.parse(e.data) as Record<string, unknown>,
          hash: e.hash,
        })),
        // The whole history in one answer: the chain is verified as a whole.
        next: null,
        chainOk: (await verifyRecoveryChain(ctx.db, view.id)) === null,
      }
    },
  )

  app.get(
    '/api/v1/recoveries/:id/statement.pdf',
    {
      schema: {
        tags: TAGS,
        summary: 'The statement for a counterparty outside the installation (PDF)',
        description:
          'Lines with claim, clause, amount and the answer so far; `?locale=zh` prints it in Chinese.',
        params: S.recoveryIdParams,
        querystring: z.object({ locale: z.enum(['en', 'zh']).default('en') }),
      },
    },
    async (request, reply) => {
      const view = await viewOne(request, request.params.id)
      const pdf = await renderRecoveryStatementPdf(view, request.query.locale)
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${view.id}.pdf"`)
        .send(pdf)
    },
  )

  app.get(
    '/api/v1/recoveries/:id/statement.csv',
    {
      schema: {
        tags: TAGS,
        summary: 'The statement as CSV, one row per line',
        description:
          'For the counterparty’s own system: every line with its id, so an answer can name them. `description` is the English of the derivation; the last column, `local_description`, the line in the language `?locale=zh` (or `en`, the default) asks for. The file begins with a UTF-8 byte-order mark, so a spreadsheet reads its Chinese.',
        params: S.recoveryIdParams,
        querystring: z.object({ locale: z.enum(['en', 'zh']).default('en') }),
      },
    },
    async (request, reply) => {
      const view = await viewOne(request, request.params.id)
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${view.id}.csv"`)
        .send(renderRecoveryStatementCsv(view, request.query.locale))
    },
  )

  for (const action of Object.keys(S.ACTION_BODIES) as S.RecoveryAction[]) {
    app.post(
      `/api/v1/recoveries/:id/${action}`,
      {
        schema: {
          tags: TAGS,
          summary: `Recovery claim: ${action}`,
          description: `${ACTION_DESCRIPTIONS[action]} Send If-Match with the ETag you read; a refused step answers 409 with the allowed actions.`,
          params: S.recoveryIdParams,
          headers: matchHeaders,
          body: S.ACTION_BODIES[action],
          response: { 200: S.recoveryView },
        },
        ...PRECONDITION_BEFORE_BODY,
      },
      async (request, reply) => {
        const actor = requireActor(request)
        refuseInvalidPath(request)
        const { id } = request.params
        let version = versionOfSoundRequest(request)
        if (version === undefined) {
          // Something is wrong: read the record to tell the first thing wrong in order (see
          // PRECONDITION_BEFORE_BODY). The step would read and check again under its lock.
          const seen = requireVisibleRecovery(await findRecovery(ctx.db, id), actor, id)
          version = readIfMatch(request)
          requireRecoveryVersion(seen, version)
          refuseInvalidInput(request)
        }
        try {
          await takeRecoveryStep(ctx, actor, id, action, version, request.body)
        } catch (error) {
          // A step may judge its body before it reads the record: a stale version still comes first.
          if (error instanceof AppError && error.code === 'validation')
            requireRecoveryVersion(requireVisibleRecovery(await findRecovery(ctx.db, id), actor, id), version)
          throw error
        }
        return send(reply, await viewOne(request, id))
      },
    )
  }
}
