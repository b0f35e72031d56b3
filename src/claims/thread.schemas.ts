import { z } from 'zod'
import { nameSchema } from '../contracts/api/named-schema.ts'
import { CLAIM_STATES } from './domain/claim-states.ts'

/**
 * Request and response shapes of the case thread, the staff work queue and assignment. No
 * server imports: the web app derives its types from these (web/src/api/types.ts).
 */

export const threadFileView = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  url: z.string(),
})

export const threadMessageView = z.object({
  id: z.string(),
  author: z.object({ id: z.string(), role: z.string(), name: z.string() }),
  body: z.string(),
  postedAt: z.string(),
  /** `message`, `info-request` (a question from service) or `info-reply` (its answer). */
  kind: z.enum(['message', 'info-request', 'info-reply']),
  /** Only staff ever receive `internal` messages. */
  internal: z.boolean(),
  via: z.enum(['web', 'email']),
  files: z.array(threadFileView),
})
nameSchema(threadMessageView, {
  id: 'ThreadMessage',
  description: "A message in a claim's thread between the customer, the dealer and service.",
})
export type ThreadMessageView = z.infer<typeof threadMessageView>

export const threadView = z.object({ items: z.array(threadMessageView), next: z.string().nullable() })

export const threadPostBody = z.object({
  body: z.string().max(8000).default(''),
  internal: z.boolean().default(false),
  fileIds: z.array(z.string().min(1).max(100)).max(20).default([]),
})

export const claimQueueQuery = z.object({
  /** Claim number, RMA number, serial, customer name or e-mail; part of any. */
  q: z.string().trim().max(200).optional(),
  /** `open` (default): neither closed nor cancelled; `closed`: closed or cancelled; `all`; or one state. */
  status: z.enum(['open', 'closed', 'all', ...CLAIM_STATES]).default('open'),
  /** `me`, `unassigned` or a user id (staff only). */
  assignee: z.string().max(100).optional(),
  /**
   * `true`: only claims whose conversation ends with the customer's message. With
   * `status=all` it finds those written on after the claim ended, too.
   */
  unanswered: z.enum(['true', 'false']).optional(),
  /**
   * `opened` (default): newest first. `due`: the order a queue is worked in, across every
   * page: claims by the due time of the clock that matters now (see inQueueOrder), running
   * before paused, then those with no open clock, oldest first.
   */
  sort: z.enum(['opened', 'due']).default('opened'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `next` of the previous page. */
  cursor: z.string().max(20).optional(),
})
export type ClaimQueueQuery = z.infer<typeof claimQueueQuery>

export const claimQueueItem = z.object({
  id: z.string(),
  number: z.string(),
  state: z.string(),
  version: z.number(),
  serial: z.string(),
  model: z.string().nullable(),
  policy: z.string(),
  customer: z.object({ name: z.string(), email: z.string() }).nullable(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  openedAt: z.string(),
  updatedAt: z.string(),
  /**
   * When the customer wrote the message that ends the claim's conversation, still unanswered
   * by the service team or the dealer; null when the last word is not the customer's.
   */
  customerWroteAt: z.string().nullable(),
  /** The clock that matters now (see dueTimesOfClaims); null only for a claim with no clock at all. */
  due: z
    .object({
      kind: z.string(),
      dueAt: z.string(),
      /** running, paused, met, breached or cancelled */
      status: z.string(),
      open: z.boolean(),
      /** When a stopped clock stopped; null while it runs. */
      stoppedAt: z.string().nullable(),
      /** green, amber, red or breached while open, as the clock's own view colours it; null once stopped. */
      colour: z.enum(['green', 'amber', 'red', 'breached']).nullable(),
    })
    .nullable(),
})
export const claimQueueView = z.object({ items: z.array(claimQueueItem), next: z.string().nullable() })
export type ClaimQueueItem = z.infer<typeof claimQueueItem>

export const assignmentBody = z.object({
  /** The staff member to work the case; null releases it. */
  userId: z.string().min(1).max(100).nullable(),
})

/** Who works a claim (`GET` and `POST /api/v1/claims/{id}/assignment`). */
export const assignmentView = z.object({
  id: z.string(),
  number: z.string(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
})

/** The staff a claim can be handed to (`GET /api/v1/claim-assignees`). */
export const assigneeList = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
  next: z.string().nullable(),
})
