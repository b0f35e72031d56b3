import { z } from 'zod'
import { nameSchema } from '../contracts/api/named-schema.ts'
import { pageLimit, pageOf } from '../contracts/api/page.ts'
import { EVIDENCE_KINDS, FINDINGS, isoDate, PREFERENCES, PROBLEM_KINDS } from '../contracts/case.ts'
import { COSTS, decisionSchema, PARTIES, translationsSchema } from '../contracts/decision.ts'
import { canonicalSerial, SERIAL_PATTERN } from '../contracts/serial.ts'
import { serviceAddressSchema } from '../contracts/service-address.ts'
import { showsSomething } from '../contracts/visible-text.ts'
import { webLink } from '../contracts/web-link.ts'
import { CLAIM_STATES } from './domain/claim-states.ts'
import { CLOSE_OUTCOMES } from './domain/close-outcomes.ts'
import { SELF_CHECK_LISTS, selfCheckListById } from './domain/self-checks.ts'

/**
 * Request and response shapes of the claims API. No server imports: the web app uses
 * these to type its client and seed its forms.
 */
// Empty once trimmed is "is required", not "at least 1 characters": something was typed, just
// nothing to read. Zero-width characters alone are nothing to read either.
const text = (max: number) =>
  z.string().trim().min(1, 'validation.required').max(max).refine(showsSomething, 'validation.required')

/** At least one letter or digit: a description of only spaces, zero-width or not, says nothing. */
const SAYS_SOMETHING = /[\p{L}\p{N}]/u

export const problemSchema = z.object({
  kind: z.enum(PROBLEM_KINDS),
  description: text(4000).regex(SAYS_SOMETHING, 'validation.no-words'),
  /**
   * When the customer first noticed the fault: information for the technician. It does not
   * date the claim (that is the day of first contact, `claimedOn`), so it cannot carry a
   * claim back into warranty.
   */
  noticedOn: isoDate.optional(),
  packagingDamaged: z.boolean().default(false),
  urgentFreight: z.boolean().default(false),
})

/** A unit not registered yet: the claim registers it with its proof of purchase. */
export const newUnitSchema = z.object({
  model: text(200),
  channel: z.enum(['direct', 'dealer']).default('direct'),
  dealerOrgId: z.string().min(1).optional(),
  sellerOrgId: z.string().min(1).optional(),
  purchasedOn: isoDate,
  deliveredOn: isoDate.optional(),
  shippedOn: isoDate.optional(),
  proofOfPurchase: z.boolean(),
  /** A proof of purchase the claimant uploaded first (`POST /api/v1/files`); a customer's word alone is not proof. */
  proofFileId: z.string().min(1).max(100).optional(),
  warrantyCard: z.boolean().default(false),
  orderNumber: z.string().max(100).optional(),
})

export const openClaimBody = z.object({
  // Refused here with the registry's own rule, so a serial the registry could never hold is
  // not answered "not on file, register it" only for the registration to refuse it.
  serial: text(100).overwrite(canonicalSerial).regex(SERIAL_PATTERN, 'validation.serial-characters'),
  unit: newUnitSchema.optional(),
  problem: problemSchema,
  preference: z.enum(PREFERENCES).optional(),
  evidence: z.array(z.enum(EVIDENCE_KINDS)).max(EVIDENCE_KINDS.length).default([]),
  /**
   * Staff only, with `claimedOnReason`, for a day the customer can prove (an earlier e-mail).
   * Others may send only today, which dates nothing: the day in the policy's zone counts.
   */
  claimedOn: isoDate.optional(),
  /** Why the claim counts from `claimedOn`: required when staff set an earlier day. */
  claimedOnReason: text(1000).optional(),
  /** Staff and dealers opening on a customer's behalf name the customer. */
  customerId: z.string().min(1).optional(),
  orderNumber: z.string().max(100).optional(),
  /** Ids of the caller's own uploads waiting in the holding area (`POST /api/v1/files`); they join the claim with it. */
  files: z.array(z.string().min(1).max(100)).max(20).default([]),
  /** Service staff only: open a second claim on a unit that has an open one, saying why (kept in the history). */
  duplicateOverride: z.object({ reason: text(1000) }).optional(),
})
export type OpenClaimBody = z.input<typeof openClaimBody>

export const noteBody = z.object({ note: z.string().max(4000).optional() })

export const selfCheckBody = z.object({
  checklist: text(100),
  results: z
    .array(z.object({ checkId: text(100), passed: z.boolean(), note: z.string().max(1000).optional() }))
    .min(1),
})

/**
 * Answers as a claim records them: to the checks of a list there is, each at most once. Staff
 * read them beside the list's steps; an answer to a check the list does not have, or two
 * answers to one check that disagree, would tell them nothing they could act on. (Events
 * already recorded are read with `selfCheckBody`.)
 */
export const recordSelfCheckBody = selfCheckBody
  .extend({
    checklist: z.enum(SELF_CHECK_LISTS.map((l) => l.id) as [string, ...string[]]),
    results: z
      .array(
        z.object({
          checkId: text(100),
          passed: z.boolean(),
          // A note of spaces or zero-width characters reads as an empty "saw" line to staff:
          // it is no note at all.
          note: z
            .string()
            .max(1000)
            .optional()
            .transform((note) => (note !== undefined && showsSomething(note) ? note.trim() : undefined)),
        }),
      )
      .min(1),
  })
  .superRefine((body, ctx) => {
    const list = selfCheckListById(body.checklist)
    if (!list) return
    const answered = new Set<string>()
    body.results.forEach((result, i) => {
      if (!list.checks.some((check) => check.id === result.checkId))
        ctx.addIssue({
          code: 'custom',
          path: ['results', i, 'checkId'],
          message: 'validation.self-check-unknown',
        })
      else if (answered.has(result.checkId))
        ctx.addIssue({
          code: 'custom',
          path: ['results', i, 'checkId'],
          message: 'validation.self-check-twice',
        })
      answered.add(result.checkId)
    })
  })

export const requestInfoBody = z.object({ request: text(4000) })
export const provideInfoBody = z.object({
  answer: text(4000),
  evidence: z.array(z.enum(EVIDENCE_KINDS)).default([]),
})
/**
 * The longest reply by e-mail the thread keeps: written in a mail program, not our form, a long
 * account of what happened is kept whole rather than refused and lost. Bounded still, so one
 * message cannot fill the case's thread.
 */
export const MAX_EMAIL_MESSAGE_BODY = 100_000
/**
 * An answer given as a message of the thread (on the web, or a reply by e-mail) is recorded
 * whole in its `info.provided` event, as long as the message may be; the step's own form
 * keeps its bound.
 */
export const infoProvidedData = provideInfoBody.extend({
  answer: text(MAX_EMAIL_MESSAGE_BODY),
  /** The answer brought a proof of purchase for a purchase not proven: the case holds it as offered. */
  proofOfPurchaseOffered: z.boolean().optional(),
})
export const resolveRemotelyBody = z.object({
  fix: z.enum(['remote-fix', 'software-upgrade', 'spare-part']),
  note: text(4000),
})
export const authorizeReturnBody = z.object({ note: z.string().max(4000).optional() })
// The details go into the customer's e-mail; one left blank (spaces of any kind) is left out.
export const schedulePickupBody = z.object({
  pickupOn: isoDate,
  window: z.string().trim().max(100).optional(),
  carrier: z.string().trim().max(100).optional(),
  address: z.string().trim().max(500).optional(),
})
export const receiveUnitBody = z.object({
  receivedOn: isoDate.optional(),
  note: z.string().max(4000).optional(),
})
export const inspectionBody = z
  .object({
    /** The serial read off the unit; a difference from the claim's is a serial mismatch. */
    serialSeen: text(100),
    sealsIntact: z.boolean(),
    packaging: z.enum(['good', 'damaged', 'missing']),
    /** What came in the parcel; compared with the model's standard package contents. */
    contentsReceived: z.array(text(200)).default([]),
    findings: z.array(z.enum(FINDINGS)).default([]),
    faultConfirmed: z.boolean(),
    manufacturingDefect: z.boolean(),
    /**
     * The findings that caused the fault, each one of `findings` (or `seal-broken` where the
     * seals are not intact); left out, every finding is taken to have caused it. A policy that
     * refuses only damage caused by misuse or an accident does not refuse the fault for a
     * finding left out (a scratched housing beside a failed sensor).
     */
    faultCausedBy: z.array(z.enum(FINDINGS)).optional(),
    notes: z.string().max(4000).optional(),
  })
  .superRefine((input, ctx) => {
    input.faultCausedBy?.forEach((cause, index) => {
      const found = input.findings.includes(cause) || (cause === 'seal-broken' && !input.sealsIntact)
      const repeated = input.faultCausedBy!.indexOf(cause) !== index
      if (!found || repeated)
        ctx.addIssue({
          code: 'custom',
          message: 'validation.cause-not-a-finding',
          path: ['faultCausedBy', index],
        })
    })
  })
/**
 * The largest single amount staff type, in minor units (ten million dollars or euros, a
 * billion yen): a price, a refund. Bounded so that what is added up from them (a quote, a
 * recovery claim collecting a month of refunds) stays within the integers JSON numbers hold.
 */
export const MAX_AMOUNT_MINOR = 1_000_000_000

// A line's amount is bounded as one price is: ten thousand of a billion-yen part would put a
// single claim, and a month of recovery claims against one debtor, past exact integers.
export const costLineInput = z
  .object({
    kind: z.enum(COSTS),
    /**
     * Free text in the language of whoever typed it. Optional: a line without one is shown by
     * its kind, worded in each reader's language; one that shows nothing counts as none.
     */
    description: z
      .string()
      .trim()
      .max(500)
      .optional()
      .transform((value) => (value !== undefined && showsSomething(value) ? value : '')),
    quantity: z.number().int().positive().max(10000),
    unitPriceMinor: z.number().int().nonnegative().max(MAX_AMOUNT_MINOR),
    /** Defaults to the decision's payer for this kind of cost. */
    payer: z.enum(PARTIES).optional(),
  })
  .superRefine((line, ctx) => {
    if (line.quantity * line.unitPriceMinor > MAX_AMOUNT_MINOR)
      ctx.addIssue({ code: 'custom', path: ['unitPriceMinor'], message: 'validation.line-amount' })
  })
export const sendQuoteBody = z.object({
  lines: z.array(costLineInput).min(1).max(100),
  /** Days the quote holds; the seller's quote validity when not given. */
  validDays: z.number().int().positive().max(365).optional(),
  note: z.string().max(4000).optional(),
})
export const quoteAnswerBody = z.object({ quoteId: z.string().min(1), note: z.string().max(4000).optional() })
/** Proofs of payment uploaded first (`POST /api/v1/files`), joining the claim with the step. */
export const paymentProofBody = z.object({
  fileIds: z.array(z.string().min(1).max(100)).min(1).max(10),
})
export const paymentBody = z.object({
  amountMinor: z.number().int().positive(),
  reference: z.string().max(200).optional(),
  /** The day the money arrived; today when not given. */
  paidOn: isoDate.optional(),
  note: z.string().max(4000).optional(),
  /** The customer's proof of payment this payment was checked against. */
  proofFileId: z.string().min(1).max(100).optional(),
})
export const completeRepairBody = z.object({
  lines: z.array(costLineInput).max(100).default([]),
  note: z.string().max(4000).optional(),
})
export const replacementBody = z.object({ newSerial: text(100), note: z.string().max(4000).optional() })
export const refundBody = z.object({
  amountMinor: z.number().int().nonnegative().max(MAX_AMOUNT_MINOR),
  reference: z.string().max(200).optional(),
})
export const forwardBody = z.object({
  carrier: z.string().max(100).optional(),
  trackingNumber: z.string().max(100).optional(),
  note: z.string().max(4000).optional(),
})
export const shipReturnBody = z.object({
  carrier: text(100),
  trackingNumber: text(100),
  /** The carrier's tracking page, linked from the e-mail that tells the customer. */
  trackingUrl: webLink.optional(),
})
export const closeBody = z.object({
  /** `scrapped`: a declined quote, the unit disposed of on the customer's request. */
  outcome: z.enum(CLOSE_OUTCOMES).optional(),
  note: z.string().max(4000).optional(),
})
export const cancelBody = z.object({ reason: text(1000) })
/** A proof of purchase the claim carries, found valid; `nameOwner` names the claimant owner of a unit nobody owns. */
export const acceptPurchaseProofBody = z.object({
  fileId: z.string().min(1).max(100),
  nameOwner: z.boolean().default(false),
  note: z.string().max(4000).optional(),
})
/** A proof of purchase the claim carries, found not valid: the reason is told to the customer. */
export const refusePurchaseProofBody = z.object({
  fileId: z.string().min(1).max(100),
  reason: text(2000),
})
export const messageBody = z.object({ body: text(8000) })

// ---- responses ------------------------------------------------------------------------

export const addressSchema = serviceAddressSchema

export const rmaView = z.object({
  number: z.string(),
  shipTo: addressSchema,
  /**
   * The dealer the decision names as the one serving, when it no longer serves claims (the
   * seller deactivated it) and the unit goes to the seller instead. Absent otherwise.
   */
  servedInsteadOf: z.object({ name: z.string() }).optional(),
  /** Who pays the freight to the service (the decision's `inbound-shipping` payer). */
  freightPayer: z.string().nullable(),
  returnFreightPayer: z.string().nullable(),
  itemsToInclude: z.array(z.string()),
  /** The policy's translations of items it adds (its parcel notes), by the item's words. */
  itemTranslations: z.record(z.string(), translationsSchema).optional(),
  service: z.string(),
  repairOrderUrl: z.string(),
  /** When the return was authorised: the repair order's issue date. Absent on returns authorised before it was kept here. */
  issuedAt: z.string().optional(),
})

export const quoteStatusView = z.object({
  id: z.string(),
  status: z.enum(['sent', 'accepted', 'declined']),
  // Absent for a dealer that sold the unit and does not handle the claim (`MoneySight`).
  customerTotalMinor: z.number().optional(),
  paidMinor: z.number().optional(),
})

/** The bench's record as a claim shows it: the fields the decision reads are named, the rest pass through. */
export const inspectionView = z
  .object({
    faultConfirmed: z.boolean().optional(),
    manufacturingDefect: z.boolean().optional(),
    findings: z.array(z.string()).optional(),
    missingItems: z.array(z.string()).optional(),
    faultCausedBy: z.array(z.string()).optional(),
  })
  .loose()

export const claimView = z.object({
  id: z.string(),
  /** The customer's reference; it never changes. */
  number: z.string(),
  /** The return authorisation's number, once the return is authorised; shown beside `number`. */
  rmaNumber: z.string().nullable(),
  state: z.string(),
  version: z.number(),
  policy: z.string(),
  currency: z.string(),
  serial: z.string(),
  model: z.string().nullable(),
  brand: z.string(),
  customerId: z.string().nullable(),
  dealerOrgId: z.string().nullable(),
  problem: z.object({ kind: z.string(), description: z.string(), noticedOn: z.string().optional() }),
  preference: z.string().nullable(),
  evidence: z.array(z.string()),
  provisionalDecision: decisionSchema.nullable(),
  finalDecision: decisionSchema.nullable(),
  /** The bench's record; the fields the decision reads are named, the rest pass through. */
  inspection: inspectionView.nullable(),
  rma: rmaView.nullable(),
  quote: quoteStatusView.nullable(),
  replacementSerial: z.string().nullable(),
  returnShipment: z.object({ carrier: z.string(), trackingNumber: z.string() }).nullable(),
  outcome: z.string().nullable(),
  openedAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  /** What the caller may do next. */
  allowedActions: z.array(z.string()),
  /**
   * Steps the caller could take but for something to do first, each with the message key of
   * what holds it: none is in `allowedActions`, and each moves there once that is done.
   */
  heldActions: z.array(z.object({ action: z.string(), reason: z.string() })),
})
nameSchema(claimView, {
  id: 'Claim',
  description:
    'A warranty claim: the unit, the problem, the decisions, the return and repair, and what the caller may do next.',
})
export type ClaimView = z.infer<typeof claimView>

/**
 * A decision as a list row shows it: every field but the trace. The trace (every clause
 * weighed, in both languages) is most of a decision's size and belongs on the claim's
 * page; a page of twenty rows with it weighed about 150 KB.
 */
export const decisionSummary = decisionSchema.omit({ trace: true })
nameSchema(decisionSummary, {
  id: 'DecisionSummary',
  description:
    "A decision without its trace, as claim lists show it; the claim's own page (`GET /api/v1/claims/{id}`) has the whole decision.",
})

/** A row of a claim list: the claim with its decisions summarised. */
export const claimListItem = claimView.extend({
  provisionalDecision: decisionSummary.nullable(),
  finalDecision: decisionSummary.nullable(),
})
nameSchema(claimListItem, {
  id: 'ClaimListItem',
  description:
    "A claim as a list shows it: every field of the claim, its decisions without their trace (the claim's page has them whole).",
})
export type ClaimListItem = z.infer<typeof claimListItem>

export const claimListView = pageOf(claimListItem)
export type ClaimListView = z.infer<typeof claimListView>

export const eventView = z.object({
  seq: z.number(),
  type: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), role: z.string(), name: z.string() }),
  data: z.record(z.string(), z.unknown()),
  hash: z.string(),
})
export const timelineView = pageOf(eventView)

const customerCoveredLine =
  "absent for the claim's customer on a line another party pays: they are shown that it is covered, not for how much"
export const costLineView = z.object({
  id: z.string(),
  kind: z.string(),
  /** As typed; empty when none was, and the reader is shown the line's kind instead. */
  description: z.string(),
  quantity: z.number(),
  unitPriceMinor: z.number().optional().describe(customerCoveredLine),
  amountMinor: z.number().optional().describe(customerCoveredLine),
  payer: z.string(),
})
/**
 * One priced cost of a claim as it was recorded (a quote's line, or one booked when the repair
 * was completed): what recovery lines cite by id (`evidence.costLineIds`).
 */
export const claimCostLineView = z.object({
  id: z.string(),
  quoteId: z.string().nullable(),
  kind: z.string(),
  description: z.string(),
  quantity: z.number(),
  unitPriceMinor: z.number(),
  amountMinor: z.number(),
  currency: z.string(),
  payer: z.string(),
  recordedAt: z.string(),
  spent: z.boolean(),
  quoteStatus: z.string().nullable(),
})
nameSchema(claimCostLineView, {
  id: 'ClaimCostLine',
  description:
    "One priced cost of a claim (parts, labour, a freight leg) and who pays it, as recovery lines cite it. Each reader is sent only the lines that are theirs to see: staff and the dealer that handles the claim every line, the claim's customer the lines they pay, any other organisation the lines it pays on the claim and those its recovery lines cite.",
})
/** What the claim's spent lines the reader is sent come to, in one currency. */
export const claimCostTotalView = z.object({
  amountMinor: z.number(),
  byPayer: z.record(z.string(), z.number()),
})
nameSchema(claimCostTotalView, {
  id: 'ClaimCostTotal',
  description:
    "What a claim's spent cost lines come to in one currency, overall and per payer: the lines outside any quote and those of an accepted quote, of the lines the reader is sent. A quote's lines before the customer accepts it are listed but never counted.",
})
export const claimCostLinesView = pageOf(claimCostLineView).extend({
  totals: z
    .record(z.string(), claimCostTotalView)
    .describe(
      'By ISO 4217 currency code (amounts are never added across currencies): what the spent lines of this list come to; a currency with no spent line is absent.',
    ),
})

/** Absent, with the lines others pay, for a dealer that sold the unit and does not handle the claim. */
const othersAmount = <T extends z.ZodType>(schema: T, customer: 'shown' | 'hidden' = 'shown') =>
  schema
    .optional()
    .describe(
      customer === 'shown'
        ? 'absent for a dealer that sold the unit and does not handle the claim: it is shown only the lines it pays'
        : "absent for the claim's customer, who is shown what they pay and not how the businesses share the rest, and for a dealer that sold the unit and does not handle the claim",
    )
export const quoteView = z.object({
  id: z.string(),
  status: z.string(),
  currency: z.string(),
  totalMinor: othersAmount(z.number(), 'hidden'),
  customerMinor: othersAmount(z.number()),
  absorbedMinor: othersAmount(
    z.object({ vendor: z.number(), dealer: z.number(), manufacturer: z.number() }),
    'hidden',
  ),
  paidMinor: othersAmount(z.number()),
  sentAt: z.string(),
  validUntil: z
    .string()
    .nullable()
    .describe(
      "YYYY-MM-DD: the quote's last day, in the claim's time zone; null for a quote sent before last days were kept",
    ),
  expired: z
    .boolean()
    .describe('the quote waits for an answer past its last day: it may be declined, no longer accepted'),
  lines: z
    .array(costLineView)
    .describe('for a dealer that sold the unit and does not handle the claim, only the lines it pays'),
})
export const quotesView = pageOf(quoteView)

export const messageView = z.object({
  id: z.string(),
  author: z.object({ id: z.string(), role: z.string(), name: z.string() }),
  body: z.string(),
  postedAt: z.string(),
})
export const messagesView = z.object({ messages: z.array(messageView) })

export const selfCheckListView = z.object({
  id: z.string(),
  title: z.string(),
  source: z.string(),
  checks: z.array(z.object({ id: z.string(), instruction: z.string(), remedy: z.string().optional() })),
  /** The same list in other languages (`zh`), check by check; `title` and `checks` above are the source's words. */
  translations: z
    .object({
      zh: z.object({
        title: z.string(),
        checks: z.array(z.object({ id: z.string(), instruction: z.string(), remedy: z.string().optional() })),
      }),
    })
    .optional(),
})

/** `GET /api/v1/self-checks?serial=`: the unit's product line and its self-checks. */
export const selfChecksForUnitView = z.object({
  serial: z.string(),
  model: z.string(),
  productLine: z.object({ brand: z.string(), category: z.string() }),
  /** Null when the product line has no self-checks of its own. */
  list: selfCheckListView.nullable(),
})

export const claimIdParams = z.object({ id: z.string().min(1).max(100) })
export const listClaimsQuery = z.object({
  // A state misspelt is refused, not answered with an empty page that says no claim is in it.
  state: z.enum(CLAIM_STATES).optional(),
  /** `true`: only claims still being worked on; `false`: only ended ones (closed or cancelled). */
  open: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  serial: z.string().max(100).overwrite(canonicalSerial).optional(),
  limit: pageLimit(50),
  /** The `next` cursor of the previous page (`opened_at|id`, so claims opened in one instant are not lost between pages). */
  cursor: z.string().max(200).optional(),
  /** The earlier name of `cursor`; a bare instant still lists the claims opened before it. */
  before: z.string().max(200).optional(),
})

// ---- paying a quote (quote-payment.routes.ts) ----

export const paymentProofView = z.object({
  fileId: z.string(),
  name: z.string(),
  contentType: z.string(),
  url: z.string(),
  uploadedAt: z.string(),
})

export const recordedPaymentView = z.object({
  amountMinor: z.number().int(),
  currency: z.string(),
  paidOn: z.string().nullable().describe('YYYY-MM-DD the money arrived'),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  proofFileId: z.string().nullable(),
  recordedAt: z.string(),
})

export const quotePaymentView = z.object({
  quoteId: z.string(),
  status: z.string(),
  currency: z.string(),
  totalMinor: z.number().int().describe("the customer's total"),
  paidMinor: z.number().int(),
  outstandingMinor: z.number().int(),
  issuedOn: z.string().describe('YYYY-MM-DD'),
  validUntil: z.string().describe('YYYY-MM-DD: as sent with the quote'),
  pdfUrl: z.string().describe('the quote as a PDF'),
  method: z.enum(['bank-transfer', 'payment-link', 'contact']),
  reference: z.string().describe('the claim number, to quote with the payment'),
  paymentLink: z.string().nullable(),
  instructions: z
    .array(z.string())
    .describe('the payment instructions, one line each, in the customer language'),
  supportHours: z
    .string()
    .describe("the seller's support hours as written; its default hours in the language asked for"),
  proofs: z.array(paymentProofView).describe('proofs of payment the customer sent, oldest first'),
  payments: z.array(recordedPaymentView).describe('payments staff recorded against this quote'),
})
