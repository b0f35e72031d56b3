import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import type { Database } from '../db/schema.ts'
import { countOutcomesByKind } from './clock.store.ts'
import type { ComplianceResponse } from './sla.schemas.ts'

/**
 * Met versus breached clocks per kind whose outcome fell between two UTC dates (inclusive):
 * a met clock counts on the day it stopped, a breached one on the day the breach was recorded.
 * Open and cancelled clocks do not count. (Also for the reports feature.)
 */
export async function summarizeSlaCompliance(
  db: Kysely<Database>,
  range: { from: string; to: string },
): Promise<ComplianceResponse> {
  const from = `${range.from}T00:00:00.000Z`
  const to = `${DateTime.fromISO(range.to, { zone: 'UTC' }).plus({ days: 1 }).toISODate()}T00:00:00.000Z`
  const rows = await countOutcomesByKind(db, { from, to })
  const byKind = new Map<string, { met: number; breached: number }>()
  for (const row of rows) {
    const line = byKind.get(row.kind) ?? { met: 0, breached: 0 }
    if (row.status === 'met') line.met += Number(row.count)
    if (row.status === 'breached') line.breached += Number(row.count)
    byKind.set(row.kind, line)
  }
  const withRate = (line: { met: number; breached: number }) => ({
    ...line,
    compliance: line.met + line.breached === 0 ? null : line.met / (line.met + line.breached),
  })
  const lines = [...byKind.entries()].map(([kind, line]) => ({ kind, ...withRate(line) }))
  const total = lines.reduce((sum, l) => ({ met: sum.met + l.met, breached: sum.breached + l.breached }), {
    met: 0,
    breached: 0,
  })
  return { from: range.from, to: range.to, kinds: lines, total: withRate(total) }
}
