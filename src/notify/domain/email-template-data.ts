import { z } from 'zod'
import { COSTS, HANDLERS, PARTIES, REMEDIES, translationsSchema } from '../../contracts/decision.ts'
import { serviceAddressSchema } from '../../contracts/service-address.ts'
import { WEB_LINK } from '../../contracts/web-link.ts'
import { isTimeZone } from '../../shared/human-date.ts'

/**
 * The data each e-mail template needs, checked when the message is enqueued so a caller
 * learns at once (naming the field) rather than when the worker renders it minutes later.
 * The few links that are data (a carrier's tracking page, the sign-in link) may be absolute
 * http(s) URLs or paths starting with `/`, resolved against the public URL when rendered.
 */
const link = z.string().refine((value) => /^\/(?!\/)/.test(value) || WEB_LINK.test(value), {
  message: 'must be an http(s) URL or a path starting with /',
})
const text = z.string().trim().min(1)
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be a date YYYY-MM-DD or an ISO timestamp')
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR or CNY')
const minor = z.number().int()
/** What every e-mail about a recovery claim says of the claim, whichever side it tells. */
const recoveryClaimFacts = {
  recipientName: text.optional(),
  recoveryId: text,
  creditorName: text,
  debtorName: text,
  /** `YYYY-MM`, the month of work the claim gathers. */
  period: z.string().regex(/^\d{4}-\d{2}$/, 'must be a month YYYY-MM'),
  currency,
}
const paymentInstructions = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('bank-transfer'),
    bankName: text,
    accountName: text,
    accountNumber: text,
    swift: text.optional(),
    reference: text,
  }),
  z.object({ method: z.literal('payment-link'), url: link, reference: text }),
  z.object({ method: z.literal('contact'), contact: text, reference: text }),
])

/**
 * Every claim message names the claim. Its links to the claim's page are not data: the
 * renderer builds them from the message's claim with the page contract (`contracts/pages.ts`),
 * so no caller can point a customer at a page the web app does not have.
 */
const claimBase = {
  claimNumber: text,
  recipientName: text.optional(),
  /**
   * The IANA zone the claim's policy counts its days in: timestamps are shown at that zone's
   * clock, the zone named. Messages queued before it (or without a policy) show UTC.
   */
  timeZone: z
    .string()
    .refine(isTimeZone, { message: 'must be an IANA time zone such as Asia/Shanghai' })
    .optional(),
}

export const SLA_CLOCKS = ['first-response', 'verify', 'return', 'forward'] as const

/**
 * Every message to a dealer names the unit as well as the claim: a dealer serves many
 * customers' units and knows them by model and serial.
 */
const dealerClaimBase = { ...claimBase, serial: text, model: text.optional() }

export const emailTemplateData = {
  'claim.opened': z.object({ ...claimBase, model: text.optional(), serial: text.optional() }),
  'info.requested': z.object({ ...claimBase, request: text }),
  /** The proof of purchase the customer sent was found valid. */
  'purchase-proof.accepted': z.object({ ...claimBase }),
  /** The proof of purchase the customer sent was found not valid, and why. */
  'purchase-proof.refused': z.object({ ...claimBase, reason: text }),
  /** The claim settled without the unit travelling: how, and what staff wrote the customer. */
  'remote.resolved': z.object({
    ...claimBase,
    fix: z.enum(['remote-fix', 'software-upgrade', 'spare-part']),
    note: text,
  }),
  'rma.authorized': z.object({
    ...claimBase,
    rmaNumber: text,
    /** The address on one line; printed only by messages queued before `shipToAddress`. */
    shipTo: text,
    /** Where the unit goes, as stored; printed line by line in the recipient's language. */
    shipToAddress: serviceAddressSchema.optional(),
    /** The dealer the decision names, no longer serving claims, when the seller serves instead. */
    servedInsteadOf: text.optional(),
    /** The standard package items as stored; the template names each in the recipient's language. */
    itemsToInclude: z.array(text),
    /** The policy's translations of the items it adds (its parcel notes), by the item's words. */
    itemTranslations: z.record(z.string(), translationsSchema).optional(),
    /** Who pays the freight: `vendor`, `dealer`, `manufacturer` or `customer`, worded by the template. */
    freightPayer: text.optional(),
  }),
  /** An authorised return goes elsewhere: the new address, and why. */
  'rma.readdressed': z.object({
    ...claimBase,
    rmaNumber: text,
    shipTo: text,
    shipToAddress: serviceAddressSchema.optional(),
    /** The address given before, on one line: the customer is told not to use it. */
    previousShipTo: text,
    /** `dealer-deactivated`: the dealer it was addressed to no longer serves; `staff`: the service address changed. */
    reason: z.enum(['staff', 'dealer-deactivated']),
    servedInsteadOf: text.optional(),
  }),
  'pickup.scheduled': z.object({
    ...claimBase,
    pickupDate: isoDate,
    pickupWindow: text.optional(),
    carrier: text.optional(),
    address: text.optional(),
  }),
  'unit.received': z.object({ ...claimBase, rmaNumber: text.optional(), receivedOn: isoDate }),
  'decision.made': z.object({
    ...claimBase,
    covered: z.boolean(),
    /**
     * The decision's own explanation in both languages (a message queued before it had both
     * carries one string). No codes: the recipient reads it as it stands.
     */
    explanation: z.union([text, z.object({ en: text, zh: text })]),
    /** What the decision offers; the message promises only these (a cost estimate only with `paid-repair`). */
    remedies: z.array(z.enum(REMEDIES)).default([]),
    /** Kept so messages queued before `remedies` still render; no longer written or shown. */
    nextStep: text.optional(),
  }),
  'quote.sent': z.object({
    ...claimBase,
    quoteNumber: text,
    currency,
    lines: z
      .array(
        z.object({
          /** The kind of cost, worded in the recipient's language where no description was typed. */
          kind: text.optional(),
          /** As staff typed it; absent when they typed none. */
          description: text.optional(),
          quantity: z.number().int().positive(),
          /** Absent on a line another party pays: the customer is told it is covered, not its price. */
          unitPriceMinor: minor.optional(),
          payer: text.optional(),
        }),
      )
      .min(1),
    totalCustomerMinor: minor,
    validUntil: isoDate,
    /** The quote's id: the renderer links its PDF from it (absent on messages queued before). */
    quoteId: text.optional(),
    /** How to pay, as the seller set it up, with the claim number as reference. */
    payment: paymentInstructions.optional(),
  }),
  /** Not an event: the reminder a customer gets the day before a waiting quote's last day. */
  'quote.last-day-near': z.object({
    ...claimBase,
    quoteNumber: text,
    currency,
    totalCustomerMinor: minor,
    validUntil: isoDate,
    model: text.optional(),
    serial: text,
  }),
  'payment.recorded': z.object({ ...claimBase, amountMinor: minor, currency }),
  'forwarded.to-maker': z.object({ ...claimBase, makerName: text }),
  'return.shipped': z.object({
    ...claimBase,
    carrier: text,
    trackingNumber: text,
    trackingUrl: link.optional(),
  }),
  'claim.closed': z.object({
    ...claimBase,
    /** How the claim ended, worded in the recipient's language by the template. */
    outcome: z
      .enum(['completed', 'scrapped', 'resolved-remotely', 'refunded', 'returned-unrepaired'])
      .optional(),
    /** Kept so messages queued before `outcome` still render; no longer written. */
    summary: text.optional(),
  }),
  'message.posted': z.object({ ...claimBase, authorName: text, excerpt: text }),
  /**
   * To the customer with an open claim on a unit they said a dealer sold them, when the dealer
   * (or the seller) says it did not: the claim goes on with the seller, not the dealer.
   */
  'dealer-sale.refused': z.object({
    ...claimBase,
    dealerName: text,
    serial: text,
    model: text.optional(),
    /** The seller that handles the claim now, when the unit names one. */
    sellerName: text.optional(),
    /** Who said the dealer did not sell it: the dealer itself (the default), or the seller. */
    by: z.enum(['dealer', 'seller']).optional(),
  }),
  /**
   * To the users of the dealer a claim is routed to (its decision names the dealer as the
   * handler): a claim on a unit it sold was opened by someone else, and it is to serve it.
   */
  'dealer.claim-opened': z.object({
    ...dealerClaimBase,
    /** The fault as the claimant described it, cut short where it is long. */
    problem: text.optional(),
  }),
  /** To the dealer's users: the return of the unit to the dealer was authorised, by someone else. */
  'dealer.rma-authorized': z.object({
    ...dealerClaimBase,
    rmaNumber: text,
    /** The dealer's own service address on one line; printed only by messages queued before `shipToAddress`. */
    shipTo: text,
    /** The dealer's own service address, as the customer was given it; printed line by line. */
    shipToAddress: serviceAddressSchema.optional(),
    /** Who pays the freight to the dealer, worded by the template. */
    freightPayer: text.optional(),
  }),
  /**
   * To the dealer's users: a message for the claim's parties by someone outside the dealer
   * (the customer, service staff). Staff-only notes are never sent.
   */
  'dealer.message-posted': z.object({
    ...dealerClaimBase,
    authorName: text,
    /** `customer`: the claim's customer wrote; `service`: the seller's service staff did. */
    authorSide: z.enum(['customer', 'service']).optional(),
    /** `info-request`: staff asked the customer for information, which the dealer sees too. */
    kind: z.enum(['message', 'info-request']).default('message'),
    excerpt: text,
  }),
  /**
   * To the dealer's users: the final decision, made by someone else, names the dealer as the
   * handler, either handing it a claim the decision in force before did not give it or on a
   * claim it serves. The dealer carries it out, so it is told what was decided.
   */
  'dealer.claim-decided': z.object({
    ...dealerClaimBase,
    /** `true`: the decision in force before named another handler; the claim is the dealer's now. */
    handedOver: z.boolean(),
    covered: z.boolean(),
    /** What the decision offers, worded by the template. */
    remedies: z.array(z.enum(REMEDIES)).default([]),
    /** The decision's own explanation in both languages, as the customer is given it. */
    explanation: z.union([text, z.object({ en: text, zh: text })]).optional(),
    /** Who pays the costs of carrying it out, worded by the template. */
    payers: z.array(z.object({ cost: z.enum(COSTS), payer: z.enum(PARTIES) })).default([]),
  }),
  /**
   * To the dealer's users: the final decision, made by someone else, names another handler
   * where the decision in force before named the dealer. The dealer no longer serves the claim.
   */
  'dealer.claim-handed-back': z.object({
    ...dealerClaimBase,
    /** Who serves the claim now. */
    handler: z.enum(HANDLERS),
  }),
  /**
   * To the users of the dealer an open claim was moved to, when the seller's sales now name
   * that dealer as the unit's seller (`dealer-sale.moved`). They may open the claim from now on.
   */
  'dealer.claim-moved': z.object({
    ...dealerClaimBase,
    /** `true` when the decision in force names the dealer as handler: the claim is its to serve. */
    serves: z.boolean(),
  }),
  'sla.warning': z.object({ ...claimBase, clock: z.enum(SLA_CLOCKS), dueAt: isoDate }),
  'sla.breached': z.object({ ...claimBase, clock: z.enum(SLA_CLOCKS), dueAt: isoDate }),
  /** An early warning of the reliability check, to managers; the page link is built from the model. */
  'reliability.warning': z.object({
    modelId: text,
    modelName: text,
    scope: z.enum(['model', 'batch']),
    /** The batch code for a batch warning. */
    batch: text.optional(),
    /** `YYYY-MM`, the month the claims were counted in. */
    month: z.string().regex(/^\d{4}-\d{2}$/, 'must be a month YYYY-MM'),
    level: z.enum(['caution', 'critical']),
    observed: z.number().int().nonnegative(),
    expected: z.number().nonnegative(),
    pValue: z.number().min(0).max(1),
    reference: text,
  }),
  /**
   * To the users of the organisation a recovery claim is addressed to (its debtor): the
   * creditor submitted it and it waits for their answer. The link is built from `recoveryId`.
   */
  'recovery.submitted': z.object({
    ...recoveryClaimFacts,
    claimedMinor: minor,
    lineCount: z.number().int().positive(),
    late: z.boolean(),
  }),
  /**
   * To the users of the organisation that filed a recovery claim (its creditor): the debtor
   * accepted it, accepted part of it or rejected it. `reasonCodes` are the debtor's reasons
   * for what it did not accept (`over-standard-time`, …). The link is built from `recoveryId`.
   */
  'recovery.answered': z.object({
    ...recoveryClaimFacts,
    answer: z.enum(['accepted', 'partly-accepted', 'rejected']),
    claimedMinor: minor,
    acceptedMinor: minor,
    reasonCodes: z.array(text).default([]),
  }),
  /** To the users of a recovery claim's creditor: the debtor paid it. The link is built from `recoveryId`. */
  'recovery.paid': z.object({
    ...recoveryClaimFacts,
    amountMinor: minor,
    paidOn: isoDate,
    reference: text,
  }),
  'auth.sign-in-link': z.object({
    recipientName: text.optional(),
    link,
    /** How long the link works; the auth feature issues 15-minute links. */
    validMinutes: z.number().int().positive().default(15),
  }),
  'unit.offered': z.object({
    recipientName: text.optional(),
    sellerName: text,
    model: text,
    serial: text,
    /** Where the customer signs in to accept or decline. */
    link,
  }),
  /**
   * To the buyer of an offer that staff cleared by recording another change of owner. It
   * names who made the offer (the buyer knows them) and the seller who recorded the change,
   * never the new owner.
   */
  'unit.offer-withdrawn': z.object({
    recipientName: text.optional(),
    /** `second-hand`: the owner offered to pass the unit on; `sale`: a seller recorded its sale. */
    offerKind: z.enum(['second-hand', 'sale']),
    /** Who made the offer: the owner selling it on, or the dealer or brand that sold it. */
    offeredBy: text,
    offeredOn: isoDate,
    /** The seller whose staff speak for the unit: named as the one to contact. */
    sellerName: text,
    model: text,
    serial: text,
    /**
     * Why it went: `owner-changed`, staff recorded another owner (the meaning of messages
     * queued before this field existed, hence the default); `withdrawn`, whoever made the offer,
     * or staff, took it back.
     */
    reason: z.enum(['owner-changed', 'withdrawn']).optional(),
  }),
  /**
   * To the owner a staff transfer (or a units import) took a unit from: a unit that leaves someone's account
   * unannounced is either a mistake to catch at once or a support call later. Names no new owner.
   */
  'unit.transferred-away': z.object({
    recipientName: text.optional(),
    sellerName: text,
    model: text,
    serial: text,
    /** The day it left them. */
    transferredOn: isoDate,
    /**
     * How it left: `transferred`, to a new owner (the meaning of messages queued before this
     * field existed, hence the default); `owner-cleared`, the seller's records name no owner now.
     */
    reason: z.enum(['transferred', 'owner-cleared']).optional(),
  }),
  /** To the new owner of a unit staff transferred to them (a second-hand sale recorded at once). */
  'unit.transferred': z.object({
    recipientName: text.optional(),
    sellerName: text,
    model: text,
    serial: text,
    transferredOn: isoDate,
    /** Where the customer signs in to see the unit among theirs. */
    link,
  }),
  /** To the owner of a unit they registered with a proof of purchase: staff found it valid. */
  'unit.proof-accepted': z.object({
    recipientName: text.optional(),
    model: text,
    serial: text,
    /** Where the customer signs in to see the unit among theirs. */
    link,
  }),
  /** To the owner of a unit they registered with a proof of purchase: staff could not accept it, and why. */
  'unit.proof-refused': z.object({
    recipientName: text.optional(),
    model: text,
    serial: text,
    /** Why the document proves no purchase, as staff wrote it. */
    reason: text,
    link,
  }),
} as const

export type EmailTemplateId = keyof typeof emailTemplateData
export const EMAIL_TEMPLATE_IDS = Object.keys(emailTemplateData) as EmailTemplateId[]
export type EmailTemplateData<T extends EmailTemplateId> = z.output<(typeof emailTemplateData)[T]>
export const EMAIL_LOCALES = ['en', 'zh'] as const
export type EmailLocale = (typeof EMAIL_LOCALES)[number]

/**
 * Alerts to the seller's service team about a claim: they link to it, but a reply to one is
 * meant for colleagues, so it carries no reply address into the claim's thread, where it
 * would be posted to the customer.
 */
export const TEAM_ALERT_TEMPLATES: ReadonlySet<string> = new Set<EmailTemplateId>([
  'sla.warning',
  'sla.breached',
])

export const isEmailTemplateId = (value: string): value is EmailTemplateId =>
  Object.hasOwn(emailTemplateData, value)

/** Countries whose organisations are written to in Chinese: the organisation's own country decides. */
const CHINESE_COUNTRIES = new Set(['CN', 'HK', 'MO', 'TW'])

/**
 * The language of mail to the people of an organisation who have not chosen one of their own
 * (`chosenEmailLocale`): Chinese for one in Greater China, else English.
 */
export const emailLocaleOfCountry = (country: string | null | undefined): EmailLocale =>
  country && CHINESE_COUNTRIES.has(country.trim().toUpperCase()) ? 'zh' : 'en'

/** The language a user chose in the web app (`users.locale`) when it is one mail is written in, else `fallback`. */
export const chosenEmailLocale = (chosen: string | null | undefined, fallback: EmailLocale): EmailLocale =>
  EMAIL_LOCALES.find((locale) => locale === chosen) ?? fallback

/** What the customer's own record shows of the language they read, for mail to them (`customerEmailLocale`). */
export interface CustomerLanguageEvidence {
  /** `customers.locale`. */
  locale: string
  /** Whether the customer (or staff on their word) chose it: `customers.locale_chosen_at` is set. */
  chosen: boolean
  /** Whether it was taken from what the customer did without choosing: `customers.locale_guessed_at` is set. */
  guessed: boolean
  /** The country of the customer's own address, where they gave one. */
  addressCountry?: string | null | undefined
}

/**
 * The language of mail to a customer, from the best evidence there is, in this order:
 * 1. the language the customer chose themselves;
 * 2. the language they were seen using without choosing it (the web app they opened a claim
 *    in, the request that made their account, the owner who passed them a unit): their own
 *    doing, or their nearest, says more than where they live;
 * 3. where they live: Chinese for an address in Greater China, else English
 *    (`emailLocaleOfCountry`);
 * 4. English.
 * The seller's country is no evidence: the makers here sell from China and Taiwan to buyers
 * everywhere, and a buyer who cannot read Chinese would get mail they cannot read, where an
 * English one is read by most.
 * A stored language neither chosen nor seen is only the column's default and counts for nothing.
 */
export function customerEmailLocale(evidence: CustomerLanguageEvidence): EmailLocale {
  const own = EMAIL_LOCALES.find((locale) => locale === evidence.locale)
  if (own && (evidence.chosen || evidence.guessed)) return own
  return emailLocaleOfCountry(evidence.addressCountry?.trim() || undefined)
}
