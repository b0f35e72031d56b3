import crypto from 'node:crypto'
import { enqueueWebhookEvent } from '../notify/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { buildReliabilityReport } from './build-reliability-report.ts'

export interface RaisedFlags {
  models: number
  warnings: number
  /** Flags new this time, each notified once. */
  raised: number
}

/**
 * The monthly early-warning sweep: analyses every model with units, records each warning
 * once (a unique key per model, scope, batch, month and level) and, for a new one only,
 * writes a `reliability.warning` event to the outbox in the same transaction, so a rerun
 * or a second instance never notifies twice.
 */
export async function raiseReliabilityFlags(ctx: AppContext, asOf: string): Promise<RaisedFlags> {
  const models = (await ctx.db.selectFrom('units').select('model_id').distinct().execute()).map(
    (r) => r.model_id,
  )
  let warnings = 0
  let raised = 0
  for (const modelId of models) {
    const report = await buildReliabilityReport(ctx, { model: modelId, asOf })
    warnings += report.warnings.length
    const now = ctx.now()
    for (const w of report.warnings) {
      const isNew = await ctx.db.transaction().execute(async (trx) => {
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
          })
          .onConflict((oc) => oc.columns(['model_id', 'scope', 'key', 'month', 'level']).doNothing())
          .executeTakeFirst()
        if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false
        await enqueueWebhookEvent(
          trx,
          {
            type: 'reliability.warning',
            data: { model: { id: modelId, name: report.scope.model?.name ?? modelId }, asOf, ...w },
          },
          { now },
        )
        return true
      })
      if (isNew) raised += 1
    }
  }
  return { models: models.length, warnings, raised }
}
