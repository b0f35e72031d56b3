import type { ClockStatus } from './domain/clock-rules.ts'

/**
 * One SLA clock of one claim: a stored deadline plus "notified" markers, so a periodic
 * sweep can find what is due with an indexed query. At most one clock per claim and kind.
 */
export interface SlaClocksTable {
  id: string
  /** No foreign key: the claims feature owns that table. */
  claim_id: string
  /** `first-response`, `verify`, `return`, `forward`, or any kind a policy names. */
  kind: string
  /** Clause `POLICY#KEY` of the target that started the clock. */
  clause: string
  /** Calendar id, resolved through the `calendars` table, then the built-ins. */
  calendar: string
  /** The policy's time zone, for a calendar id that is not defined anywhere (see fallbackCalendar). */
  time_zone: string
  /** JSON `{from, to, everyDay}` when the clock runs on support hours (first response), else null. */
  support_hours: string | null
  /** `hours` | `days` | `working-hours` | `working-days` (see domain/business-calendar.ts). */
  unit: string
  amount: number
  /** JSON array of the claim event types that stop the clock, fixed when it started. */
  stop_on: string
  started_at: string
  /** Moves later when the clock resumes after a pause. */
  due_at: string
  /** When 75% of the allowed time has been used. */
  warn_at: string
  /** The allowed time as the unit counts it (working ms for working units), for the queue colours. */
  allowed_ms: number
  paused_at: string | null
  /**
   * The latest end of a pause counted (`info.provided`), null before the first: a later pause
   * counts from here at the earliest, so no time is counted paused twice (see pauseStart).
   */
  resumed_at: string | null
  /** Time paused so far, as the unit counts it; the due moment moved by exactly this. */
  paused_total_ms: number
  stopped_at: string | null
  /** The event type that stopped the clock. */
  stopped_by: string | null
  breached_at: string | null
  warned_at: string | null
  status: ClockStatus
  /** 0/1: the warning (or the breach) was written to the outbox; set once, by a conditional update. */
  warning_notified: number
  breach_notified: number
  created_at: string
  updated_at: string
}

/** Calendars defined as data by admins and managers; a row overrides the built-in of the same id. */
export interface CalendarsTable {
  id: string
  /** JSON of the BusinessCalendar without its id. */
  definition: string
  updated_by: string
  created_at: string
  updated_at: string
}

/** Tables owned by the sla feature. */
export interface SlaTables {
  sla_clocks: SlaClocksTable
  calendars: CalendarsTable
}
