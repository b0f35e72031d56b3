import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/** A message to send, written to the outbox in the caller's transaction. (Contract; the notify feature implements it.) */
export interface OutgoingEmail {
  to: string
  /** Template id, e.g. `claim.opened`, `rma.authorized`, `quote.sent`, `auth.sign-in-link`. */
  template: string
  locale: 'en' | 'zh'
  /** Values the template fills in. */
  data: Record<string, unknown>
  /** The claim the message belongs to, when there is one. */
  claimId?: string
}

export interface WebhookEvent {
  type: string
  claimId?: string
  data: Record<string, unknown>
}

export async function enqueueEmail(_db: Kysely<Database>, _message: OutgoingEmail): Promise<void> {
  throw new Error('enqueueEmail is being built by the notify feature')
}

export async function enqueueWebhookEvent(_db: Kysely<Database>, _event: WebhookEvent): Promise<void> {
  throw new Error('enqueueWebhookEvent is being built by the notify feature')
}
