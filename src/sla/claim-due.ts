import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { createCalendarResolver } from './calendar.store.ts'
import { toClockView } from './clock-view.ts'
import type { ClockColour } from './domain/clock-rules.ts'
import type { SlaClocksTable } from './sla.tables.ts'

/** The due time a work queue shows for one claim. */
export interface ClaimDue {
  kind: string
  dueAt: string
  status: string
  /** True while the clock still runs (or stands paused, or is late and not yet stopped). */
  open: boolean
  /** When a stopped clock stopped (the answer given, the unit verified or sent); null while open. */
  stoppedAt: string | null
  /**
   * While open, the colour the clock's own view gives it (see colourOf): counted on its
   * calendar, frozen while paused, red from the moment its warning is due; null once stopped.
   */
  colour: ClockColour | null
}

const OPEN = new Set(['running', 'paused', 'breached'])

type QueuedClock = Pick<SlaClocksTable, 'claim_id' | 'kind' | 'status' | 'due_at' | 'stopped_at'>

const isOpen = (r: QueuedClock) => OPEN.has(r.status) && r.stopped_at === null

/**
 * Clocks in the order the queue picks from: open ones first, due first; then the ones stopped
 * last. Ties go by kind, unique within a claim: an agent unit's verify and forward clocks start
 * together and are due together, and the database returns rows in no set order, so the queue
 * showed one or the other from read to read.
 */
export function inQueueOrder<T extends QueuedClock>(rows: readonly T[]): T[] {
  const rank = (r: QueuedClock) => (isOpen(r) ? 0 : 1)
  return [...rows].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (rank(a) === 0
        ? a.due_at.localeCompare(b.due_at)
        : (b.stopped_at ?? '').localeCompare(a.stopped_at ?? '')) ||
      a.kind.localeCompare(b.kind),
  )
}

/**
 * Per claim, the clock that matters now: the open clock due first; when none is open, the
 * clock that stopped last (so a case whose first answer was given shows it was met and when).
 * (Contract for the claims feature's queue.)
 */
export async function dueTimesOfClaims(
  db: Kysely<Database>,
  claimIds: string[],
  now: Date,
): Promise<Map<string, ClaimDue>> {
  const result = new Map<string, ClaimDue>()
  if (claimIds.length === 0) return result
  const rows = await db.selectFrom('sla_clocks').selectAll().where('claim_id', 'in', claimIds).execute()
  const calendars = createCalendarResolver(db)
  for (const row of inQueueOrder(rows)) {
    if (result.has(row.claim_id)) continue
    const open = isOpen(row)
    result.set(row.claim_id, {
      kind: row.kind,
      dueAt: row.due_at,
      status: row.status,
      open,
      stoppedAt: open ? null : row.stopped_at,
      colour: open ? (await toClockView(row, calendars, now)).colour : null,
    })
  }
  return result
}
