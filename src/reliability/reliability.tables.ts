/**
 * Tables owned by the reliability feature. Conventions of src/db/schema.ts: text ids,
 * ISO timestamps as text.
 */

/** An early warning raised once: the unique key keeps a month's flag from notifying twice. */
export interface ReliabilityFlagsTable {
  id: string
  model_id: string
  /** `model` or `batch`. */
  scope: string
  /** The batch code, or the model id for a model-wide flag. */
  key: string
  /** `YYYY-MM`. */
  month: string
  /** `caution` or `critical`. */
  level: string
  observed: number
  expected: number
  p_value: number
  threshold: number
  reference: string
  raised_at: string
}

export interface ReliabilityTables {
  reliability_flags: ReliabilityFlagsTable
}
