import type { ColumnType } from 'kysely'

/**
 * Tables owned by the registry feature. Conventions of src/db/schema.ts: text ids,
 * ISO timestamps and YYYY-MM-DD dates as text, booleans as integer 0/1, JSON as text.
 */

/** `seller`: a brand or shop whose policy ships; `dealer`/`agent`: resells; `maker`: makes an agent brand. */
export type OrganisationKind = 'seller' | 'dealer' | 'agent' | 'maker'

export interface OrganisationsTable {
  id: string
  kind: OrganisationKind
  name: string
  /** Lower-cased name without spaces and hyphens, for matching a dealer named in a CSV row. */
  name_key: string
  /** ISO 3166-1 alpha-2. */
  country: string
  email: string
  phone: string | null
  /** Where units are sent for service (JSON `{line1, line2?, city, postcode?, region?, country}`). */
  service_address: string | null
  /** Policy applied to sales of this brand when a row names none. */
  default_policy_id: string | null
  /** For a maker: the seller that sells its products as agent (seed 002: own and agent products). */
  agent_org_id: string | null
  /**
   * 0 once staff deactivated it (migration 0198): its users are refused and it cannot be named
   * on a new sale or claim, while everything on file keeps naming it.
   */
  active: ColumnType<number, number | undefined, number>
  /** When and by which user it was last deactivated; null while active. */
  deactivated_at: ColumnType<string | null, string | null | undefined, string | null>
  deactivated_by_user_id: ColumnType<string | null, string | null | undefined, string | null>
  created_at: string
  updated_at: string
}

export interface CustomersTable {
  id: string
  name: string
  /** Stored lower-cased; unique. */
  email: string
  phone: string | null
  /** JSON address or null. */
  address: string | null
  locale: 'en' | 'zh'
  /** When the person, or staff on their word, chose `locale`; null while it is only the default. */
  locale_chosen_at: string | null
  /**
   * When `locale` was last taken from what the customer did without choosing it (migration
   * 0197); null while it is only the default. A choice outranks it.
   */
  locale_guessed_at?: string | null
  created_at: string
  updated_at: string
}

export type PartKindColumn = 'host' | 'main-accessory' | 'accessory' | 'consumable'

export interface ProductModelsTable {
  id: string
  name: string
  /** Lower-cased name without spaces and hyphens: `Ares-M PRO` and `ares-mpro` are one model. */
  model_key: string
  brand_org_id: string
  /** `own` or `agent`: whether the selling brand handles it as its own product or as agent of the maker. */
  brand_relation: 'own' | 'agent'
  category: string
  part_kind: PartKindColumn
  /** ISO 8601 duration when the model has its own term (seed 002: "products with clear warranty period"). */
  warranty_term: string | null
  description: string | null
  /** The description in Chinese, where the catalogue gives one. */
  description_zh: string | null
  /** JSON object of named specifications (sensor, format, pixel size …). */
  specifications: string
  /** JSON array of the standard package contents. */
  package_contents: string
  /** JSON: compatible accessory model names by role and the recommended filter size (seed 004 table). */
  compatibility: string
  created_at: string
  updated_at: string
}

export interface UnitsTable {
  /** The serial as printed on the unit; the primary key. */
  serial: string
  model_id: string
  batch: string | null
  channel: 'direct' | 'dealer'
  dealer_org_id: string | null
  /** The org whose policy governs this sale (the brand, the retailer or the agent). */
  seller_org_id: string | null
  shipped_by: 'vendor' | 'dealer' | null
  purchased_on: string | null
  shipped_on: string | null
  delivered_on: string | null
  activated_on: string | null
  owner_customer_id: string | null
  second_hand: number
  proof_of_purchase: number
  warranty_card: number
  replaced_by_serial: string | null
  policy_id: string
  /** The policy version in force on the purchase date, fixed at sale time. */
  policy_version: string
  created_at: string
  updated_at: string
}

export interface ProofsOfPurchaseTable {
  id: string
  serial: string
  /** The stored bytes belong to the files feature. */
  file_id: string
  kind: 'invoice' | 'receipt' | 'warranty-card' | 'other'
  document_number: string | null
  issued_on: string | null
  added_by_user_id: string | null
  created_at: string
}

/** What staff found of a unit's proof of purchase (migration 0199). */
export type UnitProofStatus = 'offered' | 'accepted' | 'refused'

export interface ProofsOfPurchaseTable {
  /** `offered`: a customer filed it with their own registration and staff have not weighed it. */
  status: ColumnType<UnitProofStatus, UnitProofStatus | undefined, UnitProofStatus>
  /** Who accepted or refused it; for a proof filed as accepted, who filed it. */
  weighed_by_user_id: ColumnType<string | null, string | null | undefined, string | null>
  weighed_at: ColumnType<string | null, string | null | undefined, string | null>
  /** Why staff refused it, as the customer is told. */
  refusal_reason: ColumnType<string | null, string | null | undefined, string | null>
}

export interface OwnershipTransfersTable {
  id: string
  serial: string
  from_customer_id: string | null
  to_customer_id: string
  transferred_on: string
  recorded_by_user_id: string | null
  created_at: string
}

export interface RegistryTables {
  organisations: OrganisationsTable
  customers: CustomersTable
  product_models: ProductModelsTable
  units: UnitsTable
  proofs_of_purchase: ProofsOfPurchaseTable
  ownership_transfers: OwnershipTransfersTable
  unit_ownership_offers: UnitOwnershipOffersTable
}

/**
 * A unit a seller recorded as sold to this customer, or its owner as sold on second hand,
 * waiting for the customer to accept it.
 */
export interface UnitOwnershipOffersTable {
  serial: string
  customer_id: string
  offered_by_user_id: string
  offered_at: string
  /** The owner selling it on, for a second-hand sale; null for a seller's first sale. */
  from_customer_id: string | null
  /** The day of the second-hand sale the owner stated; null for a seller's first sale. */
  transferred_on: string | null
}

/** One CSV import started over HTTP; counters are rewritten as the job goes. */
export interface ImportJobsTable {
  id: string
  kind: 'units' | 'claims' | 'models'
  status: 'running' | 'done' | 'failed'
  file_name: string
  /** Data rows in the uploaded file, counted while it was stored. */
  total_rows: number | null
  processed: number
  imported: number
  unchanged: number
  rejected: number
  /** JSON: the first rejected rows as `{ line, field, message }`. */
  errors: string
  started_by: string
  started_at: string
  updated_at: string
  finished_at: string | null
}

// Declaration merging keeps this addition append-only.
export interface RegistryTables {
  import_jobs: ImportJobsTable
  registry_version: RegistryVersionTable
}

/** One row (id 1); triggers bump `version` with every write to units, models and organisations. */
export interface RegistryVersionTable {
  id: number
  version: number
}

/** Catalogue columns added for the seller's own model import (migration 0131). */
export interface ProductModelsTable {
  /** The policy this model's sales follow when a unit row names none; null: its brand's. */
  policy_id: string | null
  /** JSON array of other names the model is known by (matched like the name). */
  aliases: ColumnType<string, string | undefined, string>
  /** JSON array of the self-checks a customer is guided through for this model. */
  self_checks: ColumnType<string, string | undefined, string>
}

/** Other names of a model, by the same matching key as `product_models.model_key`. */
export interface ModelAliasesTable {
  alias_key: string
  model_id: string
  created_at: string
}

export interface RegistryTables {
  model_aliases: ModelAliasesTable
}

/** A customer's saved address (migration 0132). */
export interface CustomerAddressesTable {
  id: string
  customer_id: string
  name: string
  street: string
  line2: string | null
  city: string
  region: string | null
  postal_code: string | null
  /** ISO 3166-1 alpha-2. */
  country: string
  phone: string | null
  created_at: string
  updated_at: string
}

export interface RegistryTables {
  customer_addresses: CustomerAddressesTable
}

/** Whether a unit's dealer sale is confirmed (migration 0195). */
export interface UnitsTable {
  /**
   * 1 unless a customer named the dealer and neither the dealer nor the seller's staff
   * has confirmed it yet; a dealer sees nothing of a unit whose sale to it is unconfirmed.
   */
  dealer_confirmed: ColumnType<number, number | undefined, number>
}

/** A dealer's (or staff's) answer to a sale a customer said the dealer made. */
export interface DealerSaleAnswersTable {
  id: string
  serial: string
  dealer_org_id: string
  answer: 'confirmed' | 'refused'
  answered_by_user_id: string | null
  answered_by_role: string
  answered_at: string
}

export interface RegistryTables {
  dealer_sale_answers: DealerSaleAnswersTable
}
