import crypto from 'node:crypto'
import type { Db } from '../db/database.ts'
import {
  chosenEmailLocale,
  emailLocaleOfCountry,
  enqueueEmail,
  enqueueWebhookEvent,
} from '../notify/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { refuseLaterThanToday } from '../shared/not-later-than-today.ts'
import { buildReliabilityReport } from './build-reliability-report.ts'
import type { ReliabilityWarning } from './reliability.schemas.ts'

export interface RaisedFlags {
  models: number
  warnings: number
  /** Flags new this time, each notified once. */
  raised: number
  /** Flags whose managers were e-mailed this time (new ones, and older ones no manager had heard of yet). */
  mailed: number
}

interface Manager {
  id: string
  email: string
  /** The language the manager chose in the web app; null until then. */
  locale: string | null
}

async function activeManagers(db: Db): Promise<Manager[]> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'locale'])
    .where('role', '=', 'manager')
    .where('disabled', '=', 0)
    .orderBy('email')
    .execute()
}

/**
 * The language of the warning e-mails for a manager who has not chosen one: Chinese when the
 * seller is in Greater China, else English.
 */
async function managerLocale(db: Db): Promise<'en' | 'zh'> {
  const seller = await db
    .selectFrom('organisations')
    .select('country')
    .where('kind', '=', 'seller')
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst()
  return emailLocaleOfCountry(seller?.country)
}

/**
 * The monthly early-warning sweep: analyses every model with units, records each warning
 * once (a unique key per model, scope, batch, month and level) and, for a new one only,
 * writes a `reliability.warning` event to the outbox in the same transaction. Managers are
 * e-mailed once per flag: the transaction that enqueues their e-mails is the one that sets
 * the flag's `notified_at` from null, so a rerun or a second instance sends nothing new.
 * Without its day each model is as of the day its reliability page is without one, today in
 * its seller's zone, so the flags are the warnings managers see there.
 */
export async function raiseReliabilityFlags(ctx: AppContext, asOf?: string): Promise<RaisedFlags> {
  // Refused before any model is read, so a registry without units refuses it too.
  if (asOf !== undefined) refuseLaterThanToday('asOf', asOf, ctx.now())
  const models = (await ctx.db.selectFrom('units').select('model_id').distinct().execute()).map(
    (r) => r.model_id,
  )
  const managers = await activeManagers(ctx.db)
  const locale = await managerLocale(ctx.db)
  let warnings = 0
  let raised = 0
  let mailed = 0
  for (const modelId of models) {
    const report = await buildReliabilityReport(ctx, { model: modelId, asOf })
    warnings += report.warnings.length
    const modelName = report.scope.model?.name ?? modelId
    const now = ctx.now()
    for (const w of report.warnings) {
      const outcome = await ctx.db.transaction().execute(async (trx) => {
        const result = await trx
          .insertInto('reliability_flags')
          .values({
            id: crypto.randomUUID(),
            model_id: modelId,
            scope: w.scope,
            key: w.key,
            month: w.month,
            level: w.level,
            observed: w.observed,
            expected: w.expected,
            p_value: w.pValue,
            threshold: w.threshold,
            reference: w.reference,
            raised_at: now.toISOString(),
            notified_at: null,
          })
          .onConflict((oc) => oc.columns(['model_id', 'scope', 'key', 'month', 'level']).doNothing())
          .executeTakeFirst()
        const isNew = Number(result.numInsertedOrUpdatedRows ?? 0) > 0
        if (isNew) {
          await enqueueWebhookEvent(
            trx,
            {
              type: 'reliability.warning',
              data: { model: { id: modelId, name: modelName }, asOf: report.scope.asOf, ...w },
            },
            { now },
          )
        }
        const didMail = await mailManagersOnce(trx, managers, locale, { modelId, modelName, warning: w, now })
        return { isNew, didMail }
      })
      if (outcome.isNew) raised += 1
      if (outcome.didMail) mailed += 1
    }
  }
  return { models: models.length, warnings, raised, mailed }
}

/**
 * E-mails every manager about the flag unless that was done before. With no manager yet
 * the flag stays un-notified, so the first manager set up hears of it on the next run.
 */
async function mailManagersOnce(
  trx: Db,
  managers: readonly Manager[],
  sellerLocale: 'en' | 'zh',
  flag: { modelId: string; modelName: string; warning: ReliabilityWarning; now: Date },
): Promise<boolean> {
  if (managers.length === 0) return false
  const w = flag.warning
  const claimed = await trx
    .updateTable('reliability_flags')
    .set({ notified_at: flag.now.toISOString() })
    .where('model_id', '=', flag.modelId)
    .where('scope', '=', w.scope)
    .where('key', '=', w.key)
    .where('month', '=', w.month)
    .where('level', '=', w.level)
    .where('notified_at', 'is', null)
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) === 0) return false
  for (const manager of managers) {
    await enqueueEmail(
      trx,
      {
        to: manager.email,
        person: { userId: manager.id },
        template: 'reliability.warning',
        locale: chosenEmailLocale(manager.locale, sellerLocale),
        data: {
          modelId: flag.modelId,
          modelName: flag.modelName,
          scope: w.scope,
          ...(w.scope === 'batch' ? { batch: w.key } : {}),
          month: w.month,
          level: w.level,
          observed: w.observed,
          expected: w.expected,
          pValue: w.pValue,
          reference: w.reference,
        },
      },
      { now: flag.now },
    )
  }
  return true
}

/**
 * Runs the check every `intervalMs` (first after `firstDelayMs`, so a start stays quick)
 * until the returned function is called. Safe on every instance: flags and their e-mails
 * are claimed by unique keys and conditional updates.
 */
export function startReliabilitySweeper(
  ctx: AppContext,
  options: { intervalMs: number; firstDelayMs: number; onError: (error: unknown) => void },
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve()
  const run = () => {
    running = raiseReliabilityFlags(ctx)
      .then(() => undefined)
      .catch(options.onError)
  }
  const first = setTimeout(run, options.firstDelayMs)
  first.unref()
  const timer = setInterval(run, options.intervalMs)
  timer.unref()
  return async () => {
    clearTimeout(first)
    clearInterval(timer)
    await running
  }
}
