import type { AppContext } from './app-context.ts'
import { localDate } from './local-date.ts'

/**
 * Today as the seller reads it: the date in the time zone of the policies in scope, the zone
 * their claims are dated and their service calendars count in. Of policies in several zones,
 * the latest of their dates, so a claim opened today where its policy counts its days is in
 * the report at once; no seller is ever shown a day still to come in their own zone. Without
 * a policy in scope, the zones of every policy the library holds, and UTC without any.
 */
export function sellerToday(ctx: Pick<AppContext, 'policies' | 'now'>, policyIds: readonly string[]): string {
  const zones = new Set<string>()
  for (const id of policyIds) {
    const zone = ctx.policies.summary(id)?.timeZone
    if (zone) zones.add(zone)
  }
  if (zones.size === 0) for (const p of ctx.policies.list()) zones.add(p.timeZone)
  if (zones.size === 0) zones.add('UTC')
  const now = ctx.now()
  let today = ''
  for (const zone of zones) {
    const day = localDate(now, zone)
    if (day > today) today = day
  }
  return today
}
