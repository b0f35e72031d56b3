import type { Db } from '../db/database.ts'
import { enqueueEmail } from '../notify/index.ts'
import type { PolicyLibrary } from '../policies/index.ts'
import { customerMailLocale } from '../registry/index.ts'
import { addDays, daysBetween } from '../shared/day-numbers.ts'
import { localDate } from '../shared/local-date.ts'
import { findClaim, findCustomerContact } from './claim.store.ts'
import { claimNumber, claimTimeZone, projectionFromRow } from './claim-view.ts'

/**
 * A customer whose quote waits for an answer is reminded once, on the day before its last
 * day (or on the last day, for a quote that had only one): past it the quote can no longer
 * be accepted, and a repair the customer wanted would stop for want of a click.
 */
export const REMIND_DAYS_BEFORE_LAST_DAY = 1

/**
 * Sends the reminders due at `now`, each in the transaction that marks its quote reminded:
 * several instances, or a sweep run twice, send one. Returns how many were sent.
 */
export async function remindQuotesNearLastDay(
  ctx: { db: Db; policies: Pick<PolicyLibrary, 'summary'> },
  now: Date,
): Promise<number> {
  // Last days near enough in some zone on Earth (UTC-12 to UTC+14); each is checked below
  // in its own claim's zone. The rest are not read.
  const utcToday = now.toISOString().slice(0, 10)
  const waiting = await ctx.db
    .selectFrom('claim_quotes')
    .select(['id', 'claim_id', 'valid_until', 'sent_at', 'currency', 'customer_minor'])
    .where('status', '=', 'sent')
    .where('reminded_at', 'is', null)
    .where('valid_until', '>=', addDays(utcToday, -1))
    .where('valid_until', '<=', addDays(utcToday, REMIND_DAYS_BEFORE_LAST_DAY + 1))
    .execute()
  let sent = 0
  for (const quote of waiting) {
    const claim = await findClaim(ctx.db, quote.claim_id)
    if (!claim?.customer_id || quote.valid_until === null) continue
    // Only the quote the claim waits on: an older one was answered or replaced.
    if (projectionFromRow(claim).quote?.id !== quote.id) continue
    const timeZone = claimTimeZone(ctx.policies, claim)
    const today = localDate(now, timeZone)
    const daysLeft = daysBetween(today, quote.valid_until)
    // Not on the day it was sent (the customer has just read it), nor once it has expired.
    if (daysLeft < 0 || daysLeft > REMIND_DAYS_BEFORE_LAST_DAY) continue
    if (localDate(new Date(quote.sent_at), timeZone) >= today) continue
    const customerId = claim.customer_id
    const reminded = await ctx.db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('claim_quotes')
        .set({ reminded_at: now.toISOString() })
        .where('id', '=', quote.id)
        .where('status', '=', 'sent')
        .where('reminded_at', 'is', null)
        .executeTakeFirst()
      if (Number(marked.numUpdatedRows) !== 1) return false
      const customer = await findCustomerContact(trx, customerId)
      if (!customer) return true
      await enqueueEmail(trx, {
        to: customer.email,
        person: { customerId: customer.id },
        template: 'quote.last-day-near',
        locale: customerMailLocale(customer),
        claimId: claim.id,
        data: {
          claimNumber: claimNumber(claim),
          recipientName: customer.name,
          timeZone,
          quoteNumber: `${claimNumber(claim)}-Q`,
          currency: quote.currency,
          totalCustomerMinor: Number(quote.customer_minor),
          validUntil: quote.valid_until,
          ...(claim.model ? { model: claim.model } : {}),
          serial: claim.serial,
        },
      })
      return true
    })
    if (reminded) sent++
  }
  return sent
}
