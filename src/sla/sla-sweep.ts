import type { Kysely } from 'kysely'
import { claimNumberOf } from '../contracts/claim-number.ts'
import type { Database } from '../db/schema.ts'
import { enqueueEmail, enqueueWebhookEvent, SLA_CLOCKS } from '../notify/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import type { ClockRow } from './clock.store.ts'

export const SLA_WARNING_TEMPLATE = 'sla.warning'
export const SLA_BREACHED_TEMPLATE = 'sla.breached'
export const SLA_BREACHED_EVENT = 'sla.breached'

export interface SweepOptions {
  now: Date
  /** Rows taken per transaction. */
  batchSize?: number
  /** Upper bound on batches per phase, so one sweep always ends; the next picks up the rest. */
  maxBatches?: number
}

export interface SweepResult {
  warned: number
  breached: number
}

type SweepContext = Pick<AppContext, 'db' | 'engine' | 'config'>

/**
 * Marks due clocks and writes their notifications to the outbox. Each row is marked by a
 * conditional update (`… where breach_notified = 0`) in the transaction that enqueues its
 * messages, and only the sweep whose update changed the row notifies: two instances sweeping
 * at once notify once. On PostgreSQL rows another sweep holds are skipped, not waited for.
 */
export async function runSlaSweep(ctx: SweepContext, options: SweepOptions): Promise<SweepResult> {
  const batchSize = options.batchSize ?? 100
  const maxBatches = options.maxBatches ?? 100
  const now = options.now.toISOString()
  const result: SweepResult = { warned: 0, breached: 0 }
  for (let i = 0; i < maxBatches; i++) {
    const batch = await ctx.db.transaction().execute((trx) => breachBatch(ctx, trx, now, batchSize))
    result.breached += batch.marked
    if (batch.seen < batchSize) break
  }
  for (let i = 0; i < maxBatches; i++) {
    const batch = await ctx.db.transaction().execute((trx) => warnBatch(ctx, trx, now, batchSize))
    result.warned += batch.marked
    if (batch.seen < batchSize) break
  }
  return result
}

async function breachBatch(ctx: SweepContext, trx: Kysely<Database>, now: string, batchSize: number) {
  let query = trx
    .selectFrom('sla_clocks')
    .selectAll()
    .where('status', 'in', ['running', 'breached'])
    // Late once the due moment has passed, not on it: a stop on the due moment is met (judgeStop).
    .where('due_at', '<', now)
    .where('breach_notified', '=', 0)
    .orderBy('due_at')
    .limit(batchSize)
  if (ctx.engine === 'postgres') query = query.forUpdate().skipLocked()
  const rows = await query.execute()
  let marked = 0
  for (const row of rows) {
    // A clock stopped late is already `breached` and keeps its breach time; a running one breaches now.
    const update = await trx
      .updateTable('sla_clocks')
      .set((eb) => ({
        status: 'breached',
        breached_at: eb.fn.coalesce('breached_at', eb.val(now)),
        breach_notified: 1,
        updated_at: now,
      }))
      .where('id', '=', row.id)
      .where('breach_notified', '=', 0)
      .where('status', 'in', ['running', 'breached'])
      .executeTakeFirst()
    if (Number(update.numUpdatedRows) === 0) continue
    marked++
    await notify(ctx, trx, SLA_BREACHED_TEMPLATE, row, now)
    await enqueueWebhookEvent(
      trx,
      {
        type: SLA_BREACHED_EVENT,
        claimId: row.claim_id,
        data: {
          clockId: row.id,
          kind: row.kind,
          clause: row.clause,
          startedAt: row.started_at,
          dueAt: row.due_at,
          breachedAt: row.breached_at ?? now,
        },
      },
      { now: new Date(now) },
    )
  }
  return { seen: rows.length, marked }
}

async function warnBatch(ctx: SweepContext, trx: Kysely<Database>, now: string, batchSize: number) {
  let query = trx
    .selectFrom('sla_clocks')
    .selectAll()
    .where('status', '=', 'running')
    .where('warn_at', '<=', now)
    .where('due_at', '>=', now)
    .where('warning_notified', '=', 0)
    .orderBy('warn_at')
    .limit(batchSize)
  if (ctx.engine === 'postgres') query = query.forUpdate().skipLocked()
  const rows = await query.execute()
  let marked = 0
  for (const row of rows) {
    const update = await trx
      .updateTable('sla_clocks')
      .set({ warned_at: now, warning_notified: 1, updated_at: now })
      .where('id', '=', row.id)
      .where('warning_notified', '=', 0)
      .where('status', '=', 'running')
      .executeTakeFirst()
    if (Number(update.numUpdatedRows) === 0) continue
    marked++
    await notify(ctx, trx, SLA_WARNING_TEMPLATE, row, now)
  }
  return { seen: rows.length, marked }
}

/** The service team's address: the sender address of the configuration, without its display name. */
export function serviceTeamAddress(mailFrom: string): string {
  return /<([^>]+)>/.exec(mailFrom)?.[1]?.trim() ?? mailFrom.trim()
}

async function notify(
  ctx: SweepContext,
  trx: Kysely<Database>,
  template: string,
  row: ClockRow,
  now: string,
) {
  // The e-mail templates know the four clocks of the architecture; a clock kind a policy
  // invents still breaches and reaches webhooks, but has no e-mail wording yet.
  if (!(SLA_CLOCKS as readonly string[]).includes(row.kind)) return
  await enqueueEmail(
    trx,
    {
      to: serviceTeamAddress(ctx.config.mailFrom),
      template,
      locale: 'en',
      claimId: row.claim_id,
      // The deadline is shown at the clock of the zone the clock's calendar counts in.
      // The number staff see on the claim and search the queue by, not its internal id.
      data: {
        claimNumber: claimNumberOf(row.claim_id),
        clock: row.kind,
        dueAt: row.due_at,
        timeZone: row.time_zone,
      },
    },
    { now: new Date(now) },
  )
}

/**
 * Sweeps every `intervalMs` (and once at start) until the returned function is called;
 * that function resolves when a sweep in progress has finished. Sweeps never overlap.
 */
export function startSlaSweeper(
  ctx: SweepContext & Pick<AppContext, 'now'>,
  options: { intervalMs: number; batchSize?: number; onError?: (error: unknown) => void },
): () => Promise<void> {
  const onError = options.onError ?? ((error: unknown) => console.error('SLA sweep failed', error))
  let running: Promise<void> | null = null
  let stopped = false
  const tick = () => {
    if (running || stopped) return
    running = runSlaSweep(ctx, { now: ctx.now(), batchSize: options.batchSize })
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      )
      .finally(() => {
        running = null
      })
  }
  const timer = setInterval(tick, options.intervalMs)
  timer.unref()
  tick()
  return async () => {
    stopped = true
    clearInterval(timer)
    await running
  }
}
