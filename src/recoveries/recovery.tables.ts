/**
 * Tables owned by the recoveries feature. Conventions of src/db/schema.ts: text ids, ISO
 * timestamps and dates as text, booleans 0/1, JSON as text, money as integer minor units.
 */
export interface RecoveryClaimsTable {
  id: string
  /** Terms, creditor, debtor, currency and month of the work: the lines that go together. */
  group_key: string
  /** A group whose draft was submitted starts a new batch for later lines. */
  batch: number
  terms_id: string
  terms_version: string
  creditor_org_id: string
  debtor_org_id: string
  currency: string
  /** YYYY-MM of the work the lines pay for. */
  period: string
  state: string
  part_state: string
  return_part: number
  /** The earliest submission deadline of its lines (YYYY-MM-DD). */
  deadline: string
  late: number
  submitted_at: string | null
  answered_at: string | null
  paid_minor: number
  paid_on: string | null
  paid_reference: string | null
  written_off_minor: number
  version: number
  chain_seq: number
  chain_hash: string
  created_at: string
  updated_at: string
}

export interface RecoveryLinesTable {
  id: string
  recovery_id: string
  /** Claim, terms, clause and cost: unique, so a second derivation inserts nothing. */
  line_key: string
  claim_id: string
  kind: string
  leg: string | null
  clause: string
  /** What the line pays for, in English, as the derivation wrote it. */
  description: string
  /**
   * The same as a catalogue message, `{key, params}` (JSON), worded in each reader's language;
   * null for lines filed before migration 0803, which show `description` to every reader.
   */
  description_message_json: string | null
  amount_minor: number
  /** Set when a cap cut the line (to nothing, or to less): what it would have been, and which cap. */
  capped_from_minor: number | null
  cap_reason_code: string | null
  repair_code: string | null
  work_on: string
  deadline: string
  /** `{costLineIds, eventSeqs}` of the claim (JSON). */
  evidence_json: string
  /** `{policy, basis, payer}` of the warranty decision (JSON). */
  decision_json: string
  /** Set by the debtor's answer: what it accepts of the line, and why not all. */
  accepted_minor: number | null
  reason_code: string | null
  created_at: string
}

/** Append-only, hash-chained history of each recovery claim, as the claims history. */
export interface RecoveryEventsTable {
  recovery_id: string
  seq: number
  type: string
  at: string
  actor_id: string
  actor_role: string
  actor_name: string
  data: string
  prev_hash: string
  hash: string
}

/** The last derivation per claim: what it yielded, or why nothing. */
export interface RecoveryOutcomesTable {
  claim_id: string
  outcome: string
  reasons_json: string
  line_count: number
  derived_at: string
}

export interface RecoveryTables {
  recovery_claims: RecoveryClaimsTable
  recovery_lines: RecoveryLinesTable
  recovery_events: RecoveryEventsTable
  recovery_outcomes: RecoveryOutcomesTable
}
