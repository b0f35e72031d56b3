/**
 * Claim event types. They name what happened on a case, drive the SLA clocks
 * (docs/architecture.md) and name the e-mail templates, so they are fixed strings. A contract
 * because policies name them too: a service level starts and stops on them.
 */
export const CLAIM_OPENED = 'claim.opened'
export const DIAGNOSIS_STARTED = 'diagnosis.started'
export const SELFCHECK_RECORDED = 'selfcheck.recorded'
export const INFO_REQUESTED = 'info.requested'
export const INFO_PROVIDED = 'info.provided'
export const REMOTE_RESOLVED = 'remote.resolved'
export const DECISION_PROVISIONAL = 'decision.provisional'
export const RMA_AUTHORIZED = 'rma.authorized'
/**
 * A return authorised before it was sent goes elsewhere: the organisation it was addressed to
 * no longer serves (a dealer deactivated), or its service address changed. The RMA number stays.
 */
export const RMA_READDRESSED = 'rma.readdressed'
export const PICKUP_SCHEDULED = 'pickup.scheduled'
export const UNIT_RECEIVED = 'unit.received'
export const INSPECTION_RECORDED = 'inspection.recorded'
export const DECISION_MADE = 'decision.made'
export const QUOTE_SENT = 'quote.sent'
export const QUOTE_ACCEPTED = 'quote.accepted'
export const QUOTE_DECLINED = 'quote.declined'
export const PAYMENT_RECORDED = 'payment.recorded'
/** The customer sent a proof of payment (a bank slip, a receipt) for staff to check and record. */
export const PAYMENT_PROOF_SUBMITTED = 'payment.proof-submitted'
/** Added beside the architecture's list: work on the unit begins (seed 003 "start the normal maintenance process after the customer pays"). */
export const REPAIR_STARTED = 'repair.started'
export const REPAIR_COMPLETED = 'repair.completed'
export const REPLACEMENT_ISSUED = 'replacement.issued'
export const REFUND_ISSUED = 'refund.issued'
export const FORWARDED_TO_MAKER = 'forwarded.to-maker'
export const RETURNED_FROM_MAKER = 'returned.from-maker'
export const RETURN_SHIPPED = 'return.shipped'
export const RECEIPT_CONFIRMED = 'receipt.confirmed'
export const CLAIM_CLOSED = 'claim.closed'
export const CLAIM_CANCELLED = 'claim.cancelled'
export const MESSAGE_POSTED = 'message.posted'
/** A staff-only note in the case thread; its text stays in the thread, never in the event. */
export const NOTE_ADDED = 'note.added'
/** The case handed to a staff member (or released). */
export const CLAIM_ASSIGNED = 'claim.assigned'
/**
 * The dealer the customer named confirmed it sold the unit (or the seller's staff did, or the
 * seller's own sales records named it): the claim is now the dealer's to see and serve.
 */
export const DEALER_SALE_CONFIRMED = 'dealer-sale.confirmed'
/**
 * The dealer the customer named says it did not sell the unit (or the seller's staff or
 * sales records say so): the seller handles the claim as its own sale.
 */
export const DEALER_SALE_REFUSED = 'dealer-sale.refused'
/**
 * The seller's sales records moved a confirmed sale to another dealer (or to the seller
 * itself): the open claim follows the sale, and the dealer named before no longer sees it.
 */
export const DEALER_SALE_MOVED = 'dealer-sale.moved'
/**
 * Staff found the proof of purchase the claimant offered valid: the purchase is proven on the
 * case and on the unit (and the claimant may have been named the unit's owner).
 */
export const PURCHASE_PROOF_ACCEPTED = 'purchase-proof.accepted'
/** Staff found the proof of purchase the claimant offered not valid, saying why. */
export const PURCHASE_PROOF_REFUSED = 'purchase-proof.refused'

export const CLAIM_EVENT_TYPES = [
  CLAIM_OPENED,
  DIAGNOSIS_STARTED,
  SELFCHECK_RECORDED,
  INFO_REQUESTED,
  INFO_PROVIDED,
  REMOTE_RESOLVED,
  DECISION_PROVISIONAL,
  RMA_AUTHORIZED,
  RMA_READDRESSED,
  PICKUP_SCHEDULED,
  UNIT_RECEIVED,
  INSPECTION_RECORDED,
  DECISION_MADE,
  QUOTE_SENT,
  QUOTE_ACCEPTED,
  QUOTE_DECLINED,
  PAYMENT_RECORDED,
  PAYMENT_PROOF_SUBMITTED,
  REPAIR_STARTED,
  REPAIR_COMPLETED,
  REPLACEMENT_ISSUED,
  REFUND_ISSUED,
  FORWARDED_TO_MAKER,
  RETURNED_FROM_MAKER,
  RETURN_SHIPPED,
  RECEIPT_CONFIRMED,
  CLAIM_CLOSED,
  CLAIM_CANCELLED,
  MESSAGE_POSTED,
  NOTE_ADDED,
  CLAIM_ASSIGNED,
  DEALER_SALE_CONFIRMED,
  DEALER_SALE_REFUSED,
  DEALER_SALE_MOVED,
  PURCHASE_PROOF_ACCEPTED,
  PURCHASE_PROOF_REFUSED,
] as const

export type ClaimEventType = (typeof CLAIM_EVENT_TYPES)[number]
