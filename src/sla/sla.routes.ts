import { isStaff, requireActor, requireRole, requireStaff } from '../auth/index.ts'
import { nextCursor, splitGivenCursor } from '../contracts/api/page.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import {
  createCalendarResolver,
  findCalendar,
  listStoredCalendarIds,
  saveCalendar,
} from './calendar.store.ts'
import {
  claimExists,
  listClocksOfClaim,
  listOpenClocks,
  queueCursor,
  splitQueueCursor,
} from './clock.store.ts'
import { toClockView } from './clock-view.ts'
import { BUILTIN_CALENDARS } from './domain/builtin-calendars.ts'
import type { BusinessCalendar, Weekday } from './domain/business-calendar.ts'
import {
  CalendarBody,
  CalendarListResponse,
  CalendarParams,
  CalendarView,
  ClaimClocksParams,
  ClaimClocksResponse,
  ComplianceQuery,
  ComplianceResponse,
  QueueQuery,
  QueueResponse,
} from './sla.schemas.ts'
import { summarizeSlaCompliance } from './summarize-sla-compliance.ts'

const CALENDAR_EDITORS = ['admin', 'manager'] as const

/** HTTP routes of the sla feature: the SLA queue, a claim's clocks, business calendars, compliance. */
export async function slaRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/queues/sla',
    {
      schema: {
        tags: ['sla'],
        summary: 'Open SLA clocks by due time, with the business time left and a colour',
        querystring: QueueQuery,
        response: { 200: QueueResponse },
      },
    },
    async (request) => {
      requireStaff(request)
      const { cursor, after, ...filter } = request.query
      const rows = await listOpenClocks(ctx.db, {
        ...filter,
        after: splitGivenCursor({ cursor, after }, splitQueueCursor),
      })
      const calendars = createCalendarResolver(ctx.db)
      const now = ctx.now()
      return {
        items: await Promise.all(rows.map((row) => toClockView(row, calendars, now))),
        next: nextCursor(rows, request.query.limit, queueCursor),
      }
    },
  )

  app.get(
    '/api/v1/claims/:id/clocks',
    {
      schema: {
        tags: ['sla'],
        summary: 'The SLA clocks of one claim (staff)',
        params: ClaimClocksParams,
        response: { 200: ClaimClocksResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      // Other parties learn nothing about claim ids: not found, as for a claim they cannot see.
      // Staff get the same answer for a claim that does not exist, not an empty list of clocks.
      if (!isStaff(actor) || !(await claimExists(ctx.db, request.params.id))) {
        throw new AppError('not-found', { key: 'sla.no-claim' })
      }
      const rows = await listClocksOfClaim(ctx.db, request.params.id)
      const calendars = createCalendarResolver(ctx.db)
      const now = ctx.now()
      return {
        claimId: request.params.id,
        items: await Promise.all(rows.map((row) => toClockView(row, calendars, now))),
        next: null,
      }
    },
  )

  app.get(
    '/api/v1/calendars',
    {
      schema: {
        tags: ['sla'],
        summary: 'Business calendars: built-in and stored',
        response: { 200: CalendarListResponse },
      },
    },
    async (request) => {
      requireActor(request)
      const ids = [...new Set([...BUILTIN_CALENDARS.keys(), ...(await listStoredCalendarIds(ctx.db))])].sort()
      const items = []
      for (const id of ids) {
        const found = await findCalendar(ctx.db, id)
        if (found)
          items.push({
            id,
            name: found.calendar.name,
            timeZone: found.calendar.timeZone,
            origin: found.origin,
          })
      }
      return { items, next: null }
    },
  )

  app.get(
    '/api/v1/calendars/:id',
    {
      schema: {
        tags: ['sla'],
        summary: 'One business calendar: working days, hours, holidays and make-up working days',
        params: CalendarParams,
        response: { 200: CalendarView },
      },
    },
    async (request) => {
      requireActor(request)
      return calendarView(ctx, request.params.id)
    },
  )

  app.put(
    '/api/v1/calendars/:id',
    {
      schema: {
        tags: ['sla'],
        summary: 'Define a business calendar, or override a built-in one (admins and managers)',
        description:
          'Applies to clocks started afterwards and to pauses resumed afterwards; due times already set stay. Days off that leave more than 800 days in a row without a working day are refused naming `holidays`: no deadline could be counted across them. Working hours are local `HH:MM` spans in order; `24:00` ends the day, and the last span may end earlier than it starts, the next morning (a night desk, `22:00`–`06:00`), ending no later than the first span starts: it belongs to the date it starts on, whose holiday or working day decides it whole.',
        params: CalendarParams,
        body: CalendarBody,
        response: { 200: CalendarView },
      },
    },
    async (request) => {
      const actor = requireRole(request, CALENDAR_EDITORS)
      const calendar: BusinessCalendar = {
        ...request.body,
        id: request.params.id,
        workingDays: request.body.workingDays as Weekday[],
        holidays: [...new Set(request.body.holidays)].sort(),
        makeUpWorkingDays: [...new Set(request.body.makeUpWorkingDays)].sort(),
      }
      await saveCalendar(ctx.db, calendar, actor.userId, ctx.now())
      return calendarView(ctx, request.params.id)
    },
  )

  app.get(
    '/api/v1/reports/sla',
    {
      schema: {
        tags: ['sla', 'reports'],
        summary: 'SLA compliance: met and breached clocks per kind over a date range (UTC days)',
        querystring: ComplianceQuery,
        response: { 200: ComplianceResponse },
      },
    },
    async (request) => {
      requireStaff(request)
      return summarizeSlaCompliance(ctx.db, request.query)
    },
  )
}

async function calendarView(ctx: AppContext, id: string) {
  const found = await findCalendar(ctx.db, id)
  if (!found) throw new AppError('not-found', { key: 'sla.no-calendar', params: { id } })
  return { ...found.calendar, origin: found.origin, updatedAt: found.updatedAt ?? null }
}
