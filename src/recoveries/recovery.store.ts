import { costLineSpent } from '../claims/index.ts'
import type { Db } from '../db/database.ts'
import { preparedQueriesByShape, preparedQuery } from '../db/prepared-query.ts'
import type {
  RecoveryClaimsTable,
  RecoveryEventsTable,
  RecoveryLinesTable,
  RecoveryOutcomesTable,
} from './recovery.tables.ts'

/** Queries of the recoveries feature: just SQL, the rules live in the operations. */

export async function findRecovery(
  db: Db,
  id: string,
  forUpdate = false,
): Promise<RecoveryClaimsTable | undefined> {
  let query = db.selectFrom('recovery_claims').selectAll().where('id', '=', id)
  if (forUpdate) query = query.forUpdate()
  return query.executeTakeFirst()
}

/** The open draft of a group, locked on PostgreSQL so a submit cannot slip between reading it and adding lines. */
export async function findDraft(
  db: Db,
  groupKey: string,
  lock: boolean,
): Promise<RecoveryClaimsTable | undefined> {
  let query = db
    .selectFrom('recovery_claims')
    .selectAll()
    .where('group_key', '=', groupKey)
    .where('state', '=', 'draft')
    .orderBy('batch', 'desc')
  if (lock) query = query.forUpdate()
  return query.executeTakeFirst()
}

export async function lastBatch(db: Db, groupKey: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_claims')
    .select((eb) => eb.fn.max('batch').as('batch'))
    .where('group_key', '=', groupKey)
    .executeTakeFirst()
  return Number(row?.batch ?? 0)
}

/** Inserts a draft unless another transaction created the same batch first; true when this one did. */
export async function insertDraftIfAbsent(db: Db, row: RecoveryClaimsTable): Promise<boolean> {
  const result = await db
    .insertInto('recovery_claims')
    .values(row)
    .onConflict((oc) => oc.columns(['group_key', 'batch']).doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
}

/**
 * The lines filed for a claim so far, under any terms, with the state of the recovery claim
 * each is in: a derivation neither files nor re-prices them, and counts them against the caps.
 */
export async function filedLinesOfClaim(db: Db, claimId: string) {
  return filedLinesOfClaimQuery.execute(db, claimId)
}

// A derivation follows every step that does work: its reads are prepared once (see `preparedQuery`).
const filedLinesOfClaimQuery = preparedQuery((db: Db, claimId: string) =>
  db
    .selectFrom('recovery_lines as l')
    .innerJoin('recovery_claims as r', 'r.id', 'l.recovery_id')
    .select([
      'l.line_key',
      'l.claim_id',
      'l.clause',
      'l.amount_minor',
      'l.capped_from_minor',
      'l.cap_reason_code',
      'l.recovery_id',
      'r.state',
      'r.creditor_org_id',
    ])
    .where('l.claim_id', '=', claimId)
    .orderBy('l.line_key'),
)

/** The evidence (`{costLineIds, eventSeqs}`, JSON) of a claim's lines in the recovery claims where the organisation is creditor or debtor. */
export async function evidenceOfClaimForOrganisation(db: Db, claimId: string, orgId: string) {
  return db
    .selectFrom('recovery_lines as l')
    .innerJoin('recovery_claims as r', 'r.id', 'l.recovery_id')
    .select('l.evidence_json')
    .where('l.claim_id', '=', claimId)
    .where((eb) => eb.or([eb('r.creditor_org_id', '=', orgId), eb('r.debtor_org_id', '=', orgId)]))
    .execute()
}

/** Whether any recovery line was filed for the claim. */
export async function hasFiledLines(db: Db, claimId: string): Promise<boolean> {
  return (await anyLineOfClaim.executeTakeFirst(db, claimId)) !== undefined
}

const anyLineOfClaim = preparedQuery((db: Db, claimId: string) =>
  db.selectFrom('recovery_lines').select('id').where('claim_id', '=', claimId).limit(1),
)

/** Removes lines of one recovery claim by key; answers the keys removed. */
export async function deleteLines(
  db: Db,
  recoveryId: string,
  lineKeys: readonly string[],
): Promise<string[]> {
  if (lineKeys.length === 0) return []
  const rows = await db
    .selectFrom('recovery_lines')
    .select('line_key')
    .where('recovery_id', '=', recoveryId)
    .where('line_key', 'in', lineKeys)
    .execute()
  const found = rows.map((r) => r.line_key)
  if (found.length > 0)
    await db
      .deleteFrom('recovery_lines')
      .where('recovery_id', '=', recoveryId)
      .where('line_key', 'in', found)
      .execute()
  return found
}

/** Insert-on-conflict: a line another derivation wrote already is skipped, never doubled. Returns the keys written. */
export async function insertLinesIfAbsent(db: Db, rows: readonly RecoveryLinesTable[]): Promise<string[]> {
  const written: string[] = []
  for (const row of rows) {
    const result = await db
      .insertInto('recovery_lines')
      .values(row)
      .onConflict((oc) => oc.column('line_key').doNothing())
      .executeTakeFirst()
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1) written.push(row.line_key)
  }
  return written
}

export async function listLines(db: Db, recoveryIds: readonly string[]): Promise<RecoveryLinesTable[]> {
  if (recoveryIds.length === 0) return []
  return db
    .selectFrom('recovery_lines')
    .selectAll()
    .where('recovery_id', 'in', recoveryIds)
    .orderBy('created_at')
    .orderBy('line_key')
    .execute()
}

export async function updateLineAnswer(
  db: Db,
  lineId: string,
  answer: { accepted_minor: number; reason_code: string | null },
): Promise<void> {
  await db.updateTable('recovery_lines').set(answer).where('id', '=', lineId).execute()
}

export async function updateRecoveryAtVersion(
  db: Db,
  id: string,
  version: number,
  patch: Partial<RecoveryClaimsTable>,
): Promise<number> {
  const result = await db
    .updateTable('recovery_claims')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export interface RecoveryListFilter {
  /** Only recovery claims where this organisation is creditor or debtor; undefined for everything. */
  orgId?: string
  state?: string
  claimId?: string
  /** Keyset: created_at|id of the last row of the previous page. */
  after?: { createdAt: string; id: string }
  limit: number
}

export async function listRecoveries(db: Db, filter: RecoveryListFilter): Promise<RecoveryClaimsTable[]> {
  // A draft all of whose lines were withdrawn is no claim on anyone until a line is filed in it again.
  let query = db
    .selectFrom('recovery_claims')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('state', '!=', 'draft'),
        eb.exists(
          eb
            .selectFrom('recovery_lines')
            .select('recovery_lines.id')
            .whereRef('recovery_lines.recovery_id', '=', 'recovery_claims.id'),
        ),
      ]),
    )
  const orgId = filter.orgId
  if (orgId !== undefined)
    query = query.where((eb) => eb.or([eb('creditor_org_id', '=', orgId), eb('debtor_org_id', '=', orgId)]))
  if (filter.state) query = query.where('state', '=', filter.state)
  if (filter.claimId) {
    const claimId = filter.claimId
    query = query.where('id', 'in', (eb) =>
      eb.selectFrom('recovery_lines').select('recovery_id').where('claim_id', '=', claimId),
    )
  }
  const after = filter.after
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    )
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()
}

export async function insertRecoveryEvent(db: Db, row: RecoveryEventsTable): Promise<void> {
  await db.insertInto('recovery_events').values(row).execute()
}

export async function listRecoveryEvents(db: Db, recoveryId: string): Promise<RecoveryEventsTable[]> {
  return db
    .selectFrom('recovery_events')
    .selectAll()
    .where('recovery_id', '=', recoveryId)
    .orderBy('seq')
    .execute()
}

export async function upsertOutcome(db: Db, row: RecoveryOutcomesTable): Promise<void> {
  await outcomeUpsert.execute(db, row.claim_id, row.outcome, row.reasons_json, row.line_count, row.derived_at)
}

const outcomeUpsert = preparedQuery(
  (db: Db, claimId: string, outcome: string, reasonsJson: string, lineCount: number, derivedAt: string) =>
    db
      .insertInto('recovery_outcomes')
      .values({
        claim_id: claimId,
        outcome,
        reasons_json: reasonsJson,
        line_count: lineCount,
        derived_at: derivedAt,
      })
      .onConflict((oc) =>
        oc.column('claim_id').doUpdateSet({
          outcome,
          reasons_json: reasonsJson,
          line_count: lineCount,
          derived_at: derivedAt,
        }),
      ),
)

export async function findOutcome(db: Db, claimId: string): Promise<RecoveryOutcomesTable | undefined> {
  return db.selectFrom('recovery_outcomes').selectAll().where('claim_id', '=', claimId).executeTakeFirst()
}

export async function organisationNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

/**
 * Organisations with at least one user here who can answer for them: their answers come from
 * their own desk, not from staff. A disabled user answers nothing, nor does any user of a
 * deactivated organisation (refused at sign-in), and a customer or an integration account tied
 * to an organisation does not act for it.
 */
export async function organisationsWithUsers(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select('users.org_id')
    .distinct()
    .where('users.org_id', 'in', ids)
    .where('users.disabled', '=', 0)
    .where('organisations.active', '=', 1)
    .where('users.role', 'not in', ['customer', 'integration'])
    .execute()
  return new Set(rows.map((r) => r.org_id).filter((id): id is string => id !== null))
}

// ---- what a derivation reads of a claim ----------------------------------------------

/** The policy (id and version) of each of the claims. */
export async function policiesOfClaims(
  db: Db,
  claimIds: readonly string[],
): Promise<{ policy_id: string; policy_version: string | null }[]> {
  if (claimIds.length === 0) return []
  return db
    .selectFrom('claims')
    .select(['policy_id', 'policy_version'])
    .where('id', 'in', [...claimIds])
    .execute()
}

/**
 * The claim's spent cost lines (`costLineSpent`): a quote the customer has not accepted
 * offered work nobody did, and nobody owes its lines.
 */
export async function claimCostRecords(db: Db, claimId: string) {
  return claimCostRecordsQuery.execute(db, claimId)
}

const claimCostRecordsQuery = preparedQuery((db: Db, claimId: string) =>
  db
    .selectFrom('claim_cost_lines')
    .select([
      'id',
      'quote_id',
      'kind',
      'description',
      'quantity',
      'unit_price_minor',
      'payer',
      'currency',
      'created_at',
      'position',
    ])
    .where('claim_id', '=', claimId)
    .where(costLineSpent)
    .orderBy('created_at')
    .orderBy('position')
    .orderBy('id'),
)

/** The claim's events of these types, in order. */
export async function claimWorkEvents(db: Db, claimId: string, types: readonly string[]) {
  return claimEventsOfTypes(types.join('\n')).execute(db, claimId)
}

// The types are the derivation's own few lists: one prepared query for each.
const claimEventsOfTypes = preparedQueriesByShape((shape) => {
  const types = shape.split('\n')
  return (db: Db, claimId: string) =>
    db
      .selectFrom('claim_events')
      .select(['seq', 'type', 'at', 'data'])
      .where('claim_id', '=', claimId)
      .where('type', 'in', types)
      .orderBy('seq')
})

/** Claims with work done and no derivation since their last event: what the sweep picks up. */
export async function claimsAwaitingDerivation(
  db: Db,
  types: readonly string[],
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('claims as c')
    .select('c.id')
    .where('c.id', 'in', (eb) => eb.selectFrom('claim_events').select('claim_id').where('type', 'in', types))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('recovery_outcomes as o')
            .select('o.claim_id')
            .whereRef('o.claim_id', '=', 'c.id')
            .whereRef('o.derived_at', '>=', 'c.updated_at'),
        ),
      ),
    )
    .orderBy('c.updated_at')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}
