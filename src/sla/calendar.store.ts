import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { BUILTIN_CALENDAR_IDS, BUILTIN_CALENDARS, fallbackCalendar } from './domain/builtin-calendars.ts'
import {
  type BusinessCalendar,
  deriveSupportCalendar,
  type SupportHours,
} from './domain/business-calendar.ts'

export type CalendarOrigin = 'built-in' | 'stored' | 'stored-override'

export async function findStoredCalendar(
  db: Kysely<Database>,
  id: string,
): Promise<(BusinessCalendar & { updatedAt: string; updatedBy: string }) | undefined> {
  const row = await db.selectFrom('calendars').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) return undefined
  return { ...JSON.parse(row.definition), id: row.id, updatedAt: row.updated_at, updatedBy: row.updated_by }
}

export async function listStoredCalendarIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('calendars').select('id').orderBy('id').execute()
  return rows.map((r) => r.id)
}

/** The ids of every calendar a policy may name: the built-in ones and those stored. */
export async function definedCalendarIds(db: Kysely<Database>): Promise<Set<string>> {
  return new Set([...BUILTIN_CALENDAR_IDS, ...(await listStoredCalendarIds(db))])
}

export async function saveCalendar(
  db: Kysely<Database>,
  calendar: BusinessCalendar,
  updatedBy: string,
  now: Date,
): Promise<void> {
  const { id, ...definition } = calendar
  const at = now.toISOString()
  await db
    .insertInto('calendars')
    .values({
      id,
      definition: JSON.stringify(definition),
      updated_by: updatedBy,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet({ definition: JSON.stringify(definition), updated_by: updatedBy, updated_at: at }),
    )
    .execute()
}

/** A calendar by id: a stored one first (admins may override a built-in), then the built-ins. */
export async function findCalendar(
  db: Kysely<Database>,
  id: string,
): Promise<{ calendar: BusinessCalendar; origin: CalendarOrigin; updatedAt?: string } | undefined> {
  const stored = await findStoredCalendar(db, id)
  if (stored) {
    const { updatedAt, updatedBy: _by, ...calendar } = stored
    return { calendar, origin: BUILTIN_CALENDARS.has(id) ? 'stored-override' : 'stored', updatedAt }
  }
  const builtin = BUILTIN_CALENDARS.get(id)
  return builtin ? { calendar: builtin, origin: 'built-in' } : undefined
}

/** What a clock row says about its calendar. */
export interface ClockCalendarRef {
  calendar: string
  time_zone: string
  support_hours: string | null
}

/**
 * Resolves clock calendars, reading each id once per resolver (a sweep or a queue page
 * touches many clocks on few calendars). An undefined id falls back rather than failing,
 * and `isDefined` says so, for the clock's view to show it.
 */
export function createCalendarResolver(db: Kysely<Database>) {
  const found = new Map<string, ReturnType<typeof findCalendar>>()
  const lookUp = (id: string): ReturnType<typeof findCalendar> => {
    let result = found.get(id)
    if (!result) {
      result = findCalendar(db, id)
      found.set(id, result)
    }
    return result
  }
  const cache = new Map<string, Promise<BusinessCalendar>>()
  const base = (id: string, timeZone: string): Promise<BusinessCalendar> => {
    const key = `${id}\u0000${timeZone}`
    let calendar = cache.get(key)
    if (!calendar) {
      calendar = lookUp(id).then((r) => r?.calendar ?? fallbackCalendar(id, timeZone))
      cache.set(key, calendar)
    }
    return calendar
  }
  const derived = new Map<string, BusinessCalendar>()
  return {
    base,
    /** False for an id neither built in nor stored: clocks on it count the fallback's hours. */
    isDefined: async (id: string): Promise<boolean> => (await lookUp(id)) !== undefined,
    async forClock(ref: ClockCalendarRef): Promise<BusinessCalendar> {
      const calendar = await base(ref.calendar, ref.time_zone)
      if (ref.support_hours === null) return calendar
      // One object per calendar and hours, so its compiled form is reused across rows.
      const key = `${ref.calendar}\u0000${ref.time_zone}\u0000${ref.support_hours}`
      let support = derived.get(key)
      if (!support) {
        support = deriveSupportCalendar(calendar, JSON.parse(ref.support_hours) as SupportHours)
        derived.set(key, support)
      }
      return support
    },
  }
}
export type CalendarResolver = ReturnType<typeof createCalendarResolver>
