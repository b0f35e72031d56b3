import crypto from 'node:crypto'
import { z } from 'zod'
import { requireRole } from '../auth/index.ts'
import { joinCursor, nextCursor, splitGivenCursor } from '../contracts/api/page.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import {
  CreatedWebhookResponse,
  CreateWebhookBody,
  OutboxListResponse,
  OutboxQuery,
  WebhookListResponse,
  WebhookParams,
} from './notify.schemas.ts'
import {
  deleteSubscription,
  insertSubscription,
  listOutbox,
  listSubscriptions,
} from './webhook-subscription.store.ts'
import { checkWebhookTarget } from './webhook-target.ts'

const ADMIN = ['admin'] as const

/** HTTP routes of the notify feature: webhook subscriptions and a look into the outbox, for admins. */
export async function notifyRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.post(
    '/api/v1/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe a URL to claim events; deliveries are signed with the returned secret',
        description:
          'Each delivery is a JSON POST with headers Aftercare-Event, Aftercare-Delivery and Aftercare-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the secret>. Verify by recomputing the HMAC over the raw body, comparing in constant time and rejecting old timestamps. Non-2xx answers are retried with backoff.',
        body: CreateWebhookBody,
        response: { 201: CreatedWebhookResponse },
      },
    },
    async (request, reply) => {
      const actor = requireRole(request, ADMIN)
      await checkWebhookTarget(request.body.url, { allowPrivate: ctx.config.webhooksAllowPrivate })
      const id = crypto.randomUUID()
      const secret = request.body.secret ?? `whsec_${crypto.randomBytes(24).toString('base64url')}`
      const createdAt = ctx.now().toISOString()
      const eventTypes = [...new Set(request.body.eventTypes)]
      await insertSubscription(ctx.db, {
        id,
        url: request.body.url,
        secret,
        eventTypes,
        createdBy: actor.userId,
        createdAt,
      })
      return reply
        .status(201)
        .send({ id, url: request.body.url, eventTypes, active: true, createdAt, secret })
    },
  )

  app.get(
    '/api/v1/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'List webhook subscriptions',
        response: { 200: WebhookListResponse },
      },
    },
    async (request) => {
      requireRole(request, ADMIN)
      const rows = await listSubscriptions(ctx.db)
      return {
        items: rows.map((r) => ({
          id: r.id,
          url: r.url,
          eventTypes: JSON.parse(r.event_types) as string[],
          active: r.active === 1,
          createdAt: r.created_at,
        })),
        next: null,
      }
    },
  )

  app.delete(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Remove a webhook subscription; its undelivered events are dropped',
        params: WebhookParams,
        response: { 204: z.null().describe('No content') },
      },
    },
    async (request, reply) => {
      requireRole(request, ADMIN)
      if (!(await deleteSubscription(ctx.db, request.params.id))) {
        throw new AppError('not-found', {
          key: 'notify.webhook.not-found',
          params: { id: request.params.id },
        })
      }
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/api/v1/outbox',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          'Outgoing e-mails and webhook deliveries, newest first (pending and failed ones need attention)',
        querystring: OutboxQuery,
        response: { 200: OutboxListResponse },
      },
    },
    async (request) => {
      requireRole(request, ADMIN)
      const { cursor, before, ...filter } = request.query
      const rows = await listOutbox(ctx.db, { ...filter, before: splitGivenCursor({ cursor, before }) })
      return {
        items: rows.map((r) => ({
          id: r.id,
          channel: r.channel,
          status: r.status,
          recipient: r.recipient,
          topic: r.topic,
          claimId: r.claim_id,
          attempts: r.attempts,
          nextAttemptAt: r.next_attempt_at,
          lastError: r.last_error,
          createdAt: r.created_at,
          sentAt: r.sent_at,
        })),
        next: nextCursor(rows, request.query.limit, (r) => joinCursor(r.created_at, r.id)),
      }
    },
  )
}
