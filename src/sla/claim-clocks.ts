import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import { STAFF_ROLES } from '../auth/index.ts'
import type { Database } from '../db/schema.ts'
import type { ServiceLevels } from '../policies/index.ts'
import { addDays } from '../shared/day-numbers.ts'
import { AppError } from '../shared/errors.ts'
import { startOfLocalDay } from '../shared/wall-time.ts'
import { type CalendarResolver, createCalendarResolver } from './calendar.store.ts'
import {
  type ClockRow,
  findOpenClock,
  insertClockOnce,
  listOpenClocksOfClaim,
  updateClockIfStatus,
} from './clock.store.ts'
import type { DurationUnit } from './domain/business-calendar.ts'
import {
  CLOSING_EVENTS,
  FIRST_RESPONSE,
  judgeStop,
  PAUSE_EVENT,
  pauseStart,
  planDeadlines,
  RESUME_EVENT,
  resumeDeadlines,
  selectTargetsToStart,
  shouldStop,
  stopEventsFor,
  withDefaultFirstResponse,
} from './domain/clock-rules.ts'

/** What the claims feature tells the sla feature after appending each event, in the same transaction. (Contract.) */
export interface ClaimClockInput {
  claimId: string
  eventType: string
  /** ISO timestamp of the event. */
  at: string
  brand: 'own' | 'agent'
  serviceLevels: ServiceLevels | undefined
  /**
   * Role of whoever appended the event (`support`, `dealer`, `customer`, …). The first-response
   * clock stops on the service's answer (staff or dealer); without a role a posted message
   * does not count as one.
   */
  actorRole?: string
  /**
   * The local day (`YYYY-MM-DD`, in the policy's zone) the physical event happened, where the
   * claim records one (the unit's `receivedOn`). A day before the day of `at` starts clocks at
   * the end of that day, the latest the event can have happened: a parcel that came on Friday
   * and was keyed in on Monday was received on Friday, and "within 12 hours of receipt" counts
   * from then.
   */
  occurredOn?: string
  /**
   * The earliest moment the physical event can have happened (a step on an open claim: the
   * claim's opening). `occurredOn` may be a day of another zone than the policy's, accepted
   * by the claim as its opening day somewhere on Earth, that ended in the policy's zone before
   * the claim was opened: counted from there, the clock would be due before anyone could act.
   */
  occurredNotBefore?: string
}

/**
 * Starts, stops, pauses and resumes the claim's SLA clocks for one claim event, in the
 * caller's transaction. Idempotent: the same event applied twice changes nothing more.
 * Events that concern no clock do nothing.
 */
export async function applySlaForClaimEvent(trx: Kysely<Database>, input: ClaimClockInput): Promise<void> {
  const at = new Date(input.at)
  if (!isStorable(at)) throw badTime(input.at)
  const calendars = createCalendarResolver(trx)
  await startClocks(trx, input, at, calendars)

  // The service answers: staff, or a dealer, who serves a claim only as its handler (the
  // lifecycle's guards see to that), and whose answer the customer waits for just the same.
  const byService =
    input.actorRole === undefined
      ? undefined
      : (STAFF_ROLES as string[]).includes(input.actorRole) || input.actorRole === 'dealer'
  for (const listed of await listOpenClocksOfClaim(trx, input.claimId)) {
    // Each change is conditional on the status the clock was read in. On PostgreSQL the sweep
    // of another instance may mark the clock breached between that read and the write, which
    // then changes nothing: a staff answer would leave the clock open until the claim closed.
    // The clock is read again (the sweep has committed by then) and the event applied anew.
    let clock: ClockRow | undefined = listed
    for (let attempt = 0; clock !== undefined && attempt < 3; attempt++) {
      if (await applyEventToClock(trx, clock, input, at, byService, calendars)) break
      clock = await findOpenClock(trx, clock.id)
    }
  }
}

/** Applies the event to one open clock; false when the clock was no longer as read, so nothing changed. */
async function applyEventToClock(
  trx: Kysely<Database>,
  clock: ClockRow,
  input: ClaimClockInput,
  at: Date,
  byService: boolean | undefined,
  calendars: CalendarResolver,
): Promise<boolean> {
  const stopOn = JSON.parse(clock.stop_on) as string[]
  // An event stamped before the clock started (servers whose clocks differ a little) acts at
  // the clock's start: a clock never stops or pauses before it started.
  const started = new Date(clock.started_at)
  const when = at.getTime() < started.getTime() ? started : at
  if (CLOSING_EVENTS.includes(input.eventType)) return stopClock(trx, clock, when, input.eventType, true)
  if (shouldStop({ kind: clock.kind, stopOn }, input.eventType, byService))
    return stopClock(trx, clock, when, input.eventType, false)
  // A clock that ran past its due moment is late, whether or not the sweep saw it yet: a pause
  // then would keep the sweep from it (it takes running clocks) and move its due moment on
  // resuming. It is marked as the sweep would have, which then notifies.
  if (input.eventType === PAUSE_EVENT && clock.status === 'running' && when.toISOString() > clock.due_at)
    return updateClockIfStatus(trx, clock.id, 'running', {
      status: 'breached',
      breached_at: clock.breached_at ?? when.toISOString(),
      updated_at: when.toISOString(),
    })
  if (input.eventType === PAUSE_EVENT && clock.status === 'running') {
    const resumedAt = clock.resumed_at === null ? null : new Date(clock.resumed_at)
    return updateClockIfStatus(trx, clock.id, 'running', {
      status: 'paused',
      paused_at: pauseStart({ startedAt: started, resumedAt }, when).toISOString(),
      updated_at: when.toISOString(),
    })
  }
  if (input.eventType === RESUME_EVENT && clock.status === 'paused')
    return resumeClock(trx, clock, when, calendars)
  return true
}

/**
 * Clock times are stored as ISO text and compared as text (the sweep, the queue), which keeps
 * their order only in the fixed-width form of the years 0000 to 9999: `+010000-…` would sort
 * before every other time, so the sweep would take a clock due then as overdue.
 */
const isStorable = (time: Date): boolean =>
  Number.isFinite(time.getTime()) && time.toISOString().length === 24

/** A time that is no time at all, or one whose clocks would leave the years kept (see `isStorable`). */
const badTime = (raw: string) =>
  Number.isFinite(new Date(raw).getTime())
    ? new AppError(
        'validation',
        { key: 'sla.time-out-of-range', params: { field: 'at', raw } },
        { field: 'at' },
      )
    : new AppError('validation', { key: 'sla.bad-time', params: { field: 'at', raw } }, { field: 'at' })

async function startClocks(
  trx: Kysely<Database>,
  input: ClaimClockInput,
  at: Date,
  calendars: CalendarResolver,
): Promise<void> {
  const levels = input.serviceLevels
  if (!levels) return
  for (const target of selectTargetsToStart(
    withDefaultFirstResponse(levels.targets),
    input.eventType,
    input.brand,
  )) {
    // First response is answered within support hours (seed 002: 7x12 h telephone support).
    const supportHours = target.clock === FIRST_RESPONSE && levels.supportHours ? levels.supportHours : null
    const ref = {
      calendar: levels.calendar,
      time_zone: levels.timeZone,
      support_hours: supportHours ? JSON.stringify(supportHours) : null,
    }
    const calendar = await calendars.forClock(ref)
    const start = clockStart(at, input, levels.timeZone)
    const plan = planDeadlines(calendar, start, { amount: target.amount, unit: target.unit })
    if (!isStorable(plan.dueAt)) throw badTime(input.at)
    await insertClockOnce(trx, {
      id: crypto.randomUUID(),
      claim_id: input.claimId,
      kind: target.clock,
      clause: target.clause,
      ...ref,
      unit: target.unit,
      amount: target.amount,
      stop_on: JSON.stringify(stopEventsFor(target)),
      started_at: start.toISOString(),
      due_at: plan.dueAt.toISOString(),
      warn_at: plan.warnAt.toISOString(),
      allowed_ms: plan.allowedMs,
      paused_at: null,
      resumed_at: null,
      paused_total_ms: 0,
      stopped_at: null,
      stopped_by: null,
      breached_at: null,
      warned_at: null,
      status: 'running',
      warning_notified: 0,
      breach_notified: 0,
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
    })
  }
}

/**
 * When a clock started by an event counts from: the end of the day it happened, when that is
 * before `at`, and not before the earliest the event can have happened. The end of a day is
 * where the next one starts, not its midnight plus a day: after a night the clocks skip
 * midnight (Santiago, Havana, Asunción) that midnight is 01:00.
 */
function clockStart(
  at: Date,
  event: Pick<ClaimClockInput, 'occurredOn' | 'occurredNotBefore'>,
  timeZone: string,
): Date {
  if (event.occurredOn === undefined) return at
  const endOfDay = startOfLocalDay(addDays(event.occurredOn, 1), timeZone).getTime()
  const earliest =
    event.occurredNotBefore === undefined ? Number.NEGATIVE_INFINITY : Date.parse(event.occurredNotBefore)
  return new Date(Math.min(at.getTime(), Math.max(endOfDay, earliest)))
}

/** Met or breached by the due moment; a claim closed or cancelled first leaves the clock `cancelled` unless already late. */
async function stopClock(
  trx: Kysely<Database>,
  clock: ClockRow,
  at: Date,
  eventType: string,
  closing: boolean,
): Promise<boolean> {
  const outcome = judgeStop(
    {
      dueAt: new Date(clock.due_at),
      pausedAt: clock.paused_at && clock.status === 'paused' ? new Date(clock.paused_at) : null,
      breached: clock.status === 'breached',
    },
    at,
  )
  const status = closing && outcome === 'met' ? 'cancelled' : outcome
  return updateClockIfStatus(trx, clock.id, clock.status, {
    status,
    stopped_at: at.toISOString(),
    stopped_by: eventType,
    breached_at: status === 'breached' ? (clock.breached_at ?? at.toISOString()) : clock.breached_at,
    updated_at: at.toISOString(),
  })
}

async function resumeClock(
  trx: Kysely<Database>,
  clock: ClockRow,
  at: Date,
  calendars: CalendarResolver,
): Promise<boolean> {
  const calendar = await calendars.forClock(clock)
  const moved = resumeDeadlines(
    calendar,
    clock.unit as DurationUnit,
    {
      dueAt: new Date(clock.due_at),
      warnAt: new Date(clock.warn_at),
      pausedAt: new Date(clock.paused_at ?? at),
    },
    at,
  )
  // The latest end of a pause counted, which the next pause may not start before (pauseStart).
  const resumedAt =
    clock.resumed_at !== null && clock.resumed_at > at.toISOString() ? clock.resumed_at : at.toISOString()
  return updateClockIfStatus(trx, clock.id, 'paused', {
    status: 'running',
    paused_at: null,
    resumed_at: resumedAt,
    paused_total_ms: Number(clock.paused_total_ms) + moved.pausedMs,
    due_at: moved.dueAt.toISOString(),
    warn_at: moved.warnAt.toISOString(),
    updated_at: at.toISOString(),
  })
}
