import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { isStaff, requireActor } from '../auth/index.ts'
import { cursorInstant, joinCursor, nextCursor, splitCursor } from '../contracts/api/page.ts'
import { pages } from '../contracts/pages.ts'
import {
  PRECONDITION_BEFORE_BODY,
  readIfMatch as readIfMatchVersion,
  refuseInvalidInput,
  refuseInvalidPath,
  versionOfSoundRequest,
} from '../http/if-match.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { languageFromHeader } from '../shared/messages/translate.ts'
import * as S from './claim.schemas.ts'
import { findClaim, findQuote, listClaimSummaries, listEvents } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import {
  claimHandler,
  claimMoneySight,
  dealerHandledBy,
  requireClaimAccess,
  requireVisibleClaim,
  requireVisibleClaimByIdOrNumber,
  visibilityFilter,
} from './claim-access.ts'
import { CLAIM_ACTION_ENTRIES } from './claim-actions.ts'
import { claimCostLinesFor } from './claim-cost-lines.ts'
import { renderClaimQuote, renderClaimRepairOrder } from './claim-documents.ts'
import { requireClaimVersion } from './claim-transition.ts'
import {
  claimListJson,
  claimViewJson,
  dealerHandledOnRows,
  findUnitsProvenBeyondWaitingProof,
} from './claim-view.ts'
import { STAFF_ONLY_EVENTS } from './domain/claim-events.ts'
import { validateLifecycle } from './domain/claim-lifecycle.ts'
import {
  dealerHandledOf,
  eventDataInSight,
  eventSightOf,
  moneyInSight,
  moneySightOf,
  quoteSightOf,
  seesCustomerPayment,
} from './domain/money-sight.ts'
import { listClaimQuotes } from './list-claim-quotes.ts'
import { openClaim } from './open-claim.ts'
import { findClaimsWithExpiredQuote, isQuotePastLastDay } from './quote-validity.ts'

const TAGS = ['claims']
const idemHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() })
const matchHeaders = z.object({ 'if-match': z.string().max(100).optional() })

/** The claim version a change was based on, from `If-Match: "7"` (428 without it). */
export const readIfMatch = (request: FastifyRequest): number =>
  readIfMatchVersion(request, { missing: 'claims.if-match.missing', invalid: 'claims.if-match.invalid' })

/** JSON written and checked against the route's schema by us (see `claimViewJson`); Fastify sends a string with a JSON type as it is. */
const JSON_TYPE = 'application/json; charset=utf-8'

/** The claim as the reader sees it, with what they may do next as of now. */
async function sendClaim(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  claim: ClaimsTable,
  status = 200,
) {
  const expired = await findClaimsWithExpiredQuote(ctx.db, ctx.policies, [claim], ctx.now())
  const actor = requireActor(request)
  // A dealer reads whole the quote it sent, and no other: its history says which.
  const handled = claim.quote_json === null ? null : await dealerHandledBy(ctx.db, actor, claim.id)
  const proven = await findUnitsProvenBeyondWaitingProof(ctx.db, [claim])
  return reply
    .status(status)
    .header('etag', `"${claim.version}"`)
    .type(JSON_TYPE)
    .send(claimViewJson(claim, actor, expired, handled, proven) as unknown as S.ClaimView)
}

/** HTTP routes of the claims feature. */
export async function claimRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  // The start-up check of the lifecycle table: a state nobody can reach or a terminal state
  // with a way out is a bug to catch before the first request, not in a customer's case.
  const problems = validateLifecycle()
  if (problems.length > 0)
    throw new AppError('internal', `The claim lifecycle is unsound: ${problems.join('; ')}`)
  app.post(
    '/api/v1/claims',
    {
      schema: {
        tags: TAGS,
        summary: 'Open a claim',
        headers: idemHeaders,
        body: S.openClaimBody,
        response: { 200: S.claimView, 201: S.claimView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const { claim, created } = await openClaim(
        ctx,
        actor,
        request.body,
        request.headers['idempotency-key'],
        languageFromHeader(request.headers['accept-language']),
      )
      return sendClaim(ctx, request, reply, claim, created ? 201 : 200)
    },
  )

  app.get(
    '/api/v1/claims',
    {
      schema: {
        tags: TAGS,
        summary: 'List the claims you may see',
        querystring: S.listClaimsQuery,
        response: { 200: S.claimListView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const { limit, state, open, serial } = request.query
      const rows = await listClaimSummaries(ctx.db, {
        ...visibilityFilter(actor),
        limit,
        state,
        open,
        serial,
        ...claimListCursor(request.query),
      })
      const next = nextCursor(rows, limit, (row) => joinCursor(row.opened_at, row.id))
      const expired = await findClaimsWithExpiredQuote(ctx.db, ctx.policies, rows, ctx.now())
      // A dealer handed off a claim still reads the quote it sent, whole, as on the claim's page.
      const handled = await dealerHandledOnRows(ctx.db, actor, rows)
      const proven = await findUnitsProvenBeyondWaitingProof(ctx.db, rows)
      return reply
        .type(JSON_TYPE)
        .send(claimListJson(rows, actor, next, expired, handled, proven) as unknown as S.ClaimListView)
    },
  )

  app.get(
    '/api/v1/claims/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One claim (ETag = version)',
        params: S.claimIdParams,
        response: { 200: S.claimView },
      },
    },
    async (request, reply) => {
      const claim = await requireVisibleClaimByIdOrNumber(ctx.db, requireActor(request), request.params.id)
      return sendClaim(ctx, request, reply, claim)
    },
  )

  app.get(
    '/api/v1/claims/:id/events',
    {
      schema: {
        tags: TAGS,
        summary: 'The timeline: every event with its actor',
        description:
          "Staff-only events (notes, assignments) are left out for the claim's other parties. The customer sees every amount they pay or are paid and no other (the lines others pay without their amounts, no total of the service, nothing of what each business absorbs). A dealer that sold the unit and does not handle the claim sees the events of its payments with only the quote they answer, and no amount except those of the cost lines it pays; what happened while it handled the claim, and the events of the quotes it sent then, it sees whole. The dealer handling the claim reads its events whole but those of a quote the seller or another dealer sent, which it reads as a dealer that only sold the unit.",
        params: S.claimIdParams,
        response: { 200: S.timelineView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      await requireClaimAccess(ctx.db, actor, request.params.id)
      const sight = await claimMoneySight(ctx.db, actor, request.params.id)
      const all = (await listEvents(ctx.db, request.params.id)).map((e) => ({
        row: e,
        seq: Number(e.seq),
        type: e.type,
        data: JSON.parse(e.data) as Record<string, unknown>,
      }))
      // A dealer handed off the claim still reads, whole, what happened while it handled it, and
      // any dealer the quotes it sent, and only those.
      const handled = actor.role === 'dealer' ? dealerHandledOf(all) : null
      // Internal notes and assignments are the service team's own business.
      const rows = all.filter((e) => isStaff(actor) || !STAFF_ONLY_EVENTS.includes(e.type))
      return {
        next: null,
        items: rows.map((e) => ({
          seq: e.seq,
          type: e.type,
          at: e.row.at,
          actor: { id: e.row.actor_id, role: e.row.actor_role, name: e.row.actor_name },
          // The hash covers the data as stored: a reader shown less cannot check it, staff can.
          data: eventDataInSight(eventSightOf(sight, handled, e), e.type, e.data),
          hash: e.row.hash,
        })),
      }
    },
  )

  app.get(
    '/api/v1/claims/:id/quotes',
    {
      schema: {
        tags: TAGS,
        summary: 'Quotes with their cost lines and totals',
        description:
          "The claim's customer is shown what they pay (their lines, their total, their payments) and the lines others pay without their amounts, with no total of the service and nothing of what each business absorbs. A dealer is shown each quote without its totals or payments, with only the cost lines it pays, but for the quotes it sent while it handled the claim, which it sees whole: the quote the seller or another dealer sent before the claim became its to serve it reads as a dealer that only sold the unit.",
        params: S.claimIdParams,
        response: { 200: S.quotesView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const claim = await requireClaimAccess(ctx.db, actor, request.params.id)
      const sight = await claimMoneySight(ctx.db, actor, claim.id)
      const handled = await dealerHandledBy(ctx.db, actor, claim.id)
      const now = ctx.now()
      const items = await listClaimQuotes(ctx.db, claim.id, (validUntil) =>
        isQuotePastLastDay(ctx.policies, claim, validUntil, now),
      )
      return {
        items: items.map((quote) => moneyInSight(quoteSightOf(sight, handled, quote.id), quote)),
        next: null,
      }
    },
  )

  app.get(
    '/api/v1/claims/:id/cost-lines',
    {
      schema: {
        tags: TAGS,
        summary: "The claim's priced cost lines and who pays each",
        description:
          "Every cost recorded on the claim (a quote's lines, and those booked when the repair was completed), each with its payer and amount, as recovery lines cite them by id (`evidence.costLineIds`). A quote's lines are listed whatever the customer answered, each marked `spent` (false until the quote is accepted) with its quote's status; `totals` count the spent lines alone, per currency and payer, as the warranty cost report does. Staff and integrations read every line. The claim's customer reads the lines they pay and no other. A dealer reads the lines it pays and those of the quotes it sent while it handled the claim, and, while the decision has it handle the claim, the lines outside any quote; never the lines of a quote the seller or another dealer sent. Any organisation also reads the lines its recovery lines cite, as creditor or debtor, even on a claim it may not open. Anyone else gets the claim's 404.",
        params: S.claimIdParams,
        response: { 200: S.claimCostLinesView },
      },
    },
    async (request) => claimCostLinesFor(ctx, requireActor(request), request.params.id),
  )

  // The thread (messages, notes, answers to requests for information): thread.routes.ts.

  for (const entry of CLAIM_ACTION_ENTRIES) {
    app.post(
      `/api/v1/claims/:id/transitions/${entry.action}`,
      {
        schema: {
          tags: TAGS,
          summary: entry.summary,
          params: S.claimIdParams,
          headers: matchHeaders,
          body: entry.body,
          response: { 200: S.claimView },
        },
        ...PRECONDITION_BEFORE_BODY,
      },
      async (request, reply) => {
        const actor = requireActor(request)
        refuseInvalidPath(request)
        const { id } = request.params
        let version = versionOfSoundRequest(request)
        if (version === undefined) {
          // Something is wrong: read the claim to tell the first thing wrong in order (see
          // PRECONDITION_BEFORE_BODY). The step would read and check again under its lock.
          const seen = await requireClaimAccess(ctx.db, actor, id)
          version = readIfMatch(request)
          requireClaimVersion(seen, version)
          refuseInvalidInput(request)
        }
        let claim: Awaited<ReturnType<typeof entry.run>>
        try {
          claim = await entry.run(ctx, actor, id, version, request.body)
        } catch (error) {
          // A step judges parts of the body only it understands (a staff note, a quote's total)
          // before it looks at the claim: a stale version still comes first.
          if (error instanceof AppError && error.code === 'validation')
            requireClaimVersion(await requireClaimAccess(ctx.db, actor, id), version)
          throw error
        }
        return sendClaim(ctx, request, reply, claim)
      },
    )
  }

  app.get(
    '/api/v1/claims/:id/repair-order.pdf',
    {
      schema: {
        tags: TAGS,
        summary: 'The printable repair order for the parcel (PDF)',
        description:
          "In the language `locale` names, else in the customer's: a customer reading the claim page in the other language prints the sheet they read.",
        params: S.claimIdParams,
        querystring: z.object({ locale: z.enum(['en', 'zh']).optional() }),
      },
    },
    async (request, reply) => {
      if (sendsBrowserToSignIn(request, reply)) return reply
      return orClaimPageInBrowser(
        request,
        reply,
        pages.claim(request.params.id, 'repair-order'),
        async () => {
          const claim = requireVisibleClaim(
            await findClaim(ctx.db, request.params.id),
            requireActor(request),
            request.params.id,
          )
          const pdf = await renderClaimRepairOrder(
            ctx.db,
            ctx.config,
            claim,
            ctx.policies,
            request.query.locale,
          )
          return reply
            .type('application/pdf')
            .header('content-disposition', `inline; filename="${claim.rma_number}.pdf"`)
            .send(pdf)
        },
      )
    },
  )

  app.get(
    '/api/v1/claims/:id/quotes/:quoteId.pdf',
    {
      schema: {
        tags: TAGS,
        summary: 'A quote as a PDF',
        description:
          "The customer's quote document, for its customer, staff, integrations and a dealer that handles the claim or sent this quote while it did; the dealer that sold a unit the decision sends to the seller or maker is refused with 403 for any other quote.",
        params: S.claimIdParams.extend({ quoteId: z.string().min(1).max(100) }),
      },
    },
    async (request, reply) => {
      if (sendsBrowserToSignIn(request, reply)) return reply
      return orClaimPageInBrowser(request, reply, pages.claim(request.params.id, 'quote'), async () => {
        const actor = requireActor(request)
        const claim = requireVisibleClaim(
          await findClaim(ctx.db, request.params.id),
          actor,
          request.params.id,
        )
        // The quote is the customer's, every line and total of it, and its sender's: not the
        // selling dealer's when it does not handle the claim (its own lines it reads in the
        // claim's quotes), nor the handling dealer's when the seller or another dealer sent it.
        const sight = moneySightOf(actor.role, claimHandler(claim))
        // A quote the claim does not have is not there for anyone, whoever would be refused its money.
        const quote = await findQuote(ctx.db, claim.id, request.params.quoteId)
        if (!quote)
          throw new AppError('not-found', {
            key: 'claims.quote.not-found',
            params: { id: request.params.quoteId },
          })
        const handled = await dealerHandledBy(ctx.db, actor, claim.id)
        if (!seesCustomerPayment(quoteSightOf(sight, handled, request.params.quoteId)))
          throw new AppError('forbidden', {
            key: seesCustomerPayment(sight) ? 'claims.quote.not-its-quote' : 'claims.quote.not-handler',
          })
        const pdf = await renderClaimQuote(ctx.db, ctx.config, claim, quote, ctx.policies)
        return reply
          .type('application/pdf')
          .header('content-disposition', 'inline; filename="quote.pdf"')
          .send(pdf)
      })
    },
  )
  // Guided self-checks per product line: self-checks.routes.ts.
}

/** A browser following a link asks for a page; a program asks for the document or its error. */
const asksForPage = (request: FastifyRequest): boolean => (request.headers.accept ?? '').includes('text/html')

/**
 * Documents are linked from e-mails: a reader who follows such a link signed out is sent to
 * sign in and back to the document, not shown a JSON error. Programs (no `text/html` in
 * `Accept`) still get the 401.
 */
function sendsBrowserToSignIn(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.actor || !asksForPage(request)) return false
  void reply.redirect(pages.signIn(request.url), 303)
  return true
}

/**
 * A document link followed in a browser by someone signed in who may not have it (signed in
 * as another account, a quote withdrawn since the e-mail, a quote of a claim the reader's
 * dealership sold the unit of but does not handle) opens the claim's page, which says in the
 * reader's language what there is to see, instead of the API's JSON error. The page is the
 * claim the link already names, and shows a claim the reader may not see as missing, so
 * nothing is learnt that the 404 or 403 did not tell. Programs still get the 404 or 403.
 */
async function orClaimPageInBrowser(
  request: FastifyRequest,
  reply: FastifyReply,
  page: string,
  send: () => Promise<FastifyReply>,
): Promise<FastifyReply> {
  try {
    return await send()
  } catch (error) {
    if (!(error instanceof AppError) || (error.code !== 'not-found' && error.code !== 'forbidden'))
      throw error
    if (!asksForPage(request)) throw error
    return reply.redirect(page, 303)
  }
}

/**
 * Where a page of the claim list starts. `cursor` is the `next` the previous page gave
 * (`opened_at|id`); `before`, its earlier name, also takes a bare instant, as `next` used
 * to be, which lists the claims opened before it.
 */
function claimListCursor(query: {
  cursor?: string | undefined
  before?: string | undefined
}): { cursorOpenedAt: string; cursorId: string } | { before: string } | Record<string, never> {
  const field = query.cursor !== undefined ? 'cursor' : 'before'
  const given = query.cursor ?? query.before
  if (given === undefined) return {}
  if (field === 'before' && !given.includes('|')) return { before: cursorInstant(given, field) }
  const { at, id } = splitCursor(given, field)
  return { cursorOpenedAt: at, cursorId: id }
}
