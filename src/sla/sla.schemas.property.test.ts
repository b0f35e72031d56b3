import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { addBusinessDuration, type BusinessCalendar, type DurationUnit } from './domain/business-calendar.ts'
import { CalendarBody } from './sla.schemas.ts'

/**
 * Calendars as an admin might write them, sound or not: weekdays missing, repeated or out of
 * range, hours out of order, closures from a day to years long, zones real and not. What the
 * schema lets through, every clock can count on; what it refuses, it refuses at a field.
 */

const DAY = 86_400_000
const FROM = Date.UTC(2025, 0, 1)
const dayAt = (offset: number) => new Date(FROM + offset * DAY).toISOString().slice(0, 10)
const clockTime = (quarter: number) =>
  `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`

/** Sorted spans on the quarter hour, as most calendars are written. */
const soundHours = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 2, maxLength: 6 })
  .map((cuts) => {
    const sorted = [...cuts].sort((a, b) => a - b)
    const spans = []
    for (let i = 0; i + 1 < sorted.length; i += 2)
      spans.push({ from: clockTime(sorted[i] as number), to: clockTime(sorted[i + 1] as number) })
    return spans
  })
const anyHours = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 0, max: 96 })), { maxLength: 3 })
  .map((spans) => spans.map(([from, to]) => ({ from: clockTime(from), to: clockTime(to) })))

const bodies = fc.record({
  name: fc.oneof(
    { weight: 9, arbitrary: fc.constant('Workshop') },
    { weight: 1, arbitrary: fc.constant(' ') },
  ),
  timeZone: fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'America/Santiago', 'UTC') },
    { weight: 1, arbitrary: fc.constant('Mars/Olympus') },
  ),
  workingDays: fc.oneof(
    { weight: 9, arbitrary: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }) },
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 8 }) },
  ),
  workingHours: fc.oneof({ weight: 9, arbitrary: soundHours }, { weight: 1, arbitrary: anyHours }),
  // One closure from day 0, from a day to well past what a clock can count across, and a few days besides.
  holidays: fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 700, max: 900 })),
      fc.uniqueArray(fc.integer({ min: 0, max: 1500 }), { maxLength: 10 }),
    )
    .map(([length, days]) => [...Array.from({ length }, (_, i) => dayAt(i)), ...days.map(dayAt)]),
  // Seldom any: one inside a closure breaks it, or is refused as a holiday too.
  makeUpWorkingDays: fc.oneof(
    { weight: 4, arbitrary: fc.constant<string[]>([]) },
    {
      weight: 1,
      arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: 1500 }), { maxLength: 3 }).map((d) => d.map(dayAt)),
    },
  ),
})

const FIELDS = new Set(['name', 'timeZone', 'workingDays', 'workingHours', 'holidays', 'makeUpWorkingDays'])
const units = fc.constantFrom<DurationUnit>('hours', 'days', 'working-hours', 'working-days')

test('a calendar the schema accepts counts every clock from any start; one it refuses is refused at a field', () => {
  fc.assert(
    fc.property(
      bodies,
      fc.array(
        fc.tuple(
          // Mostly at or just before the start of the closure, where a clock has the most of it to cross.
          fc.oneof(fc.integer({ min: -5, max: 60 }), fc.integer({ min: -5, max: 1500 })),
          units,
          fc.integer({ min: 1, max: 5 }),
        ),
        {
          minLength: 1,
          maxLength: 4,
        },
      ),
      (body, clocks) => {
        const parsed = CalendarBody.safeParse(body)
        if (!parsed.success) {
          for (const issue of parsed.error.issues)
            assert.ok(FIELDS.has(String(issue.path[0])), `refused at ${issue.path.join('.')}`)
          return
        }
        const calendar: BusinessCalendar = {
          ...parsed.data,
          id: 'generated',
          workingDays: parsed.data.workingDays as BusinessCalendar['workingDays'],
        }
        for (const [day, unit, amount] of clocks) {
          const start = new Date(FROM + day * DAY + 13 * 3_600_000)
          const due = addBusinessDuration(calendar, start, { amount, unit })
          assert.ok(due >= start, `${unit} ${amount} from ${start.toISOString()}`)
        }
      },
    ),
    { numRuns: Number(process.env.SLA_RUNS ?? 150) },
  )
})
