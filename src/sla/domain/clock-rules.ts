import {
  addBusinessDuration,
  addTime,
  type BusinessCalendar,
  type BusinessDuration,
  type DurationUnit,
  measureTime,
} from './business-calendar.ts'

/**
 * `running` and `paused` clocks are open; `met` and `breached` are the outcome; a clock the
 * sweep found late is `breached` while still open (no `stopped_at`) until its stop event;
 * `cancelled` closes a clock whose claim was cancelled or closed without its stop event.
 */
export type ClockStatus = 'running' | 'paused' | 'met' | 'breached' | 'cancelled'
export const CLOCK_STATUSES = ['running', 'paused', 'met', 'breached', 'cancelled'] as const

/** A warning goes out once this share of the allowed time has been used. */
export const WARNING_SHARE = 0.75

/** Claim events with a fixed meaning for every clock (see docs/architecture.md). */
export const PAUSE_EVENT = 'info.requested'
export const RESUME_EVENT = 'info.provided'
export const CLOSING_EVENTS: readonly string[] = ['claim.cancelled', 'claim.closed']
export const FIRST_RESPONSE = 'first-response'
/**
 * Staff events that answer a new claim. The claim event carries no actor, so the claims
 * feature passes the actor's role; a message only counts when staff posted it.
 */
export const FIRST_RESPONSE_STOP_EVENTS: readonly string[] = [
  'diagnosis.started',
  'info.requested',
  'rma.authorized',
  'message.posted',
]

/** The part of a policy's SLA target the clocks need. */
export interface ClockTarget {
  clock: string
  clause: string
  startOn: string
  stopOn: string[]
  amount: number
  unit: DurationUnit
  brand?: 'own' | 'agent'
}

/**
 * Every claim gets a first answer by a deadline even where the seller's terms name none:
 * one working day of the seller's support hours (8 working hours) from the claim's opening.
 * A policy's own first-response clause replaces it.
 */
export const DEFAULT_FIRST_RESPONSE: ClockTarget = {
  clock: FIRST_RESPONSE,
  clause: 'aftercare#first-response',
  startOn: 'claim.opened',
  stopOn: [],
  amount: 8,
  unit: 'working-hours',
}

/** The policy's targets, with the default first-response clock when the policy has none. */
export function withDefaultFirstResponse<T extends ClockTarget>(targets: readonly T[]): (T | ClockTarget)[] {
  return targets.some((t) => t.clock === FIRST_RESPONSE) ? [...targets] : [...targets, DEFAULT_FIRST_RESPONSE]
}

export function selectTargetsToStart(
  targets: readonly ClockTarget[],
  eventType: string,
  brand: 'own' | 'agent',
): ClockTarget[] {
  return targets.filter((t) => t.startOn === eventType && (t.brand === undefined || t.brand === brand))
}

/** The events that stop a clock of this target; first-response always stops on a staff answer. */
export function stopEventsFor(target: ClockTarget): string[] {
  const events =
    target.clock === FIRST_RESPONSE ? [...target.stopOn, ...FIRST_RESPONSE_STOP_EVENTS] : target.stopOn
  return [...new Set(events)]
}

/**
 * Whether an event stops an open clock. `byService` says whether the service side (staff, or
 * the dealer serving the claim) acted; undefined when the caller did not say who acted:
 * service steps still count, a message does not (the customer may have written it).
 */
export function shouldStop(
  clock: { kind: string; stopOn: readonly string[] },
  eventType: string,
  byService: boolean | undefined,
): boolean {
  if (!clock.stopOn.includes(eventType)) return false
  if (clock.kind !== FIRST_RESPONSE) return true
  if (byService === false) return false
  return byService === true || eventType !== 'message.posted'
}

export interface ClockDeadlines {
  dueAt: Date
  warnAt: Date
  /** The time the target allows, measured as its unit counts time. */
  allowedMs: number
}

export function planDeadlines(
  calendar: BusinessCalendar,
  start: Date,
  duration: BusinessDuration,
): ClockDeadlines {
  const dueAt = addBusinessDuration(calendar, start, duration)
  const allowedMs = measureTime(calendar, duration.unit, start, dueAt)
  const warnAt = addTime(calendar, duration.unit, start, Math.floor(allowedMs * WARNING_SHARE))
  return { dueAt, warnAt, allowedMs }
}

/**
 * A resumed clock: the time it stood paused (as its unit counts time: working time for
 * working units, elapsed time otherwise) is added to its due and warning moments.
 */
export function resumeDeadlines(
  calendar: BusinessCalendar,
  unit: DurationUnit,
  clock: { dueAt: Date; warnAt: Date; pausedAt: Date },
  resumedAt: Date,
): { dueAt: Date; warnAt: Date; pausedMs: number } {
  const pausedMs = Math.max(0, measureTime(calendar, unit, clock.pausedAt, resumedAt))
  return {
    dueAt: addTime(calendar, unit, clock.dueAt, pausedMs),
    warnAt: addTime(calendar, unit, clock.warnAt, pausedMs),
    pausedMs,
  }
}

/**
 * When a pause stamped `at` starts counting: not before the clock started, nor before the end
 * of the latest pause already counted (`resumedAt`). Events come from servers whose clocks
 * differ a little, and a second request for information can be stamped before the answer to
 * the first: counted from its own stamp, the time both pauses cover would move the due moment
 * twice. So a clock's pauses never overlap, and the time they add up to is their union.
 */
export function pauseStart(clock: { startedAt: Date; resumedAt: Date | null }, at: Date): Date {
  const floor = Math.max(clock.startedAt.getTime(), clock.resumedAt?.getTime() ?? Number.NEGATIVE_INFINITY)
  return at.getTime() < floor ? new Date(floor) : at
}

/** A span a clock stood paused, from the pause to its resumption. */
export interface PauseSpan {
  from: Date
  to: Date
}

/** The pauses as disjoint spans in order: overlapping or touching spans are one; empty ones none. */
export function unionOfPauses(pauses: readonly PauseSpan[]): PauseSpan[] {
  const sorted = pauses
    .filter((p) => p.to.getTime() > p.from.getTime())
    .sort((a, b) => a.from.getTime() - b.from.getTime())
  const union: PauseSpan[] = []
  for (const pause of sorted) {
    const last = union[union.length - 1]
    if (last && pause.from.getTime() <= last.to.getTime()) {
      if (pause.to.getTime() > last.to.getTime()) last.to = pause.to
    } else union.push({ from: pause.from, to: pause.to })
  }
  return union
}

/**
 * The due moment of a clock planned due at `dueAt`, after the given pauses: moved later by the
 * time they cover while the clock ran (from its start until it stopped, if it has), as its unit
 * counts time, each moment counted once however many pauses cover it.
 */
export function dueAfterPauses(
  calendar: BusinessCalendar,
  unit: DurationUnit,
  clock: { startedAt: Date; dueAt: Date; stoppedAt?: Date | null },
  pauses: readonly PauseSpan[],
): { dueAt: Date; pausedMs: number } {
  const from = clock.startedAt.getTime()
  const to = clock.stoppedAt?.getTime() ?? Number.POSITIVE_INFINITY
  const within = pauses.map((p) => ({
    from: new Date(Math.max(p.from.getTime(), from)),
    to: new Date(Math.min(p.to.getTime(), to)),
  }))
  let pausedMs = 0
  for (const pause of unionOfPauses(within))
    pausedMs += Math.max(0, measureTime(calendar, unit, pause.from, pause.to))
  return { dueAt: addTime(calendar, unit, clock.dueAt, pausedMs), pausedMs }
}

/**
 * A stopped clock met its target when it stopped (or, if paused, stopped counting) by its due
 * moment. A stop stamped before the pause (events from two servers whose clocks differ a
 * little) stopped the count at its own time.
 */
export function judgeStop(clock: { dueAt: Date; pausedAt: Date | null; breached: boolean }, stoppedAt: Date) {
  if (clock.breached) return 'breached' as const
  const countedUntil =
    clock.pausedAt && clock.pausedAt.getTime() < stoppedAt.getTime() ? clock.pausedAt : stoppedAt
  return countedUntil.getTime() <= clock.dueAt.getTime() ? ('met' as const) : ('breached' as const)
}

/** Time the clock still has, as its unit counts time; frozen while paused; negative when overdue. */
export function timeLeft(
  calendar: BusinessCalendar,
  unit: DurationUnit,
  clock: { dueAt: Date; pausedAt: Date | null },
  now: Date,
): number {
  return measureTime(calendar, unit, clock.pausedAt ?? now, clock.dueAt)
}

export type ClockColour = 'green' | 'amber' | 'red' | 'breached'

/**
 * Queue colour: green under half the allowed time used, amber up to the warning, red after it,
 * then breached. `overdue` says whether the clock counted past its due moment (now, or its
 * pause, later than due): time left cannot say, as it is 0 both on the due moment, which is
 * still met, and after a due moment at close of business until the next working morning.
 */
export function colourOf(
  clock: { status: ClockStatus; allowedMs: number },
  leftMs: number,
  overdue: boolean,
): ClockColour {
  if (clock.status === 'breached' || overdue) return 'breached'
  if (clock.allowedMs <= 0) return 'red'
  const usedMs = clock.allowedMs - leftMs
  // In whole milliseconds as planDeadlines sets the warning moment, so red starts exactly then.
  if (usedMs >= Math.floor(clock.allowedMs * WARNING_SHARE)) return 'red'
  if (usedMs >= clock.allowedMs * 0.5) return 'amber'
  return 'green'
}
