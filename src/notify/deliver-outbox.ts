import { absolutePageUrl, pages } from '../contracts/pages.ts'
import type { Db } from '../db/database.ts'
import type { AppContext } from '../shared/app-context.ts'
import type { EmailLocale } from './domain/email-template-data.ts'
import { mailPersonKey, optionalKindOf, unsubscribeApiPath } from './domain/mail-preferences.ts'
import { renderEmail } from './domain/render-email.ts'
import { planRetry } from './domain/retry-schedule.ts'
import { isOptedOut, unsubscribeKey } from './mail-preferences.store.ts'
import { createMailSender, type MailSender } from './mail-sender.ts'
import type { OutboxMessagesTable } from './notify.tables.ts'
import { signUnsubscribeToken } from './unsubscribe-token.ts'
import { sendWebhook } from './webhook-sender.ts'

export type DeliveryContext = Pick<AppContext, 'db' | 'engine' | 'config' | 'durable'>

export interface DeliverOptions {
  now: Date
  /** Rows claimed per run; bounded so one run stays short. */
  batchSize?: number
  /** Names the lease holder, e.g. `<host>:<pid>`. */
  workerId: string
  /** How long a claimed row stays reserved; past it, a crashed worker's rows go to another. */
  leaseMs?: number
  /** Reuse a sender across runs (the worker does); otherwise one is made for this run. */
  mailSender?: MailSender
  /** Jitter source, for reproducible tests. */
  random?: () => number
  /** Per-request limit for webhooks (10 s in production). */
  webhookTimeoutMs?: number
}

export interface DeliveryReport {
  claimed: number
  sent: number
  retried: number
  failed: number
  /** Claimed rows another worker took over before this one reached them; that worker sends them. */
  lost: number
}

type OutboxRow = {
  [K in keyof OutboxMessagesTable]: OutboxMessagesTable[K] extends { __select__: infer S }
    ? S
    : OutboxMessagesTable[K]
}

/** An error retrying cannot fix: the row goes straight to `failed`. */
class PermanentDeliveryError extends Error {}

const DEFAULT_LEASE_MS = 2 * 60 * 1000

/**
 * Claims due rows with a lease, then sends them outside any transaction. On PostgreSQL
 * the claim is `select … for update skip locked` in a short transaction, so instances
 * racing for the same rows each get different ones; SQLite has one writer at a time, so
 * one conditional UPDATE … RETURNING of a bounded set does the same. Attempts are counted
 * at claim time so a message that crashes its worker still runs out of attempts.
 */
async function claimDueRows(
  db: Db,
  engine: DeliveryContext['engine'],
  options: { now: Date; batchSize: number; workerId: string; leaseMs: number },
): Promise<OutboxRow[]> {
  const nowIso = options.now.toISOString()
  const lease = {
    locked_by: options.workerId,
    locked_until: new Date(options.now.getTime() + options.leaseMs).toISOString(),
  }
  const due = (db: Db) =>
    db
      .selectFrom('outbox_messages')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
      .orderBy('next_attempt_at')
      .limit(options.batchSize)
  if (engine === 'postgres') {
    return db.transaction().execute(async (trx) => {
      const ids = (await due(trx).forUpdate().skipLocked().execute()).map((r) => r.id)
      if (ids.length === 0) return []
      return trx
        .updateTable('outbox_messages')
        .set((eb) => ({ ...lease, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', ids)
        .returningAll()
        .execute()
    })
  }
  return db
    .updateTable('outbox_messages')
    .set((eb) => ({ ...lease, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', due(db))
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
    .returningAll()
    .execute()
}

/**
 * Extends the lease of one claimed row just before it is sent, in one conditional UPDATE.
 * A batch is sent row after row, so its later rows may outlive the lease taken at claim
 * time; another worker may then have claimed them. Only the worker that still holds the
 * row may send it, and the fresh lease keeps it held while it is on the wire.
 */
async function renewLease(
  db: Db,
  rowId: string,
  options: { now: Date; workerId: string; leaseMs: number },
): Promise<boolean> {
  const renewed = await db
    .updateTable('outbox_messages')
    .set({ locked_until: new Date(options.now.getTime() + options.leaseMs).toISOString() })
    .where('id', '=', rowId)
    .where('locked_by', '=', options.workerId)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(renewed.numUpdatedRows) === 1
}

/** The page (for the reader) and the one-click address (for mail programs, RFC 8058) that stop optional mail. */
async function unsubscribeLinks(ctx: DeliveryContext, row: OutboxRow, locale: EmailLocale) {
  const kind = optionalKindOf(row.topic)
  if (!kind) return undefined
  const token = signUnsubscribeToken(await unsubscribeKey(ctx.db), {
    address: row.recipient,
    ...(row.person ? { person: row.person } : {}),
    kind,
    locale,
  })
  return {
    page: absolutePageUrl(ctx.config.publicUrl, pages.unsubscribe(token, locale)),
    oneClick: absolutePageUrl(ctx.config.publicUrl, unsubscribeApiPath(token)),
  }
}

/**
 * Whether the optional mail of this row was stopped after it was written, by its person or at
 * its address (a link followed from an earlier mail while this one waited for its turn or for
 * the mail server): the stop holds for every later mail, not only those written after it.
 */
async function stoppedSinceWritten(ctx: DeliveryContext, row: OutboxRow): Promise<boolean> {
  const kind = optionalKindOf(row.topic)
  if (!kind) return false
  return isOptedOut(ctx.db, row.person ?? mailPersonKey(undefined, row.recipient), row.recipient, kind)
}

async function sendRow(ctx: DeliveryContext, row: OutboxRow, mailer: MailSender, options: DeliverOptions) {
  if (row.channel === 'email') {
    if (await stoppedSinceWritten(ctx, row))
      throw new PermanentDeliveryError(
        'Not sent: the recipient stopped this kind of mail after it was written',
      )
    const locale = (row.locale ?? 'en') as EmailLocale
    const unsubscribe = await unsubscribeLinks(ctx, row, locale)
    let rendered: ReturnType<typeof renderEmail>
    try {
      rendered = renderEmail(row.topic, locale, JSON.parse(row.payload), {
        publicUrl: ctx.config.publicUrl,
        claimId: row.claim_id,
        unsubscribeUrl: unsubscribe?.page,
      })
    } catch (error) {
      throw new PermanentDeliveryError(`The message cannot be rendered: ${(error as Error).message}`)
    }
    await mailer.send({
      outboxId: row.id,
      to: row.recipient,
      topic: row.topic,
      claimId: row.claim_id,
      rendered,
      date: options.now,
      ...(unsubscribe ? { listUnsubscribe: unsubscribe.oneClick } : {}),
    })
    return
  }
  const subscription = row.subscription_id
    ? await ctx.db
        .selectFrom('webhook_subscriptions')
        .select(['secret', 'active'])
        .where('id', '=', row.subscription_id)
        .executeTakeFirst()
    : undefined
  if (subscription?.active !== 1) {
    throw new PermanentDeliveryError('The webhook subscription was removed')
  }
  await sendWebhook(
    {
      deliveryId: row.id,
      url: row.recipient,
      eventType: row.topic,
      body: row.payload,
      secret: subscription.secret,
      now: options.now,
    },
    options.webhookTimeoutMs,
  )
}

/** Sends the due outbox rows once: each ends `sent`, rescheduled with backoff, or `failed`. */
export async function deliverDueMessages(
  ctx: DeliveryContext,
  options: DeliverOptions,
): Promise<DeliveryReport> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS
  const rows = await claimDueRows(ctx.db, ctx.engine, {
    now: options.now,
    batchSize: options.batchSize ?? 20,
    workerId: options.workerId,
    leaseMs,
  })
  const report: DeliveryReport = { claimed: rows.length, sent: 0, retried: 0, failed: 0, lost: 0 }
  if (rows.length === 0) return report
  // A message must never tell of a change that a crash could still take back.
  await ctx.durable?.()
  const mailer = options.mailSender ?? createMailSender(ctx.config)
  const random = options.random ?? Math.random
  // Leases are judged against the run's clock as it advances: a long batch reaches its
  // last rows well after `now`, and other workers judge the lease by their own later clock.
  const started = Date.now()
  const clock = () => new Date(options.now.getTime() + (Date.now() - started))
  try {
    for (const row of rows) {
      if (!(await renewLease(ctx.db, row.id, { now: clock(), workerId: options.workerId, leaseMs }))) {
        report.lost++
        continue
      }
      // Only the lease holder may settle the row: if our lease ran out and another worker
      // took the row, its outcome wins.
      const mine = (db: Db) =>
        db.updateTable('outbox_messages').where('id', '=', row.id).where('locked_by', '=', options.workerId)
      try {
        await sendRow(ctx, row, mailer, options)
        await mine(ctx.db)
          .set({
            status: 'sent',
            sent_at: options.now.toISOString(),
            locked_by: null,
            locked_until: null,
            last_error: null,
          })
          .execute()
        report.sent++
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000)
        const plan =
          error instanceof PermanentDeliveryError
            ? { retry: false as const }
            : planRetry(row.attempts, random())
        if (plan.retry) {
          const next = new Date(options.now.getTime() + plan.delayMs).toISOString()
          await mine(ctx.db)
            .set({ next_attempt_at: next, locked_by: null, locked_until: null, last_error: message })
            .execute()
          report.retried++
        } else {
          await mine(ctx.db)
            .set({ status: 'failed', locked_by: null, locked_until: null, last_error: message })
            .execute()
          report.failed++
        }
      }
    }
  } finally {
    if (!options.mailSender) mailer.close()
  }
  return report
}

export interface OutboxWorkerOptions {
  intervalMs: number
  workerId?: string
  batchSize?: number
  onError?: (error: unknown) => void
}

/**
 * Runs `deliverDueMessages` every `intervalMs` (and again at once while batches come back
 * full). Returns a stop function that waits for the running batch to finish.
 */
export function startOutboxWorker(
  ctx: DeliveryContext & Pick<AppContext, 'now'>,
  options: OutboxWorkerOptions,
): () => Promise<void> {
  const workerId = options.workerId ?? `worker-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
  const batchSize = options.batchSize ?? 20
  const mailSender = createMailSender(ctx.config)
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()

  const tick = async (): Promise<void> => {
    if (stopped) return
    let full = false
    try {
      const report = await deliverDueMessages(ctx, { now: ctx.now(), workerId, batchSize, mailSender })
      full = report.claimed === batchSize
    } catch (error) {
      options.onError?.(error)
    }
    if (!stopped) timer = setTimeout(schedule, full ? 0 : options.intervalMs)
  }
  const schedule = () => {
    running = tick()
  }
  timer = setTimeout(schedule, 0)
  return async () => {
    stopped = true
    if (timer) clearTimeout(timer)
    await running
    mailSender.close()
  }
}
