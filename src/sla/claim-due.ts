import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/** The due time a work queue shows for one claim. */
export interface ClaimDue {
  kind: string
  dueAt: string
  status: string
  /** True while the clock still runs (or stands paused, or is late and not yet stopped). */
  open: boolean
  /** When a stopped clock stopped (the answer given, the unit verified or sent); null while open. */
  stoppedAt: string | null
}

const OPEN = new Set(['running', 'paused', 'breached'])

/**
 * Per claim, the clock that matters now: the open clock due first; when none is open, the
 * clock that stopped last (so a case whose first answer was given shows it was met and when).
 * (Contract for the claims feature's queue.)
 */
export async function dueTimesOfClaims(
  db: Kysely<Database>,
  claimIds: string[],
): Promise<Map<string, ClaimDue>> {
  const result = new Map<string, ClaimDue>()
  if (claimIds.length === 0) return result
  const rows = await db
    .selectFrom('sla_clocks')
    .select(['claim_id', 'kind', 'due_at', 'status', 'stopped_at', 'started_at'])
    .where('claim_id', 'in', claimIds)
    .execute()
  const rank = (r: (typeof rows)[number]) => (OPEN.has(r.status) && r.stopped_at === null ? 0 : 1)
  const sorted = [...rows].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (rank(a) === 0
        ? a.due_at.localeCompare(b.due_at)
        : (b.stopped_at ?? '').localeCompare(a.stopped_at ?? '')),
  )
  for (const row of sorted) {
    if (result.has(row.claim_id)) continue
    result.set(row.claim_id, {
      kind: row.kind,
      dueAt: row.due_at,
      status: row.status,
      open: rank(row) === 0,
      stoppedAt: rank(row) === 0 ? null : row.stopped_at,
    })
  }
  return result
}
