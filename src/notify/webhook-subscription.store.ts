import type { CursorKey } from '../contracts/api/page.ts'
import type { Db } from '../db/database.ts'
import type { OutboxChannel, OutboxStatus } from './notify.tables.ts'

export interface NewSubscription {
  id: string
  url: string
  secret: string
  eventTypes: string[]
  createdBy: string
  createdAt: string
}

export async function insertSubscription(db: Db, s: NewSubscription): Promise<void> {
  await db
    .insertInto('webhook_subscriptions')
    .values({
      id: s.id,
      url: s.url,
      secret: s.secret,
      event_types: JSON.stringify(s.eventTypes),
      active: 1,
      created_by: s.createdBy,
      created_at: s.createdAt,
    })
    .execute()
}

export const listSubscriptions = (db: Db) =>
  db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'url', 'event_types', 'active', 'created_at'])
    .orderBy('created_at')
    .orderBy('id')
    .execute()

/** Deletes the subscription; its undelivered rows then fail on their next attempt. Returns false when there was none. */
export async function deleteSubscription(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

export const listOutbox = (
  db: Db,
  filter: { status?: OutboxStatus; channel?: OutboxChannel; limit: number; before?: CursorKey | undefined },
) => {
  let query = db
    .selectFrom('outbox_messages')
    .select([
      'id',
      'channel',
      'status',
      'recipient',
      'topic',
      'claim_id',
      'attempts',
      'next_attempt_at',
      'last_error',
      'created_at',
      'sent_at',
    ])
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.channel) query = query.where('channel', '=', filter.channel)
  if (filter.before) {
    // Where the previous page's last row stood; newest first, ties by id descending.
    const { at, id } = filter.before
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
    )
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()
}
