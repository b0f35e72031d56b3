import { z } from 'zod'
import { caseSchema, inspectionSchema } from '../../contracts/case.ts'
import {
  CLAIM_ASSIGNED,
  CLAIM_CANCELLED,
  CLAIM_CLOSED,
  CLAIM_EVENT_TYPES,
  CLAIM_OPENED,
  type ClaimEventType,
  DEALER_SALE_CONFIRMED,
  DEALER_SALE_MOVED,
  DEALER_SALE_REFUSED,
  DECISION_MADE,
  DECISION_PROVISIONAL,
  DIAGNOSIS_STARTED,
  FORWARDED_TO_MAKER,
  INFO_PROVIDED,
  INFO_REQUESTED,
  INSPECTION_RECORDED,
  MESSAGE_POSTED,
  NOTE_ADDED,
  PAYMENT_PROOF_SUBMITTED,
  PAYMENT_RECORDED,
  PICKUP_SCHEDULED,
  PURCHASE_PROOF_ACCEPTED,
  PURCHASE_PROOF_REFUSED,
  QUOTE_ACCEPTED,
  QUOTE_DECLINED,
  QUOTE_SENT,
  RECEIPT_CONFIRMED,
  REFUND_ISSUED,
  REMOTE_RESOLVED,
  REPAIR_COMPLETED,
  REPAIR_STARTED,
  REPLACEMENT_ISSUED,
  RETURN_SHIPPED,
  RETURNED_FROM_MAKER,
  RMA_AUTHORIZED,
  RMA_READDRESSED,
  SELFCHECK_RECORDED,
  UNIT_RECEIVED,
} from '../../contracts/claim-event-types.ts'
import { decisionSchema } from '../../contracts/decision.ts'
import * as S from '../claim.schemas.ts'

export * from '../../contracts/claim-event-types.ts'

/** Events that record something beside the case without changing it (no new version). */
export const COMMENTARY_EVENTS: readonly string[] = [
  MESSAGE_POSTED,
  NOTE_ADDED,
  CLAIM_ASSIGNED,
  DEALER_SALE_CONFIRMED,
  DEALER_SALE_REFUSED,
  DEALER_SALE_MOVED,
]

/** Events only staff see in the timeline. */
export const STAFF_ONLY_EVENTS: readonly string[] = [NOTE_ADDED, CLAIM_ASSIGNED]

// ---- typed events ---------------------------------------------------------------------
// One schema per event type for its `data`, checked when an event is appended and when a
// history is replayed, so a step that writes the wrong shape fails at once and a stored
// event that does not fit is named, not misread. Extra members are tolerated: older
// events and newer writers may carry more than a reader needs.

const money = z.number().int()
const costLine = z.object({
  kind: z.string(),
  description: z.string(),
  quantity: z.number(),
  payer: z.string(),
})
const totals = z.object({ currency: z.string() })

export const claimOpenedData = z.object({
  serial: z.string().min(1),
  /** `policy@version` the claim is judged by. */
  policy: z.string().min(1),
  case: caseSchema,
  orderNumber: z.string().optional(),
  /** When the customer first noticed the fault, as they said (information only). */
  noticedOn: z.string().optional(),
  /** Held uploads that joined the claim as it opened. */
  files: z.array(z.string()).optional(),
  /** A second open claim on the unit, opened by staff on purpose: the open one and why. */
  duplicateOf: z.string().optional(),
  overrideReason: z.string().optional(),
  /** Staff recorded a first-contact day the customer proved: who, and why. */
  claimedOnSetBy: z.object({ userId: z.string(), role: z.string() }).optional(),
  claimedOnReason: z.string().optional(),
})
export type ClaimOpenedData = z.infer<typeof claimOpenedData>

const decisionData = z.object({ decision: decisionSchema })

/** Who settled a sale a customer said a dealer made. */
export const DEALER_SALE_SOURCES = ['dealer', 'staff', 'import'] as const

const dealerSaleData = z.object({
  /** The dealer confirmed as the seller's (confirmed), or the one that did not make the sale (refused). */
  dealerOrgId: z.string().min(1),
  dealerName: z.string(),
  source: z.enum(DEALER_SALE_SOURCES),
  /** The dealer the customer named, when the seller's records name another. */
  statedDealerName: z.string().optional(),
})

const dealerSaleMovedData = z.object({
  /** The dealer the sale now names; null when the seller sold the unit itself. */
  dealerOrgId: z.string().min(1).nullable(),
  dealerName: z.string().nullable(),
  /** The dealer the claim had before; null when it was the seller's. */
  previousDealerOrgId: z.string().min(1).nullable(),
  previousDealerName: z.string().nullable(),
  source: z.enum(DEALER_SALE_SOURCES),
})

/** The data schema of every event type. */
export const CLAIM_EVENT_DATA = {
  [CLAIM_OPENED]: claimOpenedData,
  [DIAGNOSIS_STARTED]: S.noteBody,
  [SELFCHECK_RECORDED]: S.selfCheckBody,
  [INFO_REQUESTED]: S.requestInfoBody,
  [INFO_PROVIDED]: S.infoProvidedData,
  [REMOTE_RESOLVED]: S.resolveRemotelyBody,
  [DECISION_PROVISIONAL]: decisionData,
  [RMA_AUTHORIZED]: z.object({
    rmaNumber: z.string().min(1),
    shipTo: S.addressSchema,
    freightPayer: z.string().nullable(),
    itemsToInclude: z.array(z.string()),
    service: z.string(),
    note: z.string().optional(),
  }),
  [RMA_READDRESSED]: z.object({
    rmaNumber: z.string().min(1),
    shipTo: S.addressSchema,
    /** Where the return was addressed until now. */
    previousShipTo: S.addressSchema,
    /** The dealer the decision names that no longer serves, when the seller serves instead. */
    servedInsteadOf: z.string().optional(),
    /** Why: staff re-addressed it, or the dealer it was addressed to was deactivated. */
    reason: z.enum(['staff', 'dealer-deactivated']),
    note: z.string().optional(),
  }),
  [PICKUP_SCHEDULED]: S.schedulePickupBody,
  [UNIT_RECEIVED]: S.receiveUnitBody,
  [INSPECTION_RECORDED]: z.object({
    inspection: inspectionSchema,
    bench: z.object({ serialSeen: z.string() }),
  }),
  [DECISION_MADE]: decisionData.extend({
    /**
     * The purchase stayed unproven because staff refused the proof the claimant sent: the
     * last refusal, so the decision's `no-proof-of-purchase` is traced to its reason.
     */
    purchaseProofRefused: z.object({ fileId: z.string().min(1), reason: z.string().min(1) }).optional(),
    /**
     * The decision made again, on the same inspection, because staff found valid a proof of
     * purchase after the claim was decided without it: the file that proved the purchase.
     */
    purchaseProofAccepted: z.object({ fileId: z.string().min(1) }).optional(),
  }),
  [QUOTE_SENT]: z.object({
    quoteId: z.string().min(1),
    currency: z.string(),
    lines: z.array(costLine),
    totals,
    customerTotalMinor: money,
    validUntil: z.string(),
  }),
  [QUOTE_ACCEPTED]: z.object({ quoteId: z.string().min(1), note: z.string().optional() }),
  [QUOTE_DECLINED]: z.object({ quoteId: z.string().min(1), note: z.string().optional() }),
  [PAYMENT_RECORDED]: z.object({
    quoteId: z.string().min(1),
    amountMinor: money.positive(),
    currency: z.string(),
    reference: z.string().optional(),
    /** The day the money arrived (YYYY-MM-DD); events before it was recorded lack it. */
    paidOn: z.string().optional(),
    note: z.string().optional(),
    /** The customer's proof this payment was checked against. */
    proofFileId: z.string().optional(),
  }),
  [PAYMENT_PROOF_SUBMITTED]: z.object({
    quoteId: z.string().min(1),
    fileIds: z.array(z.string().min(1)).min(1),
  }),
  [REPAIR_STARTED]: S.noteBody,
  [REPAIR_COMPLETED]: z.object({ lines: z.array(costLine), totals, note: z.string().optional() }),
  [REPLACEMENT_ISSUED]: z.object({
    oldSerial: z.string(),
    newSerial: z.string().min(1),
    note: z.string().optional(),
  }),
  [REFUND_ISSUED]: S.refundBody,
  [FORWARDED_TO_MAKER]: S.forwardBody.extend({ makerOrgId: z.string().nullable(), makerName: z.string() }),
  [RETURNED_FROM_MAKER]: S.noteBody,
  [RETURN_SHIPPED]: z.object({
    carrier: z.string().min(1),
    trackingNumber: z.string().min(1),
    contents: z.string(),
  }),
  [RECEIPT_CONFIRMED]: S.noteBody,
  [CLAIM_CLOSED]: S.closeBody,
  [CLAIM_CANCELLED]: S.cancelBody,
  [MESSAGE_POSTED]: z.object({
    messageId: z.string().min(1),
    body: z.string().optional(),
    fileIds: z.array(z.string()).optional(),
    via: z.string().optional(),
    /** A proof of purchase among the files now waits for staff to weigh it. */
    proofOfPurchaseOffered: z.literal(true).optional(),
  }),
  /** A staff-only note: its text stays in the thread, never in the history every party reads. */
  [NOTE_ADDED]: z.object({ messageId: z.string().min(1) }),
  [CLAIM_ASSIGNED]: z.object({ userId: z.string().nullable(), name: z.string().nullable() }),
  [DEALER_SALE_CONFIRMED]: dealerSaleData,
  [DEALER_SALE_REFUSED]: dealerSaleData,
  [DEALER_SALE_MOVED]: dealerSaleMovedData,
  [PURCHASE_PROOF_ACCEPTED]: z.object({
    /** The claim's file found valid, now on the unit's proofs of purchase. */
    fileId: z.string().min(1),
    /** The claimant named the unit's owner, when the unit had none and staff asked for it. */
    ownerCustomerId: z.string().min(1).optional(),
    note: z.string().optional(),
  }),
  [PURCHASE_PROOF_REFUSED]: z.object({
    fileId: z.string().min(1),
    /** Why the file proves no purchase, as the customer is told it. */
    reason: z.string().min(1),
    /** Another file offered as the proof still waits to be weighed. */
    stillOffered: z.boolean(),
  }),
} satisfies Record<ClaimEventType, z.ZodType>

type EventOf<T extends ClaimEventType> = { type: T; data: z.output<(typeof CLAIM_EVENT_DATA)[T]> }
/** A claim event whose data fits its type. */
export type ClaimEvent = { [T in ClaimEventType]: EventOf<T> }[ClaimEventType]

const variant = <T extends ClaimEventType>(type: T) =>
  z.object({ type: z.literal(type), data: CLAIM_EVENT_DATA[type] as (typeof CLAIM_EVENT_DATA)[T] })

/** Every claim event, discriminated by `type`. */
export const claimEventSchema = z.discriminatedUnion(
  'type',
  CLAIM_EVENT_TYPES.map(variant) as unknown as [ReturnType<typeof variant>, ...ReturnType<typeof variant>[]],
)

/** Thrown when an event does not fit its type: a bug in the step that wrote it, or a damaged history. */
export class ClaimEventShapeError extends Error {
  constructor(
    readonly type: string,
    readonly issues: string,
  ) {
    super(`claim event ${type} does not fit its schema: ${issues}`)
  }
}

/** Checks an event against its type's schema; answers it typed, or throws naming the type and the fields. */
export function checkClaimEvent(event: { type: string; data: unknown }): ClaimEvent {
  const parsed = claimEventSchema.safeParse(event)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
    throw new ClaimEventShapeError(event.type, issues)
  }
  // The parse keeps what was given (no defaults or trimming differ from the writer's own parse); answer the original.
  return event as ClaimEvent
}
