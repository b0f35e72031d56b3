import { type Insertable, type Selectable, type SelectQueryBuilder, sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { type PreparedQuery, preparedQueriesByShape, preparedQuery } from '../db/prepared-query.ts'
import type { Database } from '../db/schema.ts'
import type {
  ClaimCostLinesTable,
  ClaimEventsTable,
  ClaimMessagesTable,
  ClaimPaymentsTable,
  ClaimQuotesTable,
  ClaimsTable,
} from './claim.tables.ts'
import { TERMINAL_STATES } from './domain/claim-lifecycle.ts'

/** Plain queries of the claims feature; the rules live in the operations. */

/** Columns a claim fills in over its life, after it is first written. */
type FilledLater =
  | 'resume_state'
  | 'preference'
  | 'provisional_decision'
  | 'final_decision'
  | 'inspection'
  | 'rma_number'
  | 'rma_json'
  | 'quote_json'
  | 'replacement_serial'
  | 'return_carrier'
  | 'return_tracking'
  | 'outcome'
  | 'closed_at'

/**
 * A claims row as it is first written: what its writer knows (opening, an import of past
 * claims, a test's fixture), and null in every column filled in later that it does not set.
 */
export function newClaimRow(
  known: Omit<ClaimsTable, FilledLater> & Partial<Pick<ClaimsTable, FilledLater>>,
): ClaimsTable {
  return {
    resume_state: null,
    preference: null,
    provisional_decision: null,
    final_decision: null,
    inspection: null,
    rma_number: null,
    rma_json: null,
    quote_json: null,
    replacement_serial: null,
    return_carrier: null,
    return_tracking: null,
    outcome: null,
    closed_at: null,
    ...known,
  }
}

export async function insertClaim(db: Db, row: ClaimsTable): Promise<void> {
  await db.insertInto('claims').values(row).execute()
}

// Every column by name, not `*`, so rows are read as fast objects (see `SplitSqliteDialect`).
const claimById = preparedQuery((db: Db, id: string) =>
  db.selectFrom('claims').select(CLAIM_COLUMNS).where('id', '=', id),
)

export function findClaim(db: Db, id: string): Promise<ClaimsTable | undefined> {
  return claimById.executeTakeFirst(db, id)
}

/**
 * Claims whose id starts with `prefix` (lower-case hex, the digits of a claim number), as
 * many as share it. A range on the key rather than LIKE, which SQLite cannot answer from the
 * primary key's index: ids are hex and dashes, all below `g`.
 */
export async function findClaimsByIdPrefix(db: Db, prefix: string): Promise<ClaimsTable[]> {
  const rows = await claimsByIdPrefix.execute(db, prefix, `${prefix}g`)
  return rows.filter((row) => row.id.startsWith(prefix))
}

const claimsByIdPrefix = preparedQuery((db: Db, from: string, below: string) =>
  db.selectFrom('claims').select(CLAIM_COLUMNS).where('id', '>=', from).where('id', '<', below).limit(50),
)

/** What deciding who may see a claim, and whether it waits for an answer, needs: no documents. */
export type ClaimAccess = Pick<
  ClaimsTable,
  'id' | 'state' | 'version' | 'customer_id' | 'dealer_org_id' | 'policy_id' | 'policy_version'
>

/**
 * The claim's parties, state and version only: a route that reads nothing else of the claim
 * before it answers need not read its documents (two decisions of several kilobytes each).
 */
export function findClaimAccess(db: Db, id: string): Promise<ClaimAccess | undefined> {
  return claimAccessById.executeTakeFirst(db, id)
}

const claimAccessById = preparedQuery((db: Db, id: string) =>
  db
    .selectFrom('claims')
    .select(['id', 'state', 'version', 'customer_id', 'dealer_org_id', 'policy_id', 'policy_version'])
    .where('id', '=', id),
)

/** The claim's parties and decisions: what judges who may see its proofs of payment, and nothing else. */
export function findClaimDecisionAccess(
  db: Db,
  id: string,
): Promise<
  Pick<ClaimsTable, 'customer_id' | 'dealer_org_id' | 'final_decision' | 'provisional_decision'> | undefined
> {
  return claimDecisionAccessById.executeTakeFirst(db, id)
}

const claimDecisionAccessById = preparedQuery((db: Db, id: string) =>
  db
    .selectFrom('claims')
    .select(['customer_id', 'dealer_org_id', 'final_decision', 'provisional_decision'])
    .where('id', '=', id),
)

/**
 * The ids of a unit's open claims, in id order: the order every settlement that tells each of
 * them (a sale confirmed or refused, a proof weighed at the unit) locks them in.
 */
export async function listOpenClaimIdsOfUnit(db: Db, serial: string): Promise<string[]> {
  const rows = await db
    .selectFrom('claims')
    .select('id')
    .where('serial', '=', serial)
    .where('state', 'not in', TERMINAL_STATES)
    .orderBy('id')
    .execute()
  return rows.map((row) => row.id)
}

/** Locks the row on PostgreSQL so concurrent changes of one claim queue up; SQLite writers are serialised anyway. */
export function findClaimForUpdate(db: Db, id: string, lock: boolean): Promise<ClaimsTable | undefined> {
  return (lock ? claimByIdForUpdate : claimById).executeTakeFirst(db, id)
}

const claimByIdForUpdate = preparedQuery((db: Db, id: string) =>
  db.selectFrom('claims').select(CLAIM_COLUMNS).where('id', '=', id).forUpdate(),
)

/** Updates the claim only when it still has the expected version; returns the rows changed (0 or 1). */
export async function updateClaimAtVersion(
  db: Db,
  id: string,
  expectedVersion: number,
  patch: Partial<ClaimsTable>,
): Promise<number> {
  // Undefined leaves a column as it is, as Kysely's `set` does.
  const columns = Object.keys(patch).filter(
    (column) => patch[column as keyof ClaimsTable] !== undefined,
  ) as (keyof ClaimsTable)[]
  return claimUpdateSetting(columns.join()).executeCountingRows(
    db,
    ...columns.map((column) => patch[column]),
    id,
    expectedVersion,
  )
}

/**
 * Every step writes the claim with the columns its events changed: one prepared update per
 * set of columns (a few dozen steps, fewer sets), rather than one built and compiled per step.
 */
const claimUpdateSetting = preparedQueriesByShape((shape) => {
  const columns = shape.split(',') as (keyof ClaimsTable)[]
  return (db: Db, ...values: unknown[]) =>
    db
      .updateTable('claims')
      .set(Object.fromEntries(columns.map((column, i) => [column, values[i]])))
      .where('id', '=', values[columns.length] as string)
      .where('version', '=', values[columns.length + 1] as number)
})

/** Marks the claim as changed without a new version (a message), with the new head of its chain. */
/** Replaces the claim's case: what the claim holds as facts, for its next decision. */
export async function setClaimCase(db: Db, id: string, caseJson: string): Promise<void> {
  await db.updateTable('claims').set({ case_json: caseJson }).where('id', '=', id).execute()
}

export async function touchClaim(
  db: Db,
  id: string,
  at: string,
  head: { chain_seq: number; chain_hash: string },
): Promise<void> {
  await claimTouch.execute(db, id, at, head.chain_seq, head.chain_hash)
}

const claimTouch = preparedQuery((db: Db, id: string, at: string, chainSeq: number, chainHash: string) =>
  db
    .updateTable('claims')
    .set({ updated_at: at, chain_seq: chainSeq, chain_hash: chainHash })
    .where('id', '=', id),
)

export interface ClaimListFilter {
  customerId?: string
  dealerOrgId?: string
  state?: string
  /** Only claims still being worked on (`true`) or only ended ones, closed or cancelled (`false`). */
  open?: boolean
  serial?: string
  limit: number
  /** Claims opened before this instant (the earlier cursor, which loses claims opened in one instant). */
  before?: string
  /** With `cursorId`: claims after this one in the list's order (newest first, then by id). */
  cursorOpenedAt?: string
  cursorId?: string
}

export function listClaims(db: Db, filter: ClaimListFilter): Promise<ClaimsTable[]> {
  return filtered(db.selectFrom('claims').selectAll(), filter).execute()
}

/** Every column of a claim but its decisions and their summaries. */
const LIST_COLUMNS = [
  'id',
  'state',
  'resume_state',
  'version',
  'policy_id',
  'policy_version',
  'currency',
  'brand',
  'unit_id',
  'serial',
  'model',
  'category',
  'customer_id',
  'dealer_org_id',
  'opened_by',
  'opened_by_role',
  'case_json',
  'problem_description',
  'preference',
  'inspection',
  'rma_number',
  'rma_json',
  'quote_json',
  'replacement_serial',
  'return_carrier',
  'return_tracking',
  'outcome',
  'opened_at',
  'updated_at',
  'closed_at',
  'chain_seq',
  'chain_hash',
  'assigned_to',
  'assigned_name',
] as const satisfies readonly (keyof ClaimsTable)[]
type Unlisted = Exclude<
  keyof ClaimsTable,
  | (typeof LIST_COLUMNS)[number]
  | 'provisional_decision'
  | 'final_decision'
  | 'provisional_summary'
  | 'final_summary'
  | 'summaries_version'
>
// A column added to the table and not to the list fails to compile here.
const everyColumnListed: [Unlisted] extends [never] ? true : Unlisted = true
void everyColumnListed

/** Every column of a claim. */
const CLAIM_COLUMNS = [
  ...LIST_COLUMNS,
  'provisional_decision',
  'final_decision',
  'provisional_summary',
  'final_summary',
  'summaries_version',
] as const satisfies readonly (keyof ClaimsTable)[]

/**
 * Claims as a list shows them: the decision columns hold the decisions' summaries (no
 * trace) where the row's summaries were written at its current version, else the decisions
 * whole, for the caller to strip (`claimListJson`). Reading twenty whole decisions cost a
 * page most of its time.
 */
export function listClaimSummaries(db: Db, filter: ClaimListFilter): Promise<ClaimsTable[]> {
  // One prepared query per combination of filters given (at most 32, a handful in use).
  const given = FILTER_KEYS.filter((key) => filter[key] !== undefined)
  // `open` picks the SQL's shape (state in or not in the ended states), so it keys the query itself.
  const { open } = filter
  const shape = `${given.join()}|${open ?? ''}`
  let prepared = summaryQueries.get(shape)
  if (prepared === undefined) {
    prepared = preparedQuery((db: Db, ...values: unknown[]) => {
      const standIns: ClaimListFilter = { limit: values[given.length] as number, open }
      given.forEach((key, i) => {
        standIns[key] = values[i] as string
      })
      return filtered(summariesQuery(db), standIns)
    })
    summaryQueries.set(shape, prepared)
  }
  return prepared.execute(db, ...given.map((key) => filter[key]), filter.limit)
}

const FILTER_KEYS = [
  'customerId',
  'dealerOrgId',
  'state',
  'serial',
  'before',
  'cursorOpenedAt',
  'cursorId',
] as const
const summaryQueries = new Map<string, PreparedQuery<unknown[], ClaimsTable>>()

function summariesQuery(db: Db) {
  return db
    .selectFrom('claims')
    .select(LIST_COLUMNS)
    .select([
      sql<
        string | null
      >`case when summaries_version = version then provisional_summary else provisional_decision end`.as(
        'provisional_decision',
      ),
      sql<string | null>`case when summaries_version = version then final_summary else final_decision end`.as(
        'final_decision',
      ),
    ])
}

function filtered<O>(
  query: SelectQueryBuilder<Database, 'claims', O>,
  filter: ClaimListFilter,
): SelectQueryBuilder<Database, 'claims', O> {
  let q = query
  if (filter.customerId !== undefined) q = q.where('customer_id', '=', filter.customerId)
  if (filter.dealerOrgId !== undefined) q = q.where('dealer_org_id', '=', filter.dealerOrgId)
  if (filter.state !== undefined) q = q.where('state', '=', filter.state)
  if (filter.open !== undefined) q = q.where('state', filter.open ? 'not in' : 'in', TERMINAL_STATES)
  if (filter.serial !== undefined) q = q.where('serial', '=', filter.serial)
  if (filter.before !== undefined) q = q.where('opened_at', '<', filter.before)
  const { cursorOpenedAt: at, cursorId: id } = filter
  if (at !== undefined && id !== undefined)
    q = q.where((eb) =>
      eb.or([eb('opened_at', '<', at), eb.and([eb('opened_at', '=', at), eb('id', '<', id)])]),
    )
  return q.orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(filter.limit)
}

export function findLastEvent(db: Db, claimId: string): Promise<ClaimEventsTable | undefined> {
  return db
    .selectFrom('claim_events')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
}

const eventInsert = preparedQuery(
  (
    db: Db,
    claimId: string,
    seq: number,
    type: string,
    at: string,
    actorId: string,
    actorRole: string,
    actorName: string,
    data: string,
    prevHash: string,
    hash: string,
  ) =>
    db.insertInto('claim_events').values({
      claim_id: claimId,
      seq,
      type,
      at,
      actor_id: actorId,
      actor_role: actorRole,
      actor_name: actorName,
      data,
      prev_hash: prevHash,
      hash,
    }),
)

export async function insertEvent(db: Db, row: ClaimEventsTable): Promise<void> {
  await eventInsert.execute(
    db,
    row.claim_id,
    row.seq,
    row.type,
    row.at,
    row.actor_id,
    row.actor_role,
    row.actor_name,
    row.data,
    row.prev_hash,
    row.hash,
  )
}

export function listEvents(db: Db, claimId: string): Promise<ClaimEventsTable[]> {
  return db.selectFrom('claim_events').selectAll().where('claim_id', '=', claimId).orderBy('seq').execute()
}

/** The events of these claims of the types given, each claim's in order: a page of claims' histories in one query. */
export function listEventsOfTypes(
  db: Db,
  claimIds: readonly string[],
  types: readonly string[],
): Promise<Pick<ClaimEventsTable, 'claim_id' | 'seq' | 'type' | 'data'>[]> {
  return db
    .selectFrom('claim_events')
    .select(['claim_id', 'seq', 'type', 'data'])
    .where('claim_id', 'in', claimIds)
    .where('type', 'in', types)
    .orderBy('claim_id')
    .orderBy('seq')
    .execute()
}

/** When the claim's latest event of this type was recorded, if it has one. */
export async function findLatestEventAt(db: Db, claimId: string, type: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('claim_events')
    .select('at')
    .where('claim_id', '=', claimId)
    .where('type', '=', type)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.at
}

export async function listClaimIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('claims').select('id').orderBy('opened_at').orderBy('id').execute()
  return rows.map((r) => r.id)
}

export async function insertQuote(
  db: Db,
  row: ClaimQuotesTable,
  lines: Insertable<ClaimCostLinesTable>[],
): Promise<void> {
  await db.insertInto('claim_quotes').values(row).execute()
  if (lines.length > 0) await db.insertInto('claim_cost_lines').values(lines).execute()
}

export async function insertCostLines(db: Db, lines: Insertable<ClaimCostLinesTable>[]): Promise<void> {
  if (lines.length > 0) await db.insertInto('claim_cost_lines').values(lines).execute()
}

export function findQuote(db: Db, claimId: string, quoteId: string): Promise<ClaimQuotesTable | undefined> {
  return db
    .selectFrom('claim_quotes')
    .selectAll()
    .where('claim_id', '=', claimId)
    .where('id', '=', quoteId)
    .executeTakeFirst()
}

/** The last day each quote named holds (`valid_until`), with its claim: one read for a page of claims. */
export function listQuoteLastDays(
  db: Db,
  quoteIds: readonly string[],
): Promise<Array<Pick<ClaimQuotesTable, 'id' | 'claim_id' | 'valid_until'>>> {
  return db
    .selectFrom('claim_quotes')
    .select(['id', 'claim_id', 'valid_until'])
    .where('id', 'in', quoteIds)
    .execute()
}

export function listQuotes(db: Db, claimId: string): Promise<ClaimQuotesTable[]> {
  return db
    .selectFrom('claim_quotes')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('sent_at')
    .execute()
}

export function listCostLines(db: Db, claimId: string): Promise<Selectable<ClaimCostLinesTable>[]> {
  return db
    .selectFrom('claim_cost_lines')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('created_at')
    .orderBy('position')
    .orderBy('id')
    .execute()
}

export async function updateQuote(db: Db, quoteId: string, patch: Partial<ClaimQuotesTable>): Promise<void> {
  await db.updateTable('claim_quotes').set(patch).where('id', '=', quoteId).execute()
}

export async function insertPayment(db: Db, row: ClaimPaymentsTable): Promise<void> {
  await db.insertInto('claim_payments').values(row).execute()
}

export async function insertMessage(db: Db, row: ClaimMessagesTable): Promise<void> {
  await db.insertInto('claim_messages').values(row).execute()
}

export function listMessages(db: Db, claimId: string): Promise<ClaimMessagesTable[]> {
  return db
    .selectFrom('claim_messages')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('posted_at')
    .orderBy('id')
    .execute()
}

export function findIdempotentResponse(db: Db, actorId: string, key: string) {
  return db
    .selectFrom('claim_idempotency')
    .selectAll()
    .where('actor_id', '=', actorId)
    .where('idem_key', '=', key)
    .executeTakeFirst()
}

export async function insertIdempotencyKey(
  db: Db,
  row: {
    actor_id: string
    idem_key: string
    claim_id: string
    response: string
    created_at: string
    request_hash: string
  },
): Promise<void> {
  await db.insertInto('claim_idempotency').values(row).execute()
}

/** Next number of the year's RMA sequence; the row update serialises concurrent callers on both engines. */
export async function takeNextRmaSequence(db: Db, year: string): Promise<number> {
  await db
    .insertInto('rma_counters')
    .values({ year, last: 0 })
    .onConflict((oc) => oc.column('year').doNothing())
    .execute()
  const row = await db
    .updateTable('rma_counters')
    .set((eb) => ({ last: eb('last', '+', 1) }))
    .where('year', '=', year)
    .returning('last')
    .executeTakeFirstOrThrow()
  return Number(row.last)
}

export function findOrganisationAddress(db: Db, orgId: string) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'email', 'phone', 'service_address', 'kind', 'active'])
    .where('id', '=', orgId)
    .executeTakeFirst()
}

export function findCustomerContact(db: Db, customerId: string) {
  return customerContact.executeTakeFirst(db, customerId)
}

// Read for every e-mail a claim step sends its customer: prepared once (see `preparedQuery`).
const customerContact = preparedQuery((db: Db, customerId: string) =>
  db
    .selectFrom('customers')
    .select(['id', 'name', 'email', 'address', 'locale', 'locale_chosen_at', 'locale_guessed_at'])
    .where('id', '=', customerId),
)

export async function findPackageContents(db: Db, modelName: string): Promise<string[]> {
  const row = await db
    .selectFrom('product_models')
    .select('package_contents')
    .where('name', '=', modelName)
    .executeTakeFirst()
  return row ? (JSON.parse(row.package_contents) as string[]) : []
}

/**
 * The open claim on a unit, if any (the oldest). On PostgreSQL the unit's row is locked
 * first, so two intakes on one unit queue up and the second sees the first's claim;
 * SQLite runs one writer at a time anyway.
 */
export async function findOpenClaimOnUnit(
  db: Db,
  serial: string,
  lock: boolean,
): Promise<ClaimsTable | undefined> {
  if (lock) await db.selectFrom('units').select('serial').where('serial', '=', serial).forUpdate().execute()
  return openClaimOnUnit.executeTakeFirst(db, serial)
}

/**
 * The unit's claims are sifted by their short columns, and only the one found is read whole: a
 * unit with a long history (a hundred closed claims) otherwise had each closed claim's
 * documents read, and sorted, at every opening (a millisecond with two hundred).
 */
const openClaimOnUnit = preparedQuery((db: Db, serial: string) =>
  db
    .selectFrom('claims')
    .selectAll()
    .where('id', '=', (eb) =>
      eb
        .selectFrom('claims')
        .select('id')
        .where('serial', '=', serial)
        .where('state', 'not in', [...TERMINAL_STATES])
        .orderBy('opened_at')
        .limit(1),
    ),
)

export function listPayments(db: Db, claimId: string): Promise<ClaimPaymentsTable[]> {
  return db
    .selectFrom('claim_payments')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute()
}
