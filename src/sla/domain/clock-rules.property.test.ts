import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { CN_MAINLAND, WEEKDAYS_UTC } from './builtin-calendars.ts'
import {
  addBusinessDuration,
  addTime,
  type BusinessCalendar,
  type DurationUnit,
  deriveSupportCalendar,
  measureTime,
} from './business-calendar.ts'
import {
  type ClockTarget,
  colourOf,
  DEFAULT_FIRST_RESPONSE,
  dueAfterPauses,
  FIRST_RESPONSE,
  FIRST_RESPONSE_STOP_EVENTS,
  judgeStop,
  type PauseSpan,
  pauseStart,
  planDeadlines,
  resumeDeadlines,
  selectTargetsToStart,
  shouldStop,
  stopEventsFor,
  timeLeft,
  unionOfPauses,
  WARNING_SHARE,
  withDefaultFirstResponse,
} from './clock-rules.ts'
import { BERLIN, CN_WITH_LUNCH } from './test-calendars.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** Daylight saving at local midnight, and hours up to the end of the day. */
const SANTIAGO: BusinessCalendar = {
  ...WEEKDAYS_UTC,
  id: 'santiago',
  timeZone: 'America/Santiago',
  workingHours: [
    { from: '00:00', to: '02:00' },
    { from: '20:00', to: '24:00' },
  ],
}
const SUPPORT_7X12 = deriveSupportCalendar(CN_MAINLAND, { from: '08:00', to: '20:00', everyDay: true })
const SUPPORT_WEEKDAYS = deriveSupportCalendar(BERLIN, { from: '08:00', to: '20:00', everyDay: false })

const calendars = fc.constantFrom(
  CN_MAINLAND,
  CN_WITH_LUNCH,
  BERLIN,
  SANTIAGO,
  WEEKDAYS_UTC,
  SUPPORT_7X12,
  SUPPORT_WEEKDAYS,
)

const minuteOf = (iso: string) => Date.parse(iso) / MINUTE
/**
 * Instants to the millisecond: mostly the years the holiday list covers, often within a day of
 * a daylight-saving change or a holiday, sometimes a century away.
 */
const instants = fc
  .oneof(
    {
      weight: 4,
      arbitrary: fc.integer({ min: minuteOf('2025-01-01T00:00Z'), max: minuteOf('2026-12-31T00:00Z') }),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            '2025-03-30T01:00Z', // Berlin springs forward
            '2025-10-26T01:00Z', // Berlin falls back
            '2025-04-06T03:00Z', // Santiago falls back at midnight
            '2025-09-07T04:00Z', // Santiago springs forward at midnight
            '2025-09-30T10:00Z', // before China's National Day week
            '2026-02-13T10:00Z', // before Spring Festival 2026
          ),
          fc.integer({ min: -36 * 60, max: 36 * 60 }),
        )
        .map(([at, minutes]) => minuteOf(at) + minutes),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: minuteOf('1901-01-01T00:00Z'), max: minuteOf('2199-12-31T00:00Z') }),
    },
  )
  .chain((minutes) => fc.integer({ min: 0, max: MINUTE - 1 }).map((ms) => new Date(minutes * MINUTE + ms)))

const units = fc.constantFrom<DurationUnit>('hours', 'days', 'working-hours', 'working-days')
const durations = fc.record({ amount: fc.integer({ min: 0, max: 30 }), unit: units })
const later = (at: Date, ms: number) => new Date(at.getTime() + ms)
const spans = fc.integer({ min: 0, max: 20 * 24 * HOUR })

describe('deadlines of a clock', () => {
  test('without a pause, due is the calendar sum; warning lies between start and due; allowed time is measured', () => {
    fc.assert(
      fc.property(calendars, instants, durations, (calendar, start, duration) => {
        const plan = planDeadlines(calendar, start, duration)
        assert.equal(plan.dueAt.getTime(), addBusinessDuration(calendar, start, duration).getTime())
        assert.ok(plan.dueAt >= start)
        assert.ok(start <= plan.warnAt && plan.warnAt <= plan.dueAt)
        assert.ok(plan.allowedMs >= 0)
        assert.equal(plan.allowedMs, measureTime(calendar, duration.unit, start, plan.dueAt))
      }),
    )
  })

  test('a pause moves due and warning later by the time paused, and two pauses by their sum', () => {
    fc.assert(
      fc.property(
        calendars,
        instants,
        durations,
        spans,
        spans,
        spans,
        (calendar, start, duration, before, pausedFor, pausedAgainFor) => {
          const plan = planDeadlines(calendar, start, duration)
          const pausedAt = later(start, before)
          const first = resumeDeadlines(
            calendar,
            duration.unit,
            { ...plan, pausedAt },
            later(pausedAt, pausedFor),
          )
          assert.ok(first.pausedMs >= 0)
          assert.ok(first.dueAt >= plan.dueAt && first.warnAt >= plan.warnAt)
          assert.ok(first.warnAt <= first.dueAt)
          assert.equal(
            measureTime(calendar, duration.unit, pausedAt, later(pausedAt, pausedFor)),
            first.pausedMs,
          )
          // The clock's stored total is enough to rebuild its due moment from its start.
          const again = later(pausedAt, pausedFor)
          const second = resumeDeadlines(
            calendar,
            duration.unit,
            { ...first, pausedAt: again },
            later(again, pausedAgainFor),
          )
          const total = first.pausedMs + second.pausedMs
          assert.equal(second.dueAt.getTime(), addTime(calendar, duration.unit, plan.dueAt, total).getTime())
        },
      ),
    )
  })

  /** Pauses around a clock's start: some before it, overlapping, nested, touching, empty. */
  const pausesFrom = (start: Date) =>
    fc.array(
      fc
        .tuple(fc.integer({ min: -2 * 24 * HOUR, max: 20 * 24 * HOUR }), spans)
        .map(([from, length]): PauseSpan => ({ from: later(start, from), to: later(start, from + length) })),
      { maxLength: 6 },
    )
  const clocks = fc
    .tuple(calendars, instants, durations)
    .chain(([calendar, start, duration]) =>
      fc.tuple(fc.constant(calendar), fc.constant(start), fc.constant(duration), pausesFrom(start)),
    )
  const dueWith =
    (calendar: BusinessCalendar, unit: DurationUnit, clock: Parameters<typeof dueAfterPauses>[2]) =>
    (pauses: readonly PauseSpan[]) =>
      dueAfterPauses(calendar, unit, clock, pauses).dueAt.getTime()

  test('paused time is the union of the pauses: overlapping, repeated or reordered pauses count once', () => {
    fc.assert(
      fc.property(clocks, ([calendar, start, duration, pauses]) => {
        const plan = planDeadlines(calendar, start, duration)
        const due = dueWith(calendar, duration.unit, { startedAt: start, dueAt: plan.dueAt })
        const union = unionOfPauses(pauses)
        for (const [i, span] of union.entries()) {
          assert.ok(span.from < span.to)
          if (i > 0) assert.ok((union[i - 1] as PauseSpan).to < span.from, 'union spans are apart')
        }
        assert.equal(due(pauses), due(union))
        assert.equal(due([...pauses, ...pauses]), due(pauses), 'a pause recorded twice')
        assert.equal(due([...pauses].reverse()), due(pauses))
        assert.ok(due(pauses) >= plan.dueAt.getTime())
      }),
    )
  })

  test('another pause never makes a clock due earlier; one outside the time it ran changes nothing', () => {
    fc.assert(
      fc.property(
        clocks,
        spans,
        spans,
        fc.integer({ min: 1, max: 30 * 24 * HOUR }),
        ([calendar, start, duration, pauses], extraFrom, extraLength, ranFor) => {
          const plan = planDeadlines(calendar, start, duration)
          const running = { startedAt: start, dueAt: plan.dueAt }
          const due = dueWith(calendar, duration.unit, running)
          const extra = { from: later(start, extraFrom), to: later(start, extraFrom + extraLength) }
          assert.ok(due([...pauses, extra]) >= due(pauses))
          // Before the clock started: nothing to pause.
          const before = {
            from: later(start, -extraFrom - extraLength - 1),
            to: later(start, -extraFrom - 1),
          }
          assert.equal(due([...pauses, before]), due(pauses))
          // After it stopped: nothing left to pause.
          const stoppedAt = later(start, ranFor)
          const dueStopped = dueWith(calendar, duration.unit, { ...running, stoppedAt })
          const afterStop = {
            from: later(stoppedAt, extraFrom),
            to: later(stoppedAt, extraFrom + extraLength),
          }
          assert.equal(dueStopped([...pauses, afterStop]), dueStopped(pauses))
        },
      ),
    )
  })

  test('a clock paused and resumed event by event is due where the union of its pauses puts it', () => {
    // Requests for information stamped in order, each answered some time after (or, stamped by
    // another server's clock, a little before); a request may be stamped before the answer to
    // the last, so pauses overlap, nest and touch.
    const exchanges = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 3 * 24 * HOUR }), fc.integer({ min: -HOUR, max: 4 * 24 * HOUR })),
      { maxLength: 6 },
    )
    fc.assert(
      fc.property(calendars, instants, durations, exchanges, (calendar, start, duration, steps) => {
        const plan = planDeadlines(calendar, start, duration)
        let deadlines: { dueAt: Date; warnAt: Date } = plan
        let resumedAt = null as Date | null
        let pausedTotal = 0
        let requested = later(start, -2 * HOUR)
        const pauses: PauseSpan[] = []
        // As applySlaForClaimEvent does: no event acts before the clock started.
        const atOrAfterStart = (at: Date) => (at < start ? start : at)
        for (const [gap, answerAfter] of steps) {
          requested = later(requested, gap)
          const answered = later(requested, answerAfter)
          pauses.push({ from: requested, to: answered })
          const pausedAt = pauseStart({ startedAt: start, resumedAt }, atOrAfterStart(requested))
          const moved = resumeDeadlines(
            calendar,
            duration.unit,
            { ...deadlines, pausedAt },
            atOrAfterStart(answered),
          )
          deadlines = moved
          pausedTotal += moved.pausedMs
          if (resumedAt === null || atOrAfterStart(answered) > resumedAt) resumedAt = atOrAfterStart(answered)
        }
        const expected = dueAfterPauses(
          calendar,
          duration.unit,
          { startedAt: start, dueAt: plan.dueAt },
          pauses,
        )
        assert.equal(deadlines.dueAt.getTime(), expected.dueAt.getTime())
        assert.equal(pausedTotal, expected.pausedMs)
      }),
    )
  })

  test('a resume stamped before its pause moves nothing', () => {
    fc.assert(
      fc.property(calendars, instants, durations, spans, (calendar, start, duration, back) => {
        const plan = planDeadlines(calendar, start, duration)
        const pausedAt = later(plan.dueAt, 0)
        const moved = resumeDeadlines(calendar, duration.unit, { ...plan, pausedAt }, later(pausedAt, -back))
        assert.equal(moved.pausedMs, 0)
        assert.equal(moved.dueAt.getTime(), plan.dueAt.getTime())
        assert.equal(moved.warnAt.getTime(), plan.warnAt.getTime())
      }),
    )
  })
})

describe('time left, colours and outcomes agree with the due moment', () => {
  test('time left never grows as now moves on, and stands still while paused', () => {
    fc.assert(
      fc.property(calendars, instants, durations, spans, spans, (calendar, start, duration, a, b) => {
        const { dueAt } = planDeadlines(calendar, start, duration)
        const earlier = later(start, a)
        const laterNow = later(earlier, b)
        const running = (now: Date) => timeLeft(calendar, duration.unit, { dueAt, pausedAt: null }, now)
        assert.ok(running(laterNow) <= running(earlier))
        assert.equal(
          timeLeft(calendar, duration.unit, { dueAt, pausedAt: earlier }, laterNow),
          running(earlier),
        )
        // The time used so far, as the unit counts it, is never negative and grows with now.
        const used = (now: Date) => measureTime(calendar, duration.unit, start, now)
        assert.ok(used(earlier) >= 0 && used(laterNow) >= used(earlier))
      }),
    )
  })

  test('the colour is breached exactly when now is past due, red exactly from the warning on', () => {
    fc.assert(
      fc.property(
        calendars,
        instants,
        durations,
        fc.oneof(spans, fc.constant(-1)),
        (calendar, start, duration, offset) => {
          const plan = planDeadlines(calendar, start, duration)
          // Now anywhere after the start, or exactly on the warning or the due moment.
          const now = offset === -1 ? plan.dueAt : offset % 3 === 0 ? plan.warnAt : later(start, offset)
          const left = timeLeft(calendar, duration.unit, { dueAt: plan.dueAt, pausedAt: null }, now)
          const overdue = now > plan.dueAt
          const colour = colourOf({ status: 'running', allowedMs: plan.allowedMs }, left, overdue)
          assert.equal(colour === 'breached', overdue, `colour ${colour}, left ${left}`)
          if (!overdue) assert.equal(colour === 'red', now >= plan.warnAt, `colour ${colour}, left ${left}`)
        },
      ),
    )
  })

  test('a stopped clock is met exactly when it stopped counting by its due moment', () => {
    fc.assert(
      fc.property(
        instants,
        fc.integer({ min: -5 * HOUR, max: 5 * HOUR }),
        fc.option(fc.integer({ min: -5 * HOUR, max: 5 * HOUR }), { nil: undefined }),
        (dueAt, stopOffset, pauseOffset) => {
          const stoppedAt = later(dueAt, stopOffset)
          const pausedAt = pauseOffset === undefined ? null : later(dueAt, pauseOffset)
          const countedUntil = Math.min(stoppedAt.getTime(), pausedAt?.getTime() ?? Number.POSITIVE_INFINITY)
          const outcome = judgeStop({ dueAt, pausedAt, breached: false }, stoppedAt)
          assert.equal(outcome, countedUntil <= dueAt.getTime() ? 'met' : 'breached')
        },
      ),
    )
  })
})

describe('which targets an event starts and stops', () => {
  const events = fc.constantFrom(
    'claim.opened',
    'unit.received',
    'decision.made',
    'inspection.recorded',
    'return.shipped',
    'forwarded.to-maker',
    'message.posted',
    'info.requested',
    'diagnosis.started',
  )
  const brands = fc.constantFrom<'own' | 'agent'>('own', 'agent')
  const targets = fc.array(
    fc.record(
      {
        clock: fc.constantFrom(FIRST_RESPONSE, 'verify', 'return', 'forward'),
        clause: fc.constant('P#c'),
        startOn: events,
        stopOn: fc.uniqueArray(events, { maxLength: 3 }),
        amount: fc.integer({ min: 0, max: 10 }),
        unit: units,
        brand: brands,
      },
      { requiredKeys: ['clock', 'clause', 'startOn', 'stopOn', 'amount', 'unit'] },
    ),
    { maxLength: 5 },
  )

  test('an event starts only the targets it names, for the unit’s brand', () => {
    fc.assert(
      fc.property(targets, events, brands, (list, event, brand) => {
        const started = selectTargetsToStart(list, event, brand)
        for (const t of started) assert.ok(t.startOn === event && (t.brand ?? brand) === brand)
        const expected = list.filter(
          (t) => t.startOn === event && (t.brand === undefined || t.brand === brand),
        )
        assert.equal(started.length, expected.length)
      }),
    )
  })

  test('every policy has a first-response target, its own when it names one', () => {
    fc.assert(
      fc.property(targets, (list) => {
        const all = withDefaultFirstResponse(list)
        const own = list.filter((t) => t.clock === FIRST_RESPONSE)
        const firstResponses = all.filter((t) => t.clock === FIRST_RESPONSE)
        assert.deepEqual(firstResponses, own.length > 0 ? own : [DEFAULT_FIRST_RESPONSE])
      }),
    )
  })

  test('stop events are listed once; only they stop; a customer never answers for the service', () => {
    fc.assert(
      fc.property(targets, events, fc.constantFrom(true, false, undefined), (list, event, byService) => {
        for (const target of list as ClockTarget[]) {
          const stopOn = stopEventsFor(target)
          assert.equal(new Set(stopOn).size, stopOn.length)
          for (const e of target.stopOn) assert.ok(stopOn.includes(e))
          if (target.clock === FIRST_RESPONSE)
            for (const e of FIRST_RESPONSE_STOP_EVENTS) assert.ok(stopOn.includes(e))
          const stops = shouldStop({ kind: target.clock, stopOn }, event, byService)
          if (!stopOn.includes(event)) assert.equal(stops, false)
          if (target.clock === FIRST_RESPONSE && byService === false) assert.equal(stops, false)
        }
      }),
    )
  })
})

test('the warning share is the documented 75%', () => assert.equal(WARNING_SHARE, 0.75))
