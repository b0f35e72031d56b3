import { type Actor, isStaff, listActiveOrgUsers } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import { chosenEmailLocale, emailLocaleOfCountry, enqueueEmail } from '../notify/index.ts'
import { findOrganisation } from '../registry/index.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { claimNumber, projectionFromRow } from './claim-view.ts'
import {
  CLAIM_OPENED,
  DEALER_SALE_MOVED,
  DECISION_MADE,
  INFO_PROVIDED,
  INFO_REQUESTED,
  MESSAGE_POSTED,
  RMA_AUTHORIZED,
} from './domain/claim-events.ts'
import type { ClaimProjection } from './domain/claim-projection.ts'

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
 * of the unit to the dealer, messages for the claim's parties (a staff-only note is
 * `note.added`, never one of these), and the final decision: what it decided when it names
 * the dealer (handing the claim to the dealer, or on a claim the dealer already serves), and
 * that the claim is no longer the dealer's when it takes the claim away. Never what the
 * dealer's own people did; only the active dealer users of that organisation, each in the
 * language they chose in the web app, else the organisation's. `claim` is the row after the
 * event; `before`, the projection the event was applied to.
 */
export async function announceToDealer(
  trx: Db,
  claim: ClaimsTable,
  event: {
    type: string
    actor: Actor
    email?: Record<string, unknown> | undefined
    before?: ClaimProjection | undefined
  },
): Promise<void> {
  const orgId = claim.dealer_org_id
  if (!orgId || !event.email) return
  // The dealer knows what its own users (or its own integration) did.
  if (event.actor.orgId === orgId) return
  const told =
    event.type === DECISION_MADE
      ? decisionTold(claim, event.before, event.email)
      : event.type === DEALER_SALE_MOVED
        ? movedTold(claim)
        : isDealerEvent(event.type)
          ? eventTold(event.type, claim, event.actor, event.email)
          : null
  if (!told) return
  const users = await listActiveOrgUsers(trx, orgId, 'dealer')
  if (users.length === 0) return
  // Each user's own language where they chose one in the web app, else the organisation's.
  const orgLocale = emailLocaleOfCountry((await findOrganisation(trx, orgId))?.country)
  const data = {
    claimNumber: claimNumber(claim),
    serial: claim.serial,
    ...(claim.model ? { model: claim.model } : {}),
    ...told.data,
  }
  for (const user of users) {
    if (!MAIL_ADDRESS.test(user.email)) continue
    await enqueueEmail(trx, {
      to: user.email,
      template: told.template,
      locale: chosenEmailLocale(user.locale, orgLocale),
      claimId: claim.id,
      data: { ...data, recipientName: user.name },
    })
  }
}

interface Told {
  template:
    | (typeof DEALER_TEMPLATES)[DealerEvent]
    | 'dealer.claim-decided'
    | 'dealer.claim-handed-back'
    | 'dealer.claim-moved'
  data: Record<string, unknown>
}

/**
 * A claim moved to the dealer by the seller's sales (the row names the new dealer): told
 * whatever the decision says, since the dealer may read the claim from now on and would not
 * otherwise know it exists; whether it serves it hangs on the decision in force.
 */
function movedTold(claim: ClaimsTable): Told {
  const projection = projectionFromRow(claim)
  const decision = projection.finalDecision ?? projection.provisionalDecision
  return { template: 'dealer.claim-moved', data: { serves: decision?.handler === 'dealer' } }
}

/** An event of the table, told while the decision in force names the dealer. */
function eventTold(
  type: DealerEvent,
  claim: ClaimsTable,
  actor: Actor,
  email: Record<string, unknown>,
): Told | null {
  const projection = projectionFromRow(claim)
  // The return goes where the provisional decision sends it (`authorizeReturn`); otherwise
  // the decision in force, as the lifecycle reads it, says who serves the claim.
  const decision =
    type === RMA_AUTHORIZED
      ? projection.provisionalDecision
      : (projection.finalDecision ?? projection.provisionalDecision)
  if (decision?.handler !== 'dealer') return null
  return { template: DEALER_TEMPLATES[type], data: dealerData(type, claim, actor, email) }
}

// The costs a dealer carrying out the decision is told the payer of.
const TOLD_COSTS = ['parts', 'labour', 'return-shipping'] as const

/**
 * The final decision just made (the row is the one after the event): told when it names the
 * dealer, with whether it hands the claim over; or, when the decision in force before it
 * named the dealer and this one does not, that the claim is no longer the dealer's.
 */
function decisionTold(
  claim: ClaimsTable,
  before: ClaimProjection | undefined,
  email: Record<string, unknown>,
): Told | null {
  const decision = projectionFromRow(claim).finalDecision
  if (!decision) return null
  // The decision in force until now: an earlier final decision (a claim decided again after
  // the maker's work), else the provisional one. Without the projection before the event
  // (never the case from a transition), the provisional decision stands for it.
  const previous = before
    ? (before.finalDecision ?? before.provisionalDecision)
    : projectionFromRow(claim).provisionalDecision
  const served = previous?.handler === 'dealer'
  if (decision.handler !== 'dealer')
    return served ? { template: 'dealer.claim-handed-back', data: { handler: decision.handler } } : null
  return {
    template: 'dealer.claim-decided',
    data: {
      handedOver: !served,
      covered: decision.covered,
      remedies: decision.remedies,
      ...(email.explanation ? { explanation: email.explanation } : {}),
      // A cost the decision leaves with no payer is not listed.
      payers: TOLD_COSTS.flatMap((cost) => {
        const payer = decision.payers[cost]
        return payer ? [{ cost, payer }] : []
      }),
    },
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
        shipToAddress: email.shipToAddress,
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
