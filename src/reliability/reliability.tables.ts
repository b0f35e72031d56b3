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
  /** When managers were e-mailed about it (migration 0903); null for flags raised before. */
  notified_at?: string | null
}

/** A claim imported from a seller's earlier system, by its natural key (serial, day, problem kind). */
export interface ClaimImportsTable {
  /** SHA-256 of serial, claimedOn and problemKind. */
  import_key: string
  claim_id: string
  /** The rest of the row as imported (fault, remedy, costs): equal content means nothing to change. */
  content: string
  file_name: string
  imported_by: string
  imported_at: string
  updated_at: string
}

export interface ReliabilityTables {
  reliability_flags: ReliabilityFlagsTable
  claim_imports: ClaimImportsTable
}
