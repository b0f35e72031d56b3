import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { CN_MAINLAND } from './builtin-calendars.ts'
import {
  type ClockTarget,
  colourOf,
  judgeStop,
  planDeadlines,
  resumeDeadlines,
  selectTargetsToStart,
  shouldStop,
  stopEventsFor,
  timeLeft,
} from './clock-rules.ts'

const HOUR = 3_600_000
const sh = (local: string) => new Date(`${local}+08:00`)

/** Seed 002's targets, as a policy would state them. */
const SEED_002: ClockTarget[] = [
  {
    clock: 'first-response',
    clause: 'S002#support',
    startOn: 'claim.opened',
    stopOn: [],
    amount: 2,
    unit: 'working-hours',
  },
  {
    clock: 'verify',
    clause: 'S002#verify',
    startOn: 'unit.received',
    stopOn: ['inspection.recorded'],
    amount: 12,
    unit: 'hours',
  },
  {
    clock: 'return',
    clause: 'S002#return',
    startOn: 'decision.made',
    stopOn: ['return.shipped'],
    amount: 3,
    unit: 'working-days',
    brand: 'own',
  },
  {
    clock: 'forward',
    clause: 'S002#forward',
    startOn: 'unit.received',
    stopOn: ['forwarded.to-maker'],
    amount: 12,
    unit: 'hours',
    brand: 'agent',
  },
]

describe('which clocks an event starts', () => {
  const rows: Array<[string, 'own' | 'agent', string[]]> = [
    ['unit.received', 'own', ['verify']],
    ['unit.received', 'agent', ['verify', 'forward']],
    ['decision.made', 'own', ['return']],
    ['decision.made', 'agent', []],
    ['quote.sent', 'own', []],
  ]
  for (const [event, brand, kinds] of rows) {
    test(`${event} for an ${brand} brand unit starts ${kinds.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(
        selectTargetsToStart(SEED_002, event, brand).map((t) => t.clock),
        kinds,
      )
    })
  }
})

describe('which events stop a clock', () => {
  const firstResponse = { kind: 'first-response', stopOn: stopEventsFor(SEED_002[0]!) }
  const verify = { kind: 'verify', stopOn: stopEventsFor(SEED_002[1]!) }
  const rows: Array<[string, { kind: string; stopOn: string[] }, string, boolean | undefined, boolean]> = [
    ['first response stops when staff start diagnosis', firstResponse, 'diagnosis.started', undefined, true],
    ['first response stops on a staff message', firstResponse, 'message.posted', true, true],
    ['first response keeps running on a customer message', firstResponse, 'message.posted', false, false],
    [
      'first response keeps running on a message from an unknown author',
      firstResponse,
      'message.posted',
      undefined,
      false,
    ],
    ['first response stops on an RMA', firstResponse, 'rma.authorized', undefined, true],
    ['first response ignores a self-check', firstResponse, 'selfcheck.recorded', true, false],
    ['verify stops on the inspection', verify, 'inspection.recorded', undefined, true],
    ['verify ignores a message', verify, 'message.posted', true, false],
  ]
  for (const [name, clock, event, byStaff, expected] of rows) {
    test(name, () => assert.equal(shouldStop(clock, event, byStaff), expected))
  }
})

describe('deadlines, pauses and outcomes', () => {
  test('12 working hours from Friday 10:00 are due Monday 13:00, warning at 75% (Monday 10:00)', () => {
    const plan = planDeadlines(CN_MAINLAND, sh('2025-03-14T10:00'), { amount: 12, unit: 'working-hours' })
    assert.equal(plan.dueAt.toISOString(), sh('2025-03-17T13:00').toISOString())
    assert.equal(plan.warnAt.toISOString(), sh('2025-03-17T10:00').toISOString())
    assert.equal(plan.allowedMs, 12 * HOUR)
  })

  test('a pause over the weekend moves a working-hours due by the working time paused (3 h)', () => {
    const plan = planDeadlines(CN_MAINLAND, sh('2025-03-14T10:00'), { amount: 12, unit: 'working-hours' })
    const resumed = resumeDeadlines(
      CN_MAINLAND,
      'working-hours',
      { ...plan, pausedAt: sh('2025-03-14T16:00') },
      sh('2025-03-17T10:00'),
    )
    assert.equal(resumed.pausedMs, 3 * HOUR)
    assert.equal(resumed.dueAt.toISOString(), sh('2025-03-17T16:00').toISOString())
  })

  test('a pause over the weekend moves an elapsed-hours due by the whole 66 h', () => {
    const plan = planDeadlines(CN_MAINLAND, sh('2025-03-14T10:00'), { amount: 12, unit: 'hours' })
    const resumed = resumeDeadlines(
      CN_MAINLAND,
      'hours',
      { ...plan, pausedAt: sh('2025-03-14T16:00') },
      sh('2025-03-17T10:00'),
    )
    assert.equal(resumed.pausedMs, 66 * HOUR)
    assert.equal(resumed.dueAt.toISOString(), sh('2025-03-17T16:00').toISOString())
  })

  test('a working-days clock paused for half a working day is due at lunchtime the day after', () => {
    const plan = planDeadlines(CN_MAINLAND, sh('2025-03-10T10:00'), { amount: 1, unit: 'working-days' })
    assert.equal(plan.dueAt.toISOString(), sh('2025-03-11T18:00').toISOString())
    const resumed = resumeDeadlines(
      CN_MAINLAND,
      'working-days',
      { ...plan, pausedAt: sh('2025-03-10T14:00') },
      sh('2025-03-10T18:00'),
    )
    assert.equal(resumed.dueAt.toISOString(), sh('2025-03-12T13:00').toISOString())
  })

  test('outcome: met by the due moment, breached after, a paused clock is judged when it paused', () => {
    const dueAt = sh('2025-03-14T18:00')
    assert.equal(judgeStop({ dueAt, pausedAt: null, breached: false }, dueAt), 'met')
    assert.equal(
      judgeStop({ dueAt, pausedAt: null, breached: false }, new Date(dueAt.getTime() + 1)),
      'breached',
    )
    assert.equal(
      judgeStop({ dueAt, pausedAt: sh('2025-03-14T17:00'), breached: false }, sh('2025-03-20T10:00')),
      'met',
    )
    assert.equal(judgeStop({ dueAt, pausedAt: null, breached: true }, sh('2025-03-14T10:00')), 'breached')
  })

  test('time left counts working time and freezes while paused', () => {
    const dueAt = sh('2025-03-17T13:00')
    assert.equal(
      timeLeft(CN_MAINLAND, 'working-hours', { dueAt, pausedAt: null }, sh('2025-03-14T17:00')),
      5 * HOUR,
    )
    assert.equal(
      timeLeft(
        CN_MAINLAND,
        'working-hours',
        { dueAt, pausedAt: sh('2025-03-17T12:00') },
        sh('2025-03-20T10:00'),
      ),
      1 * HOUR,
    )
  })

  test('colour hints', () => {
    const clock = { status: 'running' as const, allowedMs: 100 }
    assert.equal(colourOf(clock, 80, false), 'green')
    assert.equal(colourOf(clock, 40, false), 'amber')
    assert.equal(colourOf(clock, 10, false), 'red')
    assert.equal(colourOf(clock, 0, true), 'breached')
    assert.equal(colourOf({ status: 'breached', allowedMs: 100 }, 50, false), 'breached')
  })

  test('on its due moment a clock is red, not yet breached; past a due moment at close of business it is', () => {
    const plan = planDeadlines(CN_MAINLAND, sh('2025-03-14T10:00'), { amount: 8, unit: 'working-hours' })
    assert.equal(plan.dueAt.toISOString(), sh('2025-03-14T18:00').toISOString())
    const colourAt = (now: Date) =>
      colourOf(
        { status: 'running', allowedMs: plan.allowedMs },
        timeLeft(CN_MAINLAND, 'working-hours', { dueAt: plan.dueAt, pausedAt: null }, now),
        now > plan.dueAt,
      )
    // A stop at 18:00 is met (judgeStop), so the queue must not show the clock as late then.
    assert.equal(colourAt(sh('2025-03-14T18:00')), 'red')
    // The evening counts no working time, so time left is 0 here too; the clock is late all the same.
    assert.equal(colourAt(sh('2025-03-14T19:00')), 'breached')
  })

  test('the colour turns red on the warning moment to the millisecond', () => {
    // One millisecond before close on Friday plus Monday: 9 h + 1 ms allowed, 75% of it is not whole.
    const plan = planDeadlines(CN_MAINLAND, new Date(sh('2025-03-14T18:00').getTime() - 1), {
      amount: 1,
      unit: 'working-days',
    })
    assert.equal(plan.allowedMs, 9 * HOUR + 1)
    const left = timeLeft(CN_MAINLAND, 'working-days', { dueAt: plan.dueAt, pausedAt: null }, plan.warnAt)
    assert.equal(colourOf({ status: 'running', allowedMs: plan.allowedMs }, left, false), 'red')
  })

  test('a stop stamped before the pause is judged at the stop', () => {
    const dueAt = sh('2025-03-14T18:00')
    assert.equal(
      judgeStop({ dueAt, pausedAt: sh('2025-03-14T18:01'), breached: false }, sh('2025-03-14T17:59')),
      'met',
    )
  })
})
