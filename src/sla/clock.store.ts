import type { Insertable, Kysely, Selectable, Updateable } from 'kysely'
import { joinEncodedCursor, splitEncodedCursor } from '../contracts/api/page.ts'
import { preparedQuery } from '../db/prepared-query.ts'
import type { Database } from '../db/schema.ts'
import type { ClockStatus } from './domain/clock-rules.ts'
import type { SlaClocksTable } from './sla.tables.ts'

export type ClockRow = Selectable<SlaClocksTable>

/** Inserts a clock unless the claim already has one of that kind; true when it was inserted. */
export async function insertClockOnce(
  db: Kysely<Database>,
  row: Insertable<SlaClocksTable>,
): Promise<boolean> {
  const result = await db
    .insertInto('sla_clocks')
    .values(row)
    .onConflict((oc) => oc.columns(['claim_id', 'kind']).doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

/** Clocks of a claim that have not stopped: running, paused, or breached and still open. */
export function listOpenClocksOfClaim(db: Kysely<Database>, claimId: string): Promise<ClockRow[]> {
  return openClocksOfClaim.execute(db, claimId)
}

// Read by every claim event: prepared once (see `preparedQuery`).
const openClocksOfClaim = preparedQuery((db: Kysely<Database>, claimId: string) =>
  db
    .selectFrom('sla_clocks')
    .selectAll()
    .where('claim_id', '=', claimId)
    .where('stopped_at', 'is', null)
    .orderBy('started_at'),
)

/**
 * Whether a claim of this id exists. Clocks have no foreign key to their claim, so a claim
 * without clocks and no claim at all both read as no clocks; this tells them apart. It reads
 * the claims table itself: the claims feature imports this one (its events start and stop
 * the clocks), so asking it through its index would make an import cycle.
 */
export async function claimExists(db: Kysely<Database>, claimId: string): Promise<boolean> {
  const row = await db.selectFrom('claims').select('id').where('id', '=', claimId).executeTakeFirst()
  return row !== undefined
}

/** One clock as it is now, while it has not stopped. */
export function findOpenClock(db: Kysely<Database>, id: string): Promise<ClockRow | undefined> {
  return db
    .selectFrom('sla_clocks')
    .selectAll()
    .where('id', '=', id)
    .where('stopped_at', 'is', null)
    .executeTakeFirst()
}

export function listClocksOfClaim(db: Kysely<Database>, claimId: string): Promise<ClockRow[]> {
  return db
    .selectFrom('sla_clocks')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('started_at')
    .orderBy('kind')
    .execute()
}

/** Changes a clock only if it is still in the status it was read in; true when it changed. */
export async function updateClockIfStatus(
  db: Kysely<Database>,
  id: string,
  expected: ClockStatus,
  patch: Updateable<SlaClocksTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('sla_clocks')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', expected)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export interface QueueFilter {
  kind?: string
  status?: 'running' | 'paused' | 'breached'
  limit: number
  /** Where the previous page's last clock stood (`splitQueueCursor`). */
  after?: QueuePosition | undefined
}

export interface QueuePosition {
  due: string
  claim: string
  kind: string
}

/** The cursor of a clock in the queue's order. */
export const queueCursor = (row: Pick<ClockRow, 'due_at' | 'claim_id' | 'kind'>) =>
  joinEncodedCursor([row.due_at, row.claim_id, row.kind])

/** The position a `queueCursor` names; a cursor it did not write is refused, naming `field`. */
export function splitQueueCursor(cursor: string, field: string): QueuePosition {
  const [due = '', claim = '', kind = ''] = splitEncodedCursor(cursor, 3, field)
  return { due, claim, kind }
}

/** Open clocks in due order: what staff should work on next. */
export function listOpenClocks(db: Kysely<Database>, filter: QueueFilter): Promise<ClockRow[]> {
  let query = db
    .selectFrom('sla_clocks')
    .selectAll()
    .where('stopped_at', 'is', null)
    .where('status', 'in', filter.status ? [filter.status] : ['running', 'paused', 'breached'])
  if (filter.kind) query = query.where('kind', '=', filter.kind)
  if (filter.after) {
    const { due, claim, kind } = filter.after
    query = query.where((eb) =>
      eb.or([
        eb('due_at', '>', due),
        eb.and([eb('due_at', '=', due), eb('claim_id', '>', claim)]),
        eb.and([eb('due_at', '=', due), eb('claim_id', '=', claim), eb('kind', '>', kind)]),
      ]),
    )
  }
  return query.orderBy('due_at').orderBy('claim_id').orderBy('kind').limit(filter.limit).execute()
}

/** Met and breached clocks per kind whose outcome fell in [from, to). */
export function countOutcomesByKind(
  db: Kysely<Database>,
  range: { from: string; to: string },
): Promise<Array<{ kind: string; status: string; count: number }>> {
  return db
    .selectFrom('sla_clocks')
    .select((eb) => ['kind', 'status', eb.fn.countAll<number>().as('count')])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('status', '=', 'met'),
          eb('stopped_at', '>=', range.from),
          eb('stopped_at', '<', range.to),
        ]),
        eb.and([
          eb('status', '=', 'breached'),
          eb('breached_at', '>=', range.from),
          eb('breached_at', '<', range.to),
        ]),
      ]),
    )
    .groupBy(['kind', 'status'])
    .orderBy('kind')
    .execute()
}
