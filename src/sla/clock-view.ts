import type { CalendarResolver } from './calendar.store.ts'
import type { ClockRow } from './clock.store.ts'
import type { DurationUnit } from './domain/business-calendar.ts'
import { type ClockStatus, colourOf, timeLeft } from './domain/clock-rules.ts'
import type { ClockView } from './sla.schemas.ts'

/** A clock as the API shows it; open clocks carry the time left on their calendar and a colour. */
export async function toClockView(row: ClockRow, calendars: CalendarResolver, now: Date): Promise<ClockView> {
  const unit = row.unit as DurationUnit
  const status = row.status as ClockStatus
  const open = row.stopped_at === null
  const dueAt = new Date(row.due_at)
  const pausedAt = row.paused_at ? new Date(row.paused_at) : null
  const left = open ? timeLeft(await calendars.forClock(row), unit, { dueAt, pausedAt }, now) : null
  const overdue = (pausedAt ?? now).getTime() > dueAt.getTime()
  return {
    id: row.id,
    claimId: row.claim_id,
    kind: row.kind,
    clause: row.clause,
    calendar: row.calendar,
    calendarFallback: !(await calendars.isDefined(row.calendar)),
    unit,
    amount: Number(row.amount),
    status,
    startedAt: row.started_at,
    dueAt: row.due_at,
    warnAt: row.warn_at,
    pausedAt: row.paused_at,
    pausedTotalMs: Number(row.paused_total_ms),
    stoppedAt: row.stopped_at,
    stoppedBy: row.stopped_by,
    breachedAt: row.breached_at,
    warnedAt: row.warned_at,
    timeLeftMs: left,
    colour: left === null ? null : colourOf({ status, allowedMs: Number(row.allowed_ms) }, left, overdue),
  }
}
