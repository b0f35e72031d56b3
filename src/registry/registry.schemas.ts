/**
 * Request and response schemas of the registry API. Pure Zod: the web app imports them
 * for its forms, so nothing here may touch the server.
 */

import { z } from 'zod'
import { nameSchema } from '../contracts/api/named-schema.ts'
import { EARLIER_CURSOR, pageCursor, pageLimit, pageOf } from '../contracts/api/page.ts'
import { CHANNELS, isoDate, PART_KINDS, SHIPPERS } from '../contracts/case.ts'
import { canonicalSerial, SERIAL_MAX_LENGTH, SERIAL_PATTERN } from '../contracts/serial.ts'
import { showsSomething } from '../contracts/visible-text.ts'
import { MOST_BATCH_CHARACTERS } from './domain/unit-sale.ts'
import { unitProofView } from './unit-proof.schemas.ts'

export const serialSchema = z
  .string()
  .overwrite(canonicalSerial)
  .min(1, 'must not be empty')
  .max(SERIAL_MAX_LENGTH, `must be at most ${SERIAL_MAX_LENGTH} characters`)
  .regex(SERIAL_PATTERN, 'validation.serial-characters')

export const serialParams = z.object({ serial: serialSchema })
export const idParams = z.object({ id: z.string().min(1).max(100) })

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    messageKey: z.string().optional().describe("The message's key in the server's catalogue."),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
})

export const warrantyLookupResponse = z.object({
  serial: z.string(),
  model: z.object({ id: z.string(), name: z.string(), category: z.string() }),
  brand: z.object({ id: z.string(), name: z.string() }),
  policy: z.object({
    id: z.string(),
    version: z.string(),
    ref: z.string(),
    /** The policy's title in its own language, and in the other where it gives one. */
    title: z.string(),
    translations: z.object({
      en: z.object({ title: z.string().optional() }).optional(),
      zh: z.object({ title: z.string().optional() }).optional(),
    }),
  }),
  warranty: z.object({ starts: z.string(), ends: z.string() }).nullable(),
  inWarranty: z.boolean(),
  checkedOn: z.string(),
})
export type WarrantyLookup = z.infer<typeof warrantyLookupResponse>

const orgRef = z.object({ id: z.string(), name: z.string() })

export const unitResponse = z.object({
  serial: z.string(),
  model: z.object({ id: z.string(), name: z.string(), category: z.string(), part: z.enum(PART_KINDS) }),
  brand: orgRef.extend({ relation: z.enum(['own', 'agent']) }),
  batch: z.string().nullable(),
  channel: z.enum(CHANNELS),
  dealer: orgRef.nullable(),
  dealerConfirmed: z.boolean(),
  shippedBy: z.enum(SHIPPERS).nullable(),
  purchasedOn: z.string().nullable(),
  shippedOn: z.string().nullable(),
  deliveredOn: z.string().nullable(),
  activatedOn: z.string().nullable(),
  ownerCustomerId: z.string().nullable(),
  secondHand: z.boolean(),
  proofOfPurchase: z.boolean(),
  warrantyCard: z.boolean(),
  replacedBySerial: z.string().nullable(),
  policy: z.object({ id: z.string(), version: z.string() }),
  pendingOffer: z.object({ toEmail: z.string(), offeredAt: z.string() }).nullable().optional(),
  /**
   * The proofs of purchase filed for the unit, oldest first, with what staff found of each: given
   * to staff and to the unit's owner only. A customer's own registration files its proof as
   * `offered`; the purchase is proven once one is `accepted`.
   */
  purchaseProofs: z.array(unitProofView).optional(),
})
nameSchema(unitResponse, {
  id: 'Unit',
  description: 'A unit sold: its model, sale, owner and the policy version its warranty follows.',
})
export type UnitView = z.infer<typeof unitResponse>

export const unitListQuery = z.object({
  // Canonical like every serial stored, so `pla-100` finds PLA-1001.
  serialPrefix: z.string().trim().min(1).max(64).overwrite(canonicalSerial).optional(),
  model: z.string().trim().min(1).max(100).optional(),
  dealer: z.string().trim().min(1).max(100).optional(),
  cursor: pageCursor(),
  after: z.string().max(300).optional().describe(EARLIER_CURSOR),
  limit: pageLimit(50),
})

export const unitListResponse = pageOf(unitResponse)

/** A unit a seller recorded as sold to the signed-in customer, waiting for their answer. */
export const unitOfferResponse = z.object({
  serial: z.string(),
  model: z.string(),
  purchasedOn: z.string().nullable(),
  /** The dealer that recorded the sale; null for the brand's own sale. */
  sellerName: z.string().nullable(),
  offeredAt: z.string(),
})
export const unitOfferListResponse = pageOf(unitOfferResponse)
export const unitOfferAnswerBody = z.object({
  /** true: the unit becomes yours; false: you did not buy it and the offer is withdrawn. */
  accept: z.boolean(),
})

export const createUnitBody = z.object({
  serial: serialSchema,
  /** A model id or name, matched ignoring case, spaces and hyphens. */
  model: z.string().trim().min(1).max(100),
  purchasedOn: isoDate,
  channel: z.enum(CHANNELS),
  dealerOrgId: z.string().min(1).max(100).optional(),
  shippedBy: z.enum(SHIPPERS).optional(),
  shippedOn: isoDate.optional(),
  deliveredOn: isoDate.optional(),
  activatedOn: isoDate.optional(),
  batch: z.string().trim().min(1).max(MOST_BATCH_CHARACTERS).optional(),
  /** Staff and dealers: the buyer's e-mail; ignored for customers, who register for themselves. */
  ownerEmail: z.email().optional(),
  /**
   * With `ownerEmail`: the language the buyer reads, as the seller knows it. A buyer new to
   * us has their mail in it as a guess, which their own choice replaces; one we know keeps
   * theirs. Without it, a dealer signed in at the web's form has the form's language
   * (`Accept-Language`) taken as that guess.
   */
  ownerLocale: z.enum(['en', 'zh']).optional(),
  /** Staff only: a policy other than the brand's. */
  policy: z.string().min(1).max(64).optional(),
  /** A file stored by the files feature: the invoice or receipt. */
  proofFileId: z.string().min(1).max(100).optional(),
})
export type CreateUnitInput = z.infer<typeof createUnitBody>

export const transferBody = z.object({
  toEmail: z.email(),
  // A name of zero-width characters alone would greet the buyer by nothing.
  toName: z.string().trim().min(1).max(200).refine(showsSomething, 'validation.required').optional(),
  /** The language the new owner reads their mail in, when this makes them a customer (an owner's offer without it: the owner's): a guess, which their own choice replaces; one who is a customer keeps theirs. */
  toLocale: z.enum(['en', 'zh']).optional(),
  transferredOn: isoDate.optional(),
  /** The owner the caller saw (null: none); another owner by now answers 409 and moves nothing. */
  fromCustomerId: z.string().min(1).max(100).nullable().optional(),
})
export const transferResponse = z.object({
  serial: z.string(),
  fromCustomerId: z.string().nullable(),
  toCustomerId: z.string().nullable(),
  transferredOn: z.string(),
  status: z.enum(['transferred', 'offered']),
})
nameSchema(transferResponse, {
  id: 'Transfer',
  description: 'A change of owner of a unit (a second-hand sale).',
})

const address = z.record(z.string(), z.string())
export const ORGANISATION_KINDS = ['seller', 'dealer', 'agent', 'maker'] as const

export const organisationResponse = z.object({
  id: z.string(),
  kind: z.enum(ORGANISATION_KINDS),
  name: z.string(),
  country: z.string(),
  email: z.string(),
  serviceAddress: address.nullable(),
  defaultPolicyId: z.string().nullable(),
  agentOrgId: z.string().nullable(),
  active: z.boolean(),
  deactivatedAt: z.string().nullable().optional(),
  deactivatedByUserId: z.string().nullable().optional(),
})
nameSchema(organisationResponse, {
  id: 'Organisation',
  description: 'A seller, dealer, agent or maker.',
})
/** A deactivation or reactivation: the organisation, and the returns it sent elsewhere. */
export const organisationStandingResponse = organisationResponse.extend({
  readdressedReturns: z
    .array(
      z.object({
        claimId: z.string(),
        claimNumber: z.string(),
        rmaNumber: z.string(),
        shipTo: z.string(),
      }),
    )
    .optional(),
})
nameSchema(organisationStandingResponse, {
  id: 'OrganisationStanding',
  description:
    'An organisation deactivated or reactivated. Deactivating a dealer sends every return authorised to it and not yet received to whoever serves the claim now (the seller), listed in `readdressedReturns`; each customer is told the new address.',
})
export const organisationListResponse = pageOf(organisationResponse)
export const organisationListQuery = z.object({
  kind: z.enum(ORGANISATION_KINDS).optional(),
  sellsModel: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "A model's id or name: only the dealers and agents that sold units of its seller, the ones a customer registering the model may name (`dealerOrgId`).",
    ),
})

export const createOrganisationBody = z.object({
  kind: z.enum(ORGANISATION_KINDS),
  name: z.string().trim().min(2).max(200),
  country: z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code'),
  email: z.email(),
  phone: z.string().max(50).optional(),
  serviceAddress: address.optional(),
  defaultPolicyId: z.string().min(1).max(64).optional(),
  agentOrgId: z.string().min(1).max(100).optional(),
})

export const compatibilityResponse = z.object({
  filterWheels: z.array(z.string()).optional(),
  filterDrawers: z.array(z.string()).optional(),
  oags: z.array(z.string()).optional(),
  recommendedFilterSize: z.string().optional(),
  note: z.string().optional(),
})

export const modelResponse = z.object({
  id: z.string(),
  name: z.string(),
  brand: orgRef,
  brandRelation: z.enum(['own', 'agent']),
  category: z.string(),
  part: z.enum(PART_KINDS),
  warrantyTerm: z.string().nullable(),
  description: z.string().nullable(),
  /** The description in Chinese, where the catalogue gives one. */
  descriptionZh: z.string().nullable(),
  specifications: z.record(z.string(), z.string()),
  packageContents: z.array(z.string()),
  /** The same items in Chinese, in the same order: each as the package word list names it, else as stored. */
  packageContentsZh: z.array(z.string()),
  compatibility: compatibilityResponse,
  /** Catalogue models named in `compatibility`, resolved to ids. */
  compatibleAccessories: z.array(z.object({ id: z.string(), name: z.string(), category: z.string() })),
})
export const modelListQuery = z.object({
  brand: z.string().min(1).max(100).optional(),
  category: z.string().min(1).max(50).optional(),
})
export const modelListResponse = pageOf(modelResponse.omit({ compatibleAccessories: true }))

export const customerResponse = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  address: address.nullable(),
  locale: z.enum(['en', 'zh']),
})
export const customerListQuery = z.object({
  cursor: pageCursor(),
  after: z.string().max(300).optional().describe(EARLIER_CURSOR),
  limit: pageLimit(50),
})
export const customerListResponse = pageOf(customerResponse)

/** `GET /api/v1/pending-dealer-sales`: the seller's staff's list of sales waiting for a dealer. */
export const staffPendingSaleQuery = z.object({
  /** One dealer's sales only: its organisation id. */
  dealer: z.string().trim().min(1).max(100).optional(),
  limit: pageLimit(),
  cursor: pageCursor(),
})

export const staffPendingSaleResponse = z.object({
  serial: z.string(),
  model: z.string(),
  /** The purchase day the buyer stated. */
  purchasedOn: z.string().nullable(),
  dealer: z.object({ id: z.string(), name: z.string() }),
  customer: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  openClaims: z.array(z.object({ id: z.string(), number: z.string() })),
})
nameSchema(staffPendingSaleResponse, {
  id: 'PendingDealerSale',
  description:
    "A sale a buyer says a dealer made, waiting for the dealer's confirmation, as the seller's staff see it.",
})
export const staffPendingSaleListResponse = pageOf(staffPendingSaleResponse)
