import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { pages } from '../contracts/pages.ts'
import { preparedQuery } from '../db/prepared-query.ts'
import type { Database } from '../db/schema.ts'
import { AppError } from '../shared/errors.ts'
import { parseOrThrow } from '../shared/validate.ts'
import { EMAIL_LOCALES, emailTemplateData, isEmailTemplateId } from './domain/email-template-data.ts'
import { type MailPerson, mailPersonKey, optionalKindOf } from './domain/mail-preferences.ts'
import { subscriptionMatches } from './domain/webhook-signature.ts'
import { isOptedOut, personOfAddress } from './mail-preferences.store.ts'

/** A message to send, written to the outbox in the caller's transaction. */
export interface OutgoingEmail {
  to: string
  /**
   * Whom `to` belongs to: optional mail they stopped is not written, whatever address they
   * have now. Unnamed, optional mail goes to whoever has the address now.
   */
  person?: MailPerson
  /** Template id, e.g. `claim.opened`, `rma.authorized`, `quote.sent`, `auth.sign-in-link`. */
  template: string
  locale: 'en' | 'zh'
  /** Values the template fills in; see `domain/email-template-data.ts` for each template's fields. */
  data: Record<string, unknown>
  /** The claim the message belongs to, when there is one. */
  claimId?: string
}

export interface WebhookEvent {
  type: string
  claimId?: string
  data: Record<string, unknown>
}

export interface EnqueueOptions {
  /** When the row becomes due; defaults to the wall clock. Simulations pass their own time. */
  now?: Date
}

const recipientSchema = z.object({
  to: z.email(),
  locale: z.enum(EMAIL_LOCALES),
  claimId: z.string().min(1).optional(),
})
const eventTypeSchema = z.object({
  type: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/, 'must be an event type such as claim.opened'),
  claimId: z.string().min(1).optional(),
})

/**
 * Writes one e-mail to the outbox using the handle it is given, so a caller passing its
 * transaction gets the message committed (or rolled back) together with its own event.
 * The template's data is validated now: a missing field is the caller's bug and fails
 * the caller's transaction with a `validation` error naming `data.<field>`.
 * Optional mail (a reminder, an alert) the recipient stopped is not written: every sender
 * of it honours the choice here, so none can forget to. Mail that always goes ignores it.
 * Returns the outbox row id, or null when the recipient stopped this kind of mail.
 */
export async function enqueueEmail(
  db: Kysely<Database>,
  message: OutgoingEmail,
  options: EnqueueOptions = {},
): Promise<string | null> {
  const { to, locale, claimId } = parseOrThrow(recipientSchema, message)
  if (!isEmailTemplateId(message.template)) {
    throw new AppError(
      'validation',
      { key: 'notify.unknown-template', params: { field: 'template', template: message.template } },
      {
        field: 'template',
      },
    )
  }
  const data = parseOrThrow(emailTemplateData[message.template], message.data, 'data')
  const optional = optionalKindOf(message.template)
  const person = message.person
    ? mailPersonKey(message.person, to)
    : optional
      ? await personOfAddress(db, to)
      : null
  if (optional && person && (await isOptedOut(db, person, to, optional))) return null
  const now = (options.now ?? new Date()).toISOString()
  const id = crypto.randomUUID()
  await emailInsert.execute(
    db,
    id,
    claimId ?? null,
    to,
    person,
    message.template,
    locale,
    JSON.stringify(data),
    now,
  )
  return id
}

// Written by most claim events: prepared once (see `preparedQuery`).
const emailInsert = preparedQuery(
  (
    db: Kysely<Database>,
    id: string,
    claimId: string | null,
    to: string,
    person: string | null,
    topic: string,
    locale: string,
    payload: string,
    now: string,
  ) =>
    db.insertInto('outbox_messages').values({
      id,
      channel: 'email',
      status: 'pending',
      claim_id: claimId,
      recipient: to,
      person,
      topic,
      locale,
      subscription_id: null,
      payload,
      next_attempt_at: now,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now,
      sent_at: null,
    }),
)

// Read by every claim event: prepared once (see `preparedQuery`).
const activeSubscriptions = preparedQuery((db: Kysely<Database>) =>
  db.selectFrom('webhook_subscriptions').select(['id', 'url', 'event_types']).where('active', '=', 1),
)

/**
 * Writes one delivery row per active subscription that wants this event type, in the
 * caller's transaction. The body is fixed now, so every retry POSTs the same bytes; the
 * signature is computed per attempt (it carries the attempt's timestamp).
 * Returns the delivery ids (empty when nobody subscribes).
 */
export async function enqueueWebhookEvent(
  db: Kysely<Database>,
  event: WebhookEvent,
  options: EnqueueOptions = {},
): Promise<string[]> {
  const { type, claimId } = parseOrThrow(eventTypeSchema, event)
  const subscriptions = await activeSubscriptions.execute(db)
  const matching = subscriptions.filter((s) => subscriptionMatches(JSON.parse(s.event_types), type))
  if (matching.length === 0) return []
  const now = (options.now ?? new Date()).toISOString()
  const eventId = crypto.randomUUID()
  const body = JSON.stringify({
    id: eventId,
    type,
    createdAt: now,
    claimId: claimId ?? null,
    // The claim's page for people, as a path on the service's public URL (the same link the
    // e-mails carry), so a receiver can link its own users to it without knowing the web app.
    claimPage: claimId ? pages.claim(claimId) : null,
    data: event.data,
  })
  const rows = matching.map((subscription) => ({
    id: crypto.randomUUID(),
    channel: 'webhook' as const,
    status: 'pending' as const,
    claim_id: claimId ?? null,
    recipient: subscription.url,
    topic: type,
    locale: null,
    subscription_id: subscription.id,
    payload: body,
    next_attempt_at: now,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    sent_at: null,
  }))
  await db.insertInto('outbox_messages').values(rows).execute()
  return rows.map((r) => r.id)
}
