import { z } from 'zod'
import { nameSchema } from '../contracts/api/named-schema.ts'
import { EARLIER_CURSOR, pageCursor, pageLimit, pageOf } from '../contracts/api/page.ts'

const eventType = z
  .string()
  .regex(/^(\*|[a-z][a-z0-9-]*(\.[a-z0-9-]+)+)$/, 'must be an event type such as claim.opened, or * for all')

export const WebhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2000)
  .refine(
    (value) => !/^[a-z]+:\/\/[^/]*@/i.test(value),
    'must not carry credentials; the signature authenticates',
  )

export const CreateWebhookBody = z.object({
  url: WebhookUrl,
  eventTypes: z.array(eventType).min(1).max(100),
  /** Leave out to have one generated; shown once in the answer. */
  secret: z.string().min(16).max(200).optional(),
})

export const WebhookView = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
})
export type WebhookView = z.infer<typeof WebhookView>

export const CreatedWebhookResponse = WebhookView.extend({
  /** The signing secret: verify `Aftercare-Signature` with it. Shown only here. */
  secret: z.string(),
})
nameSchema(CreatedWebhookResponse, {
  id: 'CreatedWebhook',
  description: 'A webhook subscription just made, with its signing secret: it is shown this once.',
})
export const WebhookListResponse = pageOf(WebhookView)
export const WebhookParams = z.object({ id: z.string().min(1).max(100) })

export const OutboxQuery = z.object({
  status: z.enum(['pending', 'sent', 'failed']).optional(),
  channel: z.enum(['email', 'webhook']).optional(),
  limit: pageLimit(100),
  cursor: pageCursor(),
  before: z.string().max(300).optional().describe(EARLIER_CURSOR),
})
export const OutboxItem = z.object({
  id: z.string(),
  channel: z.enum(['email', 'webhook']),
  status: z.enum(['pending', 'sent', 'failed']),
  recipient: z.string(),
  topic: z.string(),
  claimId: z.string().nullable(),
  attempts: z.number(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
})
export const OutboxListResponse = pageOf(OutboxItem)
