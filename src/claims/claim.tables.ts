import type { Generated } from 'kysely'

/**
 * Tables owned by the claims feature. Conventions of src/db/schema.ts: text ids, ISO
 * timestamps as text, JSON documents as text, money as integer minor units.
 */
export interface ClaimsTable {
  id: string
  state: string
  /** The state `info.provided` returns to while the claim awaits information. */
  resume_state: string | null
  /** Optimistic concurrency: bumped by every change of the case, answered as the ETag. */
  version: number
  policy_id: string
  policy_version: string | null
  currency: string
  brand: string
  unit_id: string | null
  serial: string
  model: string | null
  category: string | null
  customer_id: string | null
  /** The dealer organisation of the unit: its users see and serve the claim. */
  dealer_org_id: string | null
  opened_by: string
  opened_by_role: string
  /** The adjudication case (contract shape, without inspection), JSON. */
  case_json: string
  problem_description: string
  preference: string | null
  provisional_decision: string | null
  final_decision: string | null
  inspection: string | null
  rma_number: string | null
  /** Ship-to, freight payer, items to include, service mode (JSON). */
  rma_json: string | null
  quote_json: string | null
  replacement_serial: string | null
  return_carrier: string | null
  return_tracking: string | null
  outcome: string | null
  opened_at: string
  updated_at: string
  closed_at: string | null
  /**
   * Head of the history chain: seq and hash of the last event, written with every append
   * so the next one needs no read of the history. Null only on rows written before
   * migration 0402 or by bulk paths; appending then reads the last event instead.
   */
  chain_seq?: number | null
  chain_hash?: string | null
  /**
   * The decisions without their traces, as claim lists show them, and the claim version
   * they were written at (migration 0498). A list reads them only while that is still the
   * claim's version; rows written otherwise (bulk paths, before 0498) are read whole.
   */
  provisional_summary?: string | null
  final_summary?: string | null
  summaries_version?: number | null
  /** The staff member working the case (migration 0460); null while unassigned. */
  assigned_to?: string | null
  assigned_name?: string | null
}

/** Append-only, hash-chained history: hash = SHA-256(prev_hash + canonical JSON of the event). */
export interface ClaimEventsTable {
  claim_id: string
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

export interface ClaimCostLinesTable {
  id: string
  claim_id: string
  quote_id: string | null
  kind: string
  description: string
  quantity: number
  unit_price_minor: number
  currency: string
  payer: string
  created_at: string
  /**
   * Where the line stood among the lines written with it (migration 0496): lines of one quote
   * share their `created_at`, and read in this order they come back in the order given.
   * Lines written before keep 0, and their order by id.
   */
  position: Generated<number>
}

export interface ClaimQuotesTable {
  id: string
  claim_id: string
  status: string
  currency: string
  total_minor: number
  customer_minor: number
  /** Per-party amounts absorbed by vendor, dealer, manufacturer (JSON). */
  absorbed_json: string
  paid_minor: number
  note: string | null
  sent_at: string
  responded_at: string | null
  /** YYYY-MM-DD; null on quotes sent before it was stored. */
  valid_until: string | null
  /** When the customer was reminded that the quote's last day was near; null until then. */
  reminded_at: string | null
}

export interface ClaimPaymentsTable {
  id: string
  claim_id: string
  quote_id: string
  amount_minor: number
  currency: string
  reference: string | null
  recorded_by: string
  recorded_at: string
  paid_on: string | null
  note: string | null
  proof_file_id: string | null
}

export interface ClaimMessagesTable {
  id: string
  claim_id: string
  author_id: string
  author_role: string
  author_name: string
  body: string
  posted_at: string
  /** `parties`: everyone on the case; `internal`: staff only (migration 0460). */
  visibility?: 'parties' | 'internal'
  /** `message`, `info-request` or `info-reply`. */
  kind?: 'message' | 'info-request' | 'info-reply'
  /** `web` or `email`. */
  via?: 'web' | 'email'
  /** JSON array of file ids attached to the message. */
  file_ids?: string
}

/** One row per (actor, key): a repeated create answers the stored response. */
export interface ClaimIdempotencyTable {
  actor_id: string
  idem_key: string
  claim_id: string
  response: string
  created_at: string
  /** SHA-256 of the request body the key first came with; null for keys stored before it was kept. */
  request_hash: string | null
}

export interface RmaCountersTable {
  year: string
  last: number
}

export interface ClaimTables {
  claims: ClaimsTable
  claim_events: ClaimEventsTable
  claim_cost_lines: ClaimCostLinesTable
  claim_quotes: ClaimQuotesTable
  claim_payments: ClaimPaymentsTable
  claim_messages: ClaimMessagesTable
  claim_idempotency: ClaimIdempotencyTable
  rma_counters: RmaCountersTable
}

export type ClaimRow = ClaimsTable

/** A claim's return address (migration 0480): a copy, so later profile edits do not move a parcel. */
export interface ClaimReturnAddressesTable {
  claim_id: string
  /** JSON `PostalAddress`. */
  address_json: string
  /** The profile address it was copied from, if any. */
  saved_address_id: string | null
  updated_by: string
  updated_at: string
}

export interface ClaimTables {
  claim_return_addresses: ClaimReturnAddressesTable
}
