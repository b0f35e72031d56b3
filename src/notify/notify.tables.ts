import type { Generated } from 'kysely'

/** What an outbox row carries: an e-mail rendered from a template, or a signed webhook POST. */
export type OutboxChannel = 'email' | 'webhook'
/**
 * `pending` until sent; `sent` once accepted by the server; `failed` after the last attempt, or
 * at once for optional mail its recipient stopped while it waited (`last_error` says so).
 */
export type OutboxStatus = 'pending' | 'sent' | 'failed'

export interface OutboxMessagesTable {
  id: string
  channel: OutboxChannel
  status: OutboxStatus
  /** The claim the message belongs to, when there is one (no foreign key: claims owns that table). */
  claim_id: string | null
  /** E-mail address, or the webhook URL at the time the event was written. */
  recipient: string
  /** E-mail rows: who the address belonged to (`mailPersonKey`), for the link that stops optional mail. */
  person?: string | null
  /** E-mail template id or webhook event type. */
  topic: string
  locale: string | null
  /** Webhook rows: the subscription whose secret signs the body. */
  subscription_id: string | null
  /** JSON text: the template data (e-mail) or the exact body to POST (webhook). */
  payload: string
  attempts: Generated<number>
  next_attempt_at: string
  /** The worker holding the row and until when; an expired lease lets another worker take it. */
  locked_by: string | null
  locked_until: string | null
  last_error: string | null
  created_at: string
  sent_at: string | null
}

export interface WebhookSubscriptionsTable {
  id: string
  url: string
  /** Shared secret for the HMAC signature; shown once when the subscription is made. */
  secret: string
  /** JSON text: array of event types, `["*"]` for every event. */
  event_types: string
  active: number
  created_by: string
  created_at: string
}

/** A reply received by e-mail and the thread message it became (migration 0650). */
export interface InboundMailTable {
  message_id: string
  claim_id: string
  thread_message_id: string
  received_at: string
}

/** An address that stopped one kind of optional mail (migration 0660). */
export interface MailOptOutsTable {
  /** Who stopped it: `customer:<id>`, `user:<id>`, or `address:<address>` for mail to no known person (`mailPersonKey`). */
  person: string
  /**
   * The address the person had when they stopped it, trimmed and lower-cased: links sent
   * before choices were kept by person name only an address.
   */
  address: string
  /** One of `OPTIONAL_MAIL_KINDS`. */
  kind: string
  created_at: string
}

/** Keys the notify feature signs with; `unsubscribe` signs the links that stop optional mail. */
export interface NotifyKeysTable {
  name: string
  secret: string
}

/** Tables owned by the notify feature. */
export interface NotifyTables {
  outbox_messages: OutboxMessagesTable
  webhook_subscriptions: WebhookSubscriptionsTable
  inbound_mail: InboundMailTable
  mail_opt_outs: MailOptOutsTable
  notify_keys: NotifyKeysTable
}
