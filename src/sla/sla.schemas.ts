import { IANAZone } from 'luxon'
import { z } from 'zod'
import { EARLIER_CURSOR, pageCursor, pageLimit, pageOf } from '../contracts/api/page.ts'
import { findWorklessStretch } from './domain/business-calendar.ts'
import { CLOCK_STATUSES } from './domain/clock-rules.ts'

// Worded by catalogue keys, so a Chinese manager is told what is wrong and not only where.
const clockTime = z.string().refine((time) => /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/.test(time), {
  message: 'sla.calendar.clock-time',
  params: { pattern: 'HH:MM', first: '00:00', last: '24:00' },
})
const localDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' })
const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3))

export const CalendarId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes, e.g. cn-mainland')

export const WorkingHoursSchema = z.object({ from: clockTime, to: clockTime })

/** A business calendar as admins write it (the id comes from the URL). */
export const CalendarBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), {
      message: 'sla.calendar.time-zone',
      params: { example: 'Asia/Shanghai' },
    }),
    /** ISO weekdays, 1 = Monday … 7 = Sunday. */
    workingDays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    /**
     * Spans of one working day in order, e.g. 09:00–12:00 and 13:30–18:00; `24:00` ends the day,
     * and the last span may end earlier than it starts, the next morning (22:00–06:00).
     */
    workingHours: z.array(WorkingHoursSchema).min(1).max(12),
    /** Local dates off. */
    holidays: z.array(localDate).max(5000).default([]),
    /** Dates that are working days whatever their weekday (China's adjusted working days, 调休). */
    makeUpWorkingDays: z.array(localDate).max(5000).default([]),
    /** Where the dates come from and when they must be extended. */
    source: z.string().max(1000).optional(),
  })
  .superRefine((calendar, ctx) => {
    let previousEnd = -1
    const spans = calendar.workingHours
    spans.forEach((span, i) => {
      const to = ['workingHours', i, 'to']
      // A span that ends before it starts runs past midnight (a night desk, 22:00–06:00) and is
      // the date's last; it must end before the next date's first span starts, or a night
      // followed by a working date would count the same hours twice.
      if (minutes(span.to) === minutes(span.from)) {
        ctx.addIssue({
          code: 'custom',
          path: to,
          message: 'sla.calendar.span-empty',
          params: { from: span.from },
        })
      } else if (minutes(span.to) < minutes(span.from)) {
        const first = spans[0]?.from ?? span.from
        if (i !== spans.length - 1)
          ctx.addIssue({ code: 'custom', path: to, message: 'sla.calendar.night-span-not-last' })
        else if (minutes(span.to) > minutes(first))
          ctx.addIssue({
            code: 'custom',
            path: to,
            message: 'sla.calendar.night-span-overlap',
            params: { first },
          })
      }
      if (minutes(span.from) < previousEnd) {
        ctx.addIssue({
          code: 'custom',
          path: ['workingHours', i, 'from'],
          message: 'sla.calendar.span-order',
        })
      }
      previousEnd = Math.max(previousEnd, minutes(span.to))
    })
    if (new Set(calendar.workingDays).size !== calendar.workingDays.length) {
      ctx.addIssue({ code: 'custom', path: ['workingDays'], message: 'sla.calendar.weekday-repeated' })
    }
    const holidays = new Set(calendar.holidays)
    calendar.makeUpWorkingDays.forEach((date, i) => {
      if (holidays.has(date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['makeUpWorkingDays', i],
          message: 'sla.calendar.also-holiday',
          params: { date },
        })
      }
    })
    // A run of days off too long to count across is a calendar no clock can use
    // (`addBusinessDuration` gives up on it); judged once every date is a date.
    const sound = (dates: string[]) => dates.every((date) => localDate.safeParse(date).success)
    if (
      sound(calendar.holidays) &&
      sound(calendar.makeUpWorkingDays) &&
      findWorklessStretch(calendar) !== undefined
    ) {
      ctx.addIssue({ code: 'custom', path: ['holidays'], message: 'sla.calendar.workless' })
    }
  })
export type CalendarBody = z.output<typeof CalendarBody>

export const CalendarParams = z.object({ id: CalendarId })

export const CalendarView = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  workingDays: z.array(z.number()),
  workingHours: z.array(z.object({ from: z.string(), to: z.string() })),
  holidays: z.array(z.string()),
  makeUpWorkingDays: z.array(z.string()),
  source: z.string().optional(),
  /** `built-in`, `stored` (defined here), or `stored-override` (a stored edit of a built-in). */
  origin: z.enum(['built-in', 'stored', 'stored-override']),
  updatedAt: z.string().nullable(),
})
export const CalendarListResponse = pageOf(
  CalendarView.pick({ id: true, name: true, timeZone: true, origin: true }),
)

export const ClockColour = z.enum(['green', 'amber', 'red', 'breached'])

export const ClockView = z.object({
  id: z.string(),
  claimId: z.string(),
  kind: z.string(),
  clause: z.string(),
  calendar: z.string(),
  /**
   * True when the clock's calendar is neither built in nor stored (a restored backup may lack
   * it): its time is then counted Monday to Friday, 09:00–18:00 in the clock's time zone,
   * until the calendar is defined again (PUT /api/v1/calendars/{id}).
   */
  calendarFallback: z.boolean(),
  unit: z.enum(['hours', 'days', 'working-hours', 'working-days']),
  amount: z.number(),
  status: z.enum(CLOCK_STATUSES),
  startedAt: z.string(),
  dueAt: z.string(),
  warnAt: z.string(),
  pausedAt: z.string().nullable(),
  /** Time paused so far, counted as the unit counts time; the due moment moved by this much. */
  pausedTotalMs: z.number(),
  stoppedAt: z.string().nullable(),
  stoppedBy: z.string().nullable(),
  breachedAt: z.string().nullable(),
  warnedAt: z.string().nullable(),
  /** For open clocks: time left as the unit counts it (working time for working units), negative when overdue. */
  timeLeftMs: z.number().nullable(),
  colour: ClockColour.nullable(),
})
export type ClockView = z.infer<typeof ClockView>

export const QueueQuery = z.object({
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'must be a clock kind such as verify')
    .optional(),
  status: z.enum(['running', 'paused', 'breached']).optional(),
  limit: pageLimit(100),
  cursor: pageCursor(),
  after: z.string().max(300).optional().describe(EARLIER_CURSOR),
})
export const QueueResponse = pageOf(ClockView)

export const ClaimClocksParams = z.object({ id: z.string().min(1).max(100) })
export const ClaimClocksResponse = pageOf(ClockView).extend({ claimId: z.string() })

export const ComplianceQuery = z
  .object({
    /** First day, UTC, inclusive. */
    from: localDate,
    /** Last day, UTC, inclusive. */
    to: localDate,
  })
  .refine((q) => q.to >= q.from, { path: ['to'], message: 'must not be before from' })

const ComplianceLine = z.object({
  kind: z.string(),
  met: z.number(),
  breached: z.number(),
  /** Met / (met + breached), or null when nothing concluded. */
  compliance: z.number().nullable(),
})
export const ComplianceResponse = z.object({
  from: z.string(),
  to: z.string(),
  kinds: z.array(ComplianceLine),
  total: ComplianceLine.omit({ kind: true }),
})
export type ComplianceResponse = z.infer<typeof ComplianceResponse>
