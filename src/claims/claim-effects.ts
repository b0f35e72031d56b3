import type { Actor } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import { enqueueEmail, enqueueWebhookEvent, isEmailTemplateId } from '../notify/index.ts'
import { deriveRecoveriesAfterClaimEvent } from '../recoveries/index.ts'
import { customerMailLocale } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { applySlaForClaimEvent } from '../sla/index.ts'
import { findCustomerContact } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { claimNumber, claimTimeZone } from './claim-view.ts'
import { announceToDealer } from './dealer-emails.ts'
import type { ClaimProjection } from './domain/claim-projection.ts'

/**
 * What follows every appended event, in the same transaction: the SLA clocks, the webhook,
 * where the dealer serving the claim should hear of it an e-mail to its users
 * (`dealer-emails.ts`) and, where the customer should hear of it, an e-mail named after the
 * event type.
 */
export async function announceClaimEvent(
  ctx: Pick<AppContext, 'policies'>,
  trx: Db,
  claim: ClaimsTable,
  event: {
    type: string
    at: string
    actor: Actor
    email?: Record<string, unknown> | undefined
    webhook?: Record<string, unknown>
    /** The claim's projection the event was applied to; `claim` is the row after it. */
    before?: ClaimProjection
    /** The local day the physical event happened (a unit's arrival), when the step records one. */
    occurredOn?: string
    /** The earliest moment that physical event can have happened (the claim's opening, for a step on it). */
    occurredNotBefore?: string
  },
): Promise<void> {
  await applySlaForClaimEvent(trx, {
    claimId: claim.id,
    eventType: event.type,
    at: event.at,
    brand: claim.brand === 'agent' ? 'agent' : 'own',
    // The first-response clock stops at the first step taken by service staff.
    actorRole: event.actor.role,
    serviceLevels: ctx.policies.serviceLevels(claim.policy_id, claim.policy_version ?? undefined),
    ...(event.occurredOn === undefined ? {} : { occurredOn: event.occurredOn }),
    ...(event.occurredNotBefore === undefined ? {} : { occurredNotBefore: event.occurredNotBefore }),
  })
  // Work another party owes for becomes recovery lines in the same transaction.
  await deriveRecoveriesAfterClaimEvent(
    trx,
    { ...claim, timeZone: claimTimeZone(ctx.policies, claim) },
    event,
  )
  await enqueueWebhookEvent(trx, {
    type: event.type,
    claimId: claim.id,
    data: {
      claimNumber: claimNumber(claim),
      state: claim.state,
      serial: claim.serial,
      ...(event.webhook ?? {}),
    },
  })
  // The dealer serving the claim hears of what it must act on, in the same transaction.
  await announceToDealer(trx, claim, event)
  // The customer hears of what they must act on or wait for; their own actions need no echo.
  // Except the receipt: whoever opened the claim, the customer is told it was received.
  if (!event.email || !claim.customer_id) return
  if (event.actor.role === 'customer' && event.type !== 'claim.opened') return
  if (!isEmailTemplateId(event.type)) return
  const customer = await findCustomerContact(trx, claim.customer_id)
  if (!customer) return
  await enqueueEmail(trx, {
    to: customer.email,
    template: event.type,
    locale: customerMailLocale(customer),
    claimId: claim.id,
    data: {
      claimNumber: claimNumber(claim),
      recipientName: customer.name,
      // Times in the message are read at the clock of the policy's zone, as its days are counted.
      timeZone: claimTimeZone(ctx.policies, claim),
      ...event.email,
    },
  })
}
