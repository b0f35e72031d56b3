import { sql } from 'kysely'
import { costLineSpent } from '../claims/index.ts'
import type { CHANNELS } from '../contracts/vocabulary.ts'
import type { Db, Engine } from '../db/database.ts'
import { normalizeModelKey, soldThrough } from '../registry/index.ts'

/**
 * Reads of the reliability report. Units are never read one by one: the database counts
 * them by warranty start day and batch (a few thousand rows for a million units), and only
 * the claims of the model come back row by row, with the two JSON fields needed extracted
 * by the database.
 */

export interface UnitScope {
  modelId?: string | undefined
  batch?: string | undefined
  dealer?: string | undefined
  policy?: string | undefined
}

/**
 * The channel a unit was sold through as the report reads it: a dealer sale only the buyer
 * states, not yet confirmed by the dealer, is the seller's own (as its claims are judged,
 * `warrantyFactsForUnit`), counted neither under the dealer nor as a dealer sale.
 */
const effectiveChannel = sql<
  (typeof CHANNELS)[number]
>`(case when ${sql.ref('units.dealer_confirmed')} = 0 then 'direct' else ${sql.ref('units.channel')} end)`

/** The unit columns a policy's warranty start event and its fallbacks read, in order. */
export type StartColumn = 'purchased_on' | 'shipped_on' | 'delivered_on' | 'activated_on'

/** A model by id, or by a name or alias written any way the unit import takes it. */
export async function findModel(
  db: Db,
  ref: string,
): Promise<{ id: string; name: string; warrantyTerm: string | null } | undefined> {
  const key = normalizeModelKey(ref)
  const row = await db
    .selectFrom('product_models')
    .select(['id', 'name', 'warranty_term'])
    .where((eb) =>
      eb.or([
        eb('id', '=', ref),
        eb('model_key', '=', key),
        eb('id', 'in', eb.selectFrom('model_aliases').select('model_id').where('alias_key', '=', key)),
      ]),
    )
    // The id first, then the name, then an alias, as the unit import looks them up.
    .orderBy((eb) => eb.case().when('id', '=', ref).then(0).when('model_key', '=', key).then(1).else(2).end())
    .orderBy('id')
    .executeTakeFirst()
  return row ? { id: row.id, name: row.name, warrantyTerm: row.warranty_term } : undefined
}

/** Distinct policies of the units in scope: each has its own start event and term. */
export async function listUnitPolicies(db: Db, scope: UnitScope): Promise<string[]> {
  let query = db.selectFrom('units').select('policy_id').distinct()
  if (scope.modelId) query = query.where('model_id', '=', scope.modelId)
  if (scope.batch) query = query.where('batch', '=', scope.batch)
  if (scope.dealer) query = query.where(soldThrough('units', scope.dealer))
  if (scope.policy) query = query.where('policy_id', '=', scope.policy)
  const rows = await query.execute()
  return rows.map((r) => r.policy_id)
}

/** What the report needs of every model: the facts a coverage clause may ask of it, and its own term. */
export interface ModelFacts {
  id: string
  category: string
  part: string
  brand: string
  warrantyTerm: string | null
}

export async function listModelFacts(db: Db): Promise<ModelFacts[]> {
  const rows = await db
    .selectFrom('product_models')
    .select(['id', 'category', 'part_kind', 'brand_relation', 'warranty_term'])
    .execute()
  return rows.map((r) => ({
    id: r.id,
    category: r.category,
    part: r.part_kind,
    brand: r.brand_relation,
    warrantyTerm: r.warranty_term,
  }))
}

/** Units of some models, sold through one channel or any. */
export interface UnitSelection {
  modelIds: readonly string[]
  channel?: (typeof CHANNELS)[number] | undefined
}

export interface CohortRow {
  startDate: string | null
  /** The column the start date came from (the first of the given columns that is set). */
  startColumn: StartColumn | null
  batch: string | null
  modelId: string
  units: number
}

/**
 * Units of one policy counted by warranty start day, batch and model. The start is the
 * first of the given columns that is set, named with the column it came from (a fallback
 * may start the warranty otherwise than the first event); units with none, or when no
 * column is given, come back with a null start. `only` narrows to some models (the model id
 * leads the covering index) and a channel (read from the table: rare, and only when asked).
 */
export async function countUnitsByStart(
  db: Db,
  scope: UnitScope,
  policyId: string,
  columns: readonly StartColumn[],
  only?: UnitSelection,
): Promise<CohortRow[]> {
  const refs = columns.map((c) => sql.ref(`units.${c}`))
  // SQLite's coalesce wants at least two arguments.
  const start =
    refs.length === 0
      ? sql<string | null>`null`
      : refs.length === 1
        ? sql<string | null>`${refs[0]}`
        : sql<string | null>`coalesce(${sql.join(refs)})`
  const source =
    columns.length === 0
      ? sql<StartColumn | null>`null`
      : sql<StartColumn | null>`case ${sql.join(
          columns.map((c) => sql`when ${sql.ref(`units.${c}`)} is not null then ${sql.lit(c)}`),
          sql` `,
        )} else null end`
  let query = db
    .selectFrom('units')
    .select((eb) => [
      start.as('start_date'),
      source.as('start_column'),
      'units.batch as batch',
      'units.model_id as model_id',
      eb.fn.countAll<number>().as('units'),
    ])
    .where('units.policy_id', '=', policyId)
  if (scope.modelId) query = query.where('units.model_id', '=', scope.modelId)
  if (scope.batch) query = query.where('units.batch', '=', scope.batch)
  if (scope.dealer) query = query.where(soldThrough('units', scope.dealer))
  if (only) {
    if (only.modelIds.length === 0) return []
    query = query.where('units.model_id', 'in', only.modelIds)
    if (only.channel) query = query.where(effectiveChannel, '=', only.channel)
  }
  // PostgreSQL refuses a constant among the grouping terms: without columns there is no start to group by.
  const grouping = columns.length === 0 ? [] : [start, source]
  const rows = await query.groupBy([...grouping, 'units.batch', 'units.model_id']).execute()
  return rows.map((r) => ({
    startDate: r.start_date,
    startColumn: r.start_column,
    batch: r.batch,
    modelId: r.model_id,
    units: Number(r.units),
  }))
}

export interface ClaimFactRow {
  id: string
  serial: string
  openedAt: string
  /** The policy the claim was opened under: its zone dates the claim. */
  claimPolicyId: string
  claimPolicyVersion: string | null
  state: string
  outcome: string | null
  problemKind: string | null
  covered: boolean | null
  faultConfirmed: boolean | null
  policyId: string
  batch: string | null
  modelId: string
  channel: (typeof CHANNELS)[number]
  purchasedOn: string | null
  shippedOn: string | null
  deliveredOn: string | null
  activatedOn: string | null
}

/** The JSON fields the failure definition needs, extracted where the data lives. */
function jsonText(engine: Engine, column: 'claims.case_json' | 'claims.final_decision', path: string[]) {
  if (engine === 'postgres') {
    return sql<string | null>`(${sql.ref(column)})::json #>> ${sql.lit(`{${path.join(',')}}`)}`
  }
  return sql<string | number | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${path.join('.')}`)})`
}

/** Every claim on a unit in scope, with the facts that decide whether it is a failure. */
export async function readClaimFacts(db: Db, engine: Engine, scope: UnitScope): Promise<ClaimFactRow[]> {
  let query = db
    .selectFrom('claims')
    .innerJoin('units', 'units.serial', 'claims.serial')
    .select([
      'claims.id as id',
      'claims.serial as serial',
      'claims.opened_at as openedAt',
      'claims.policy_id as claimPolicyId',
      'claims.policy_version as claimPolicyVersion',
      'claims.state as state',
      'claims.outcome as outcome',
      jsonText(engine, 'claims.case_json', ['problem', 'kind']).as('problemKind'),
      jsonText(engine, 'claims.final_decision', ['covered']).as('covered'),
      jsonText(engine, 'claims.final_decision', ['faultConfirmed']).as('faultConfirmed'),
      'units.policy_id as policyId',
      'units.batch as batch',
      'units.model_id as modelId',
      effectiveChannel.as('channel'),
      'units.purchased_on as purchasedOn',
      'units.shipped_on as shippedOn',
      'units.delivered_on as deliveredOn',
      'units.activated_on as activatedOn',
    ])
  if (scope.modelId) query = query.where('units.model_id', '=', scope.modelId)
  if (scope.batch) query = query.where('units.batch', '=', scope.batch)
  if (scope.dealer) query = query.where(soldThrough('units', scope.dealer))
  if (scope.policy) query = query.where('units.policy_id', '=', scope.policy)
  const rows = await query.execute()
  return rows.map((r) => ({
    ...r,
    problemKind: r.problemKind === null ? null : String(r.problemKind),
    // SQLite answers JSON true as 1; PostgreSQL's #>> answers the text 'true'.
    covered: r.covered === null ? null : r.covered === 1 || r.covered === 'true' || r.covered === '1',
    faultConfirmed:
      r.faultConfirmed === null
        ? null
        : r.faultConfirmed === 1 || r.faultConfirmed === 'true' || r.faultConfirmed === '1',
  }))
}

export interface CostRow {
  currency: string
  payer: string
  amount: number
  claims: number
}

/**
 * Cost of the given claims by currency and payer, and how many of them had any cost in any
 * currency. Only the lines spent count (`costLineSpent`), as in the warranty cost report: a
 * quote's lines before the customer accepted it were never spent.
 */
export async function sumCostsOfClaims(
  db: Db,
  claimIds: readonly string[],
): Promise<{ rows: CostRow[]; claimsWithCost: number }> {
  const totals = new Map<string, CostRow>()
  const claimsPerCurrency = new Map<string, Set<string>>()
  const costed = new Set<string>()
  for (let i = 0; i < claimIds.length; i += 500) {
    const chunk = claimIds.slice(i, i + 500)
    const rows = await db
      .selectFrom('claim_cost_lines')
      .select((eb) => [
        'claim_cost_lines.claim_id as claimId',
        'claim_cost_lines.currency as currency',
        'claim_cost_lines.payer as payer',
        eb.fn
          .sum<number>(
            eb(eb.ref('claim_cost_lines.quantity'), '*', eb.ref('claim_cost_lines.unit_price_minor')),
          )
          .as('amount'),
      ])
      .where('claim_cost_lines.claim_id', 'in', chunk)
      .where(costLineSpent)
      .groupBy(['claim_cost_lines.claim_id', 'claim_cost_lines.currency', 'claim_cost_lines.payer'])
      .execute()
    for (const r of rows) {
      const key = `${r.currency}|${r.payer}`
      const entry = totals.get(key) ?? { currency: r.currency, payer: r.payer, amount: 0, claims: 0 }
      entry.amount += Number(r.amount)
      totals.set(key, entry)
      const set = claimsPerCurrency.get(r.currency) ?? new Set<string>()
      set.add(r.claimId)
      claimsPerCurrency.set(r.currency, set)
      costed.add(r.claimId)
    }
  }
  return {
    rows: [...totals.values()].map((t) => ({ ...t, claims: claimsPerCurrency.get(t.currency)?.size ?? 0 })),
    claimsWithCost: costed.size,
  }
}
