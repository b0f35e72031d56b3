import type { Db } from '../db/database.ts'

/**
 * The early warnings raised so far, newest month first, for the dashboard: each with its
 * model's name and the evidence it was raised on.
 */
export async function listReliabilityFlags(db: Db, options: { sinceMonth: string; limit: number }) {
  const rows = await db
    .selectFrom('reliability_flags as f')
    .innerJoin('product_models as m', 'm.id', 'f.model_id')
    .select([
      'f.id',
      'f.model_id',
      'm.name as model_name',
      'f.scope',
      'f.key',
      'f.month',
      'f.level',
      'f.observed',
      'f.expected',
      'f.p_value',
      'f.raised_at',
    ])
    .where('f.month', '>=', options.sinceMonth)
    .orderBy('f.month', 'desc')
    .orderBy('f.level', 'desc')
    .orderBy('m.name')
    .limit(options.limit)
    .execute()
  return rows.map((row) => ({
    id: row.id,
    model: { id: row.model_id, name: row.model_name },
    scope: row.scope === 'batch' ? ('batch' as const) : ('model' as const),
    batch: row.scope === 'batch' ? row.key : null,
    month: row.month,
    level: row.level === 'critical' ? ('critical' as const) : ('caution' as const),
    observed: Number(row.observed),
    expected: Number(row.expected),
    pValue: Number(row.p_value),
    raisedAt: row.raised_at,
  }))
}
