import { type Actor, isStaff, listActiveOrgUsers } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import { emailLocaleOfCountry, enqueueEmail } from '../notify/index.ts'
import { findOrganisation } from '../registry/index.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { claimNumber, projectionFromRow } from './claim-view.ts'
import {
  CLAIM_OPENED,
  INFO_PROVIDED,
  INFO_REQUESTED,
  MESSAGE_POSTED,
  RMA_AUTHORIZED,
} from './domain/claim-events.ts'

/** The events a dealer serving the claim is told of, and the template each is told with. */
const DEALER_TEMPLATES = {
  [CLAIM_OPENED]: 'dealer.claim-opened',
  [RMA_AUTHORIZED]: 'dealer.rma-authorized',
  [MESSAGE_POSTED]: 'dealer.message-posted',
  // The customer's answer to a request for information is a message in the thread too.
  [INFO_PROVIDED]: 'dealer.message-posted',
  // So is the question: the dealer serving the claim learns that it now waits for the customer.
  [INFO_REQUESTED]: 'dealer.message-posted',
} as const

type DealerEvent = keyof typeof DEALER_TEMPLATES

const isDealerEvent = (type: string): type is DealerEvent => Object.hasOwn(DEALER_TEMPLATES, type)

// What a dealer reads of the claimant's words before opening the claim.
const PROBLEM_EXCERPT = 500
const excerpt = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 3)}...` : text)

// An address that cannot be written to is skipped rather than keeping the claim's step from
// being taken: users made at the command line are not checked as the API checks them.
const MAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * E-mails the dealer a claim is routed to, in the transaction of the event: the claim names
 * the dealer (`dealer_org_id`, whose users may open it) and the decision in force names the
 * dealer as handler (what lets the dealer serve it). Told: its opening, the authorised return
 * of the unit to the dealer, and messages for the claim's parties (a staff-only note is
 * `note.added`, never one of these). Never what the dealer's own people did; only the
 * active dealer users of that organisation, in the organisation's language (users keep none).
 */
export async function announceToDealer(
  trx: Db,
  claim: ClaimsTable,
  event: { type: string; actor: Actor; email?: Record<string, unknown> | undefined },
): Promise<void> {
  const orgId = claim.dealer_org_id
  if (!orgId || !event.email || !isDealerEvent(event.type)) return
  // The dealer knows what its own users (or its own integration) did.
  if (event.actor.orgId === orgId) return
  const projection = projectionFromRow(claim)
  // The return goes where the provisional decision sends it (`authorizeReturn`); otherwise
  // the decision in force, as the lifecycle reads it, says who serves the claim.
  const decision =
    event.type === RMA_AUTHORIZED
      ? projection.provisionalDecision
      : (projection.finalDecision ?? projection.provisionalDecision)
  if (decision?.handler !== 'dealer') return
  const users = await listActiveOrgUsers(trx, orgId, 'dealer')
  if (users.length === 0) return
  const locale = emailLocaleOfCountry((await findOrganisation(trx, orgId))?.country)
  const data = {
    claimNumber: claimNumber(claim),
    serial: claim.serial,
    ...(claim.model ? { model: claim.model } : {}),
    ...dealerData(event.type, claim, event.actor, event.email),
  }
  for (const user of users) {
    if (!MAIL_ADDRESS.test(user.email)) continue
    await enqueueEmail(trx, {
      to: user.email,
      template: DEALER_TEMPLATES[event.type],
      locale,
      claimId: claim.id,
      data: { ...data, recipientName: user.name },
    })
  }
}

/** What each template says beside the claim and its unit, from the event's own e-mail data. */
function dealerData(
  type: DealerEvent,
  claim: ClaimsTable,
  actor: Actor,
  email: Record<string, unknown>,
): Record<string, unknown> {
  switch (type) {
    case CLAIM_OPENED:
      return claim.problem_description.trim()
        ? { problem: excerpt(claim.problem_description.trim(), PROBLEM_EXCERPT) }
        : {}
    case RMA_AUTHORIZED:
      return {
        rmaNumber: email.rmaNumber,
        shipTo: email.shipTo,
        ...(email.freightPayer ? { freightPayer: email.freightPayer } : {}),
      }
    case INFO_REQUESTED:
      return { authorName: actor.name, kind: 'info-request', excerpt: email.request }
    case MESSAGE_POSTED:
    case INFO_PROVIDED:
      return {
        authorName: email.authorName,
        ...(actor.role === 'customer'
          ? { authorSide: 'customer' }
          : isStaff(actor)
            ? { authorSide: 'service' }
            : {}),
        kind: 'message',
        excerpt: email.excerpt,
      }
  }
}
