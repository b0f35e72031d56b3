/**
 * Tables of the set-up feature: what a seller configures on its first day and changes
 * later (support hours, payment instructions, letterhead, terms). One row per seller
 * organisation. Conventions of src/db/schema.ts.
 */
export interface SellerSettingsTable {
  org_id: string
  /** Shown to customers and printed on documents, e.g. `Mon–Fri 09:00–18:00`. */
  support_hours: string
  /** `bank-transfer` prints the bank details with the claim number as reference; `payment-link` a URL. */
  payment_method: 'bank-transfer' | 'payment-link'
  /** JSON `{ bankName, accountName, accountNumber, swift? }` or null. */
  bank_details: string | null
  /** A URL; `{claim}` in it is replaced by the claim number. */
  payment_link: string | null
  /** Terms printed at the foot of quotes and repair orders. */
  terms: string
  /** The terms in Chinese, for documents printed in Chinese; null prints `terms`. */
  terms_zh: string | null
  /** Days a quote stays open from the day it is sent. */
  quote_validity_days: number
  /** An uploaded image (files feature) printed at the top of documents, or null. */
  logo_file_id: string | null
  created_at: string
  updated_at: string
}

/**
 * The demo seeding of a first start: one row, written before the demo's first row and marked
 * finished after its last. A row left unfinished (the seeding process killed, or stopped on
 * losing the start lock) tells the next start to seed again, which adds only what is missing.
 * An installation seeded before this table, or set up without the demo, has no row.
 */
export interface DemoSeedTable {
  /** Always 1: there is one demo per installation. */
  id: number
  started_at: string
  finished_at: string | null
}

export interface SetupTables {
  seller_settings: SellerSettingsTable
  demo_seed: DemoSeedTable
}
