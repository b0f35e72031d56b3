import { policyFileError, undefinedCalendarErrors } from '../policies/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { definedCalendarIds } from '../sla/index.ts'

/**
 * Refuses to serve policies whose business calendar is defined nowhere: their clocks would
 * run on hours no one chose, with nothing to show it. Calendars can be stored at run time
 * (PUT /api/v1/calendars/{id}), so the check reads them and runs once the tables exist.
 */
export async function refuseUndefinedCalendars(ctx: AppContext): Promise<void> {
  const defined = await definedCalendarIds(ctx.db)
  const errors = ctx.policies.list().flatMap(({ id, version }) => {
    const levels = ctx.policies.serviceLevels(id, version)
    const source = ctx.policies.source(id, version)
    if (levels === undefined || source === undefined) return []
    return undefinedCalendarErrors(source, `${id}@${version}`, levels.calendar, defined)
  })
  if (errors.length > 0) throw policyFileError(errors)
}
