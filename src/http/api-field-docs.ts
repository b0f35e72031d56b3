/**
 * What each field of the API's named resources means, by component and dotted path (`[]`
 * steps into an array's items). Kept apart from the route schemas, which also validate and
 * serialise, so a wording change here never touches what the API accepts or answers.
 * `test/platform/openapi-docs.test.ts` fails when a field of a named resource is left out.
 */
const FIELD_DESCRIPTIONS_BY_RESOURCE: Record<string, Record<string, string>> = {
  Decision: {
    policy: 'The policy applied, as `id@version` (`player-one@1`).',
    provisional: 'True while the unit has not been inspected: the decision may change after inspection.',
    covered:
      'True when the policy grants free service (a remedy at no charge to the customer) for this claim.',
    basis:
      'Why it is covered: `doa`, `transport-damage`, `early-failure`, `not-as-described`, `warranty`, `extended-warranty`; `none` when not covered.',
    remedies:
      "The remedies offered, the customer's preference first where the policy lets them choose; empty when nothing is offered.",
    warranty:
      'The standard warranty of this unit, or null when the policy grants none or no start date is known.',
    'warranty.starts': 'First day of the warranty (ISO date), from the start event the policy names.',
    'warranty.ends': 'Last day of the warranty (ISO date).',
    exclusions: 'Each exclusion that applies, with the clause that says so.',
    'exclusions[].code':
      'A finding of the inspection (`liquid-damage`, …) or a fact: `expired`, `no-proof-of-purchase`, `out-of-scope`, `inconsistent-dates`, ….',
    'exclusions[].clause': 'The clause that excludes, as `policy#key`.',
    'exclusions[].blocks':
      'The remedies this exclusion rules out; absent when it rules out all free service.',
    missingEvidence: 'Evidence the policy requires for this claim that has not been supplied yet.',
    payers: 'Who pays each cost of the first remedy; null where the policy names nobody.',
    'payers.parts': 'Who pays for the parts: `vendor`, `dealer`, `manufacturer` or `customer`.',
    'payers.labour': 'Who pays for the labour.',
    'payers.inbound-shipping': 'Who pays the freight from the customer to the service.',
    'payers.return-shipping': 'Who pays the freight from the service back to the customer.',
    'payers.missing-items': 'Who pays for original accessories or packaging missing from the return.',
    'payers.duties': 'Who pays customs duties and taxes on cross-border freight.',
    handler: 'Who carries out the service: `vendor` (the seller), `dealer` or `manufacturer`.',
    service: 'How the unit reaches service: `mail-in`, `pickup` (the seller collects it) or `on-site`.',
    trace: "Every clause weighed, in the policy's order, with how it weighed and why.",
    'trace[].clause': 'The clause, as `policy#key`.',
    'trace[].text': "The clause in the policy's own words.",
    'trace[].language': "The language of `text`, the policy's own: `en` or `zh`.",
    'trace[].translations': "The clause in the product's other languages, where the policy gives them.",
    'trace[].translations.en': 'The clause in English, when the policy is written in another language.',
    'trace[].translations.zh': 'The clause in Simplified Chinese.',
    'trace[].applies': 'True when the condition of the clause held for this case.',
    'trace[].outcome':
      '`applies` (it shaped this decision), `overridden` (it held, but a clause of higher precedence set the result) or `not-met`.',
    'trace[].because':
      'One sentence with the facts computed for this case; present where the clause applies or was overridden.',
    'trace[].because.en': 'The sentence in English.',
    'trace[].because.zh': 'The sentence in Simplified Chinese.',
    explanation:
      'The decision in plain words for the customer: what is offered, why, until when, who pays what and what is still needed. No codes.',
    'explanation.en': 'The explanation in English.',
    'explanation.zh': 'The explanation in Simplified Chinese.',
    dateWarnings:
      'Dates of the case that disagree without changing the decision; absent when there are none. The explanation says each one.',
    'dateWarnings[].code':
      '`warranty-starts-before-purchase`: the warranty is counted from a day (a delivery, a shipment standing in for it) before the purchase.',
    'dateWarnings[].field':
      'The case field the warranty start was read from, such as `purchase.deliveredOn`.',
    'dateWarnings[].startsOn': 'The day the warranty is counted from (ISO date).',
    'dateWarnings[].purchasedOn': 'The purchase day it is earlier than (ISO date).',
  },
  Claim: {
    id: 'The claim id used in URLs.',
    number: "The customer's reference (`C-2026-0042`); it never changes.",
    rmaNumber: 'The return authorisation number once the return is authorised, else null.',
    state: 'Where the claim is in its lifecycle (see "The claim lifecycle" above).',
    version: 'Rises by one with every event; send it in `If-Match` with a change.',
    policy: 'The policy version the claim is decided by, as `id@version`.',
    currency: 'ISO 4217 currency of all amounts of this claim.',
    serial: 'Serial number of the unit claimed for.',
    model: 'Catalogue name of the model, when known.',
    brand: 'The brand organisation of the unit.',
    customerId: 'The registry customer who owns the unit, when known.',
    dealerOrgId: 'The dealer that sold the unit, for dealer sales.',
    problem: 'What the customer reported.',
    'problem.kind': '`malfunction`, `arrived-damaged`, `not-as-described` or `software-upgrade`.',
    'problem.description': "The customer's own words.",
    'problem.noticedOn':
      'The day the customer first noticed the fault, as they said (information only: the claim is dated the day it reached us).',
    preference: 'The remedy the customer would like: `repair`, `replace` or `refund`.',
    evidence: 'Evidence supplied so far (`proof-of-purchase`, `defect-media`, `serial-photo`, …).',
    provisionalDecision: 'The decision taken before inspection, or null.',
    finalDecision: 'The decision taken after inspection, or null until then.',
    inspection: "The service bench's record; the fields the decision reads are named, the rest pass through.",
    'inspection.faultConfirmed': 'The service reproduced the fault.',
    'inspection.manufacturingDefect': 'The fault comes from design, production or quality.',
    'inspection.findings': 'Findings that may exclude free service (`liquid-damage`, `seal-broken`, …).',
    'inspection.missingItems': 'Original accessories or packaging missing from what was sent in.',
    'inspection.faultCausedBy':
      'The findings that caused the fault; absent, every finding is taken to have. A finding left out does not refuse the fault where the policy excludes only damage it caused.',
    rma: 'The return authorisation: where to send the unit, who pays the freight and what to include.',
    'rma.number': 'The RMA number to write on the parcel.',
    'rma.shipTo': 'The service address the unit goes to.',
    'rma.shipTo.name': 'Recipient: the service centre or dealer.',
    'rma.shipTo.line1': 'Street and number.',
    'rma.shipTo.line2': 'Further address line.',
    'rma.shipTo.city': 'City.',
    'rma.shipTo.postcode': 'Postal code.',
    'rma.shipTo.region': 'Province, state or region.',
    'rma.shipTo.country': 'ISO 3166 two-letter country code.',
    'rma.servedInsteadOf':
      'The dealer the decision names as serving, when it no longer serves claims and the unit goes to the seller instead; absent otherwise.',
    'rma.servedInsteadOf.name': "The dealer's name.",
    'rma.freightPayer': "Who pays the freight to the service (the decision's `inbound-shipping` payer).",
    'rma.returnFreightPayer':
      "Who pays the freight back to the customer (the decision's `return-shipping` payer).",
    'rma.itemsToInclude': 'What to put in the parcel, from the standard package and the policy.',
    'rma.itemTranslations':
      "A policy's parcel notes among `itemsToInclude` in other languages, keyed by the note as listed.",
    'rma.service': 'How the unit reaches service: `mail-in`, `pickup` or `on-site`.',
    'rma.repairOrderUrl': 'The repair order PDF to print and put in the parcel.',
    'rma.issuedAt':
      'When the return was authorised: the date the repair order is issued on. Absent on returns authorised before it was kept.',
    quote: 'The latest cost estimate, or null when none was sent.',
    'quote.id': 'The quote id, to accept or decline it.',
    'quote.status': '`sent`, `accepted` or `declined`.',
    'quote.customerTotalMinor':
      "What the customer pays, in the currency's minor units (cents); absent for a dealer that sold the unit and does not handle the claim.",
    'quote.paidMinor':
      'What the customer has paid so far, in minor units; absent for a dealer that sold the unit and does not handle the claim.',
    replacementSerial: 'Serial of the unit sent as a replacement, once issued.',
    returnShipment: 'How the unit travels back to the customer, once shipped.',
    'returnShipment.carrier': 'The carrier.',
    'returnShipment.trackingNumber': "The carrier's tracking number.",
    outcome: 'How the claim ended, once closed (`completed`, …).',
    openedAt: 'When the claim was opened (ISO 8601, UTC).',
    updatedAt: 'When the last event was recorded (ISO 8601, UTC).',
    closedAt: 'When the claim was closed or cancelled, else null.',
    allowedActions: 'The lifecycle actions the caller may take now.',
    heldActions:
      'Steps the caller could take but for something to be done first; none of them is in `allowedActions`, and each moves there once that is done. `make-decision` waits (`claims.decision.proof-waits`) while a proof of purchase the claimant sent waits for staff to accept or refuse it, unless the unit’s registry proves the purchase already.',
    'heldActions[].action': 'The step, as `allowedActions` names it.',
    'heldActions[].reason':
      'The message key of what holds it back (`claims.decision.proof-waits`: staff accept or refuse the proof of purchase first).',
  },
  PendingDealerSale: {
    serial: 'Serial of the unit.',
    model: 'Model name as the catalogue spells it.',
    purchasedOn: 'The purchase day the buyer stated (ISO date), or null.',
    dealer: 'The dealer the buyer named, whose confirmation the sale waits for.',
    'dealer.id': 'Organisation id of the dealer.',
    'dealer.name': 'Dealer name.',
    customer: 'The buyer who named the dealer (the unit’s owner), or null when the unit has no owner.',
    'customer.id': 'Customer id.',
    'customer.name': 'Customer name.',
    'customer.email': 'Customer e-mail.',
    openClaims: 'The unit’s open claims, oldest first; empty when nobody has claimed on the unit.',
    'openClaims[].id': 'Claim id.',
    'openClaims[].number': 'Claim number as customers and staff quote it.',
  },
  UnitProofWaiting: {
    serial: 'Serial of the unit.',
    model: 'Model name as the catalogue spells it.',
    fileId: 'The document offered; open it with `GET /api/v1/files/{fileId}` and weigh it by this id.',
    fileName: 'The document’s name as uploaded, or null.',
    offeredAt: 'When the customer filed it with their registration (ISO 8601, UTC).',
    purchasedOn: 'The purchase day the customer stated (ISO date), or null.',
    customer: 'The unit’s owner, who filed it, or null when the unit has no owner now.',
    'customer.id': 'Customer id.',
    'customer.name': 'Customer name.',
    'customer.email': 'Customer e-mail.',
    openClaims:
      'The unit’s open claims, oldest first: each waits on this proof too and records what staff find.',
    'openClaims[].id': 'Claim id.',
    'openClaims[].number': 'Claim number as customers and staff quote it.',
  },
  Unit: {
    serial: 'Serial number, unique in the registry.',
    model: 'The catalogue model.',
    'model.id': 'Model id.',
    'model.name': 'Model name as the catalogue spells it.',
    'model.category': 'Category a policy may match on (`camera`, `astro-box`, …).',
    'model.part': '`host`, `main-accessory`, `accessory` or `consumable`.',
    brand: 'The brand and whether the seller sells it as its own or as an agent.',
    'brand.id': 'Organisation id of the brand.',
    'brand.name': 'Brand name.',
    'brand.relation': '`own` (the seller’s own brand) or `agent`.',
    batch: 'Production batch code, when recorded.',
    channel: '`direct` (bought from the seller) or `dealer`.',
    dealer: 'The dealer that sold the unit, for dealer sales.',
    'dealer.id': 'Organisation id of the dealer.',
    'dealer.name': 'Dealer name.',
    dealerConfirmed:
      'False while the dealer the buyer named has not confirmed the sale: until then the seller handles claims on the unit and the dealer sees none of them. True otherwise, also for direct sales.',
    shippedBy: 'Who shipped the goods to the buyer: `vendor` or `dealer`.',
    purchasedOn: 'Date of purchase (ISO date).',
    shippedOn: 'Date of shipment to the buyer.',
    deliveredOn: 'Date of delivery to the buyer.',
    activatedOn: 'Date of first activation, for products whose warranty starts then.',
    ownerCustomerId: 'The registry customer who owns the unit now; null until a buyer accepts it.',
    secondHand: 'The owner is not the first buyer.',
    proofOfPurchase:
      'A valid invoice or receipt is on file: recorded with the sale by the seller, a dealer or staff, or one a customer filed that staff accepted. A proof a customer filed with their own registration leaves it false until staff accept it.',
    warrantyCard: 'The warranty certificate can be shown.',
    replacedBySerial: 'The unit that replaced this one, after a replacement.',
    purchaseProofs:
      'The proofs of purchase filed for the unit, oldest first; shown to staff and the unit’s owner only, absent for others.',
    'purchaseProofs[].fileId': 'The document; open it with `GET /api/v1/files/{fileId}`.',
    'purchaseProofs[].fileName': 'The document’s name as uploaded, or null.',
    'purchaseProofs[].status':
      '`offered` (filed by the customer with their registration, waiting for staff), `accepted` (the purchase is proven) or `refused`.',
    'purchaseProofs[].reason': 'Why staff refused it, as the customer is told; null otherwise.',
    'purchaseProofs[].offeredAt': 'When it was filed (ISO 8601, UTC).',
    'purchaseProofs[].weighedAt':
      'When staff accepted or refused it (or, for one filed as accepted, when it was filed); null while it waits.',
    'purchaseProofs[].weighedBy':
      'Who accepted or refused it (for one filed as accepted with a sale, who filed it), by account id and name; null while it waits or where nobody is on record. Given to staff only, absent for the owner.',
    'purchaseProofs[].weighedBy.id': 'The account id.',
    'purchaseProofs[].weighedBy.name': 'The account’s name.',
    policy: 'The policy version its warranty follows: the one in force on the purchase date.',
    'policy.id': 'Policy id.',
    'policy.version': 'Policy version.',
    pendingOffer:
      'The offer of the unit waiting for its buyer’s answer, or null; shown to the owner (their own offer) and staff only, absent for others.',
    'pendingOffer.toEmail': 'The address the unit was offered to.',
    'pendingOffer.offeredAt': 'When it was offered (ISO 8601, UTC).',
  },
  Transfer: {
    serial: 'The unit transferred.',
    fromCustomerId: 'The previous owner, if there was one.',
    toCustomerId:
      'The new owner, when staff recorded the transfer; null while an owner’s offer waits for the buyer.',
    transferredOn: 'Date of the transfer (ISO date).',
    status:
      '`transferred` (recorded by staff) or `offered`: the owner’s buyer is e-mailed and owns the unit once they accept it (`POST /api/v1/units/{serial}/offer-answer`).',
  },
  RecoveryLine: {
    id: 'The line id, to answer it (`partly-accept`).',
    claimId: 'The claim whose cost it is.',
    claimNumber: "The claim's number as its customer, its e-mails and its case page know it (C-7CB9993C).",
    claimVisible:
      'Whether the caller may open the claim (`GET /api/v1/claims/{claimId}`): staff and integrations any, a dealer those on its own units. The debtor of a dealer’s recovery sees the number but not the claim.',
    kind: '`parts`, `labour`, `freight`, `refund-share` or `replacement-share`: the kind of its clause.',
    leg: 'For freight, the leg: `inbound`, `return`, `forward` or `back`; else null.',
    clause: 'The clause of the recovery terms that pays it, as `terms#key`.',
    description:
      'What the line pays for, in English, in the words of the derivation (`TEC cooler module × 1 at cost`), whatever the language of the request.',
    descriptionKey:
      'The message-catalogue key of the description (`recovery.line.parts`), for clients that word lines themselves; null for lines filed before keys were kept, which have their English `description` alone.',
    descriptionParams:
      'The values of the placeholders of `descriptionKey` (`{"item": "TEC cooler module", "quantity": 1, "priceBasis": "cost"}`); null with it.',
    localDescription:
      'The description in the language of the request (`Accept-Language`: `en` or `zh`), worded from `descriptionKey`; the English `description` for lines without one. Cost descriptions typed by people and repair codes stay as written.',
    amountMinor:
      "What the creditor claims, in the currency's minor units: after any cap, so 0 for a line a cap took to nothing.",
    cappedFromMinor:
      'What the line would have been without a cap (the amount before), or null when no cap cut it.',
    capReasonCode:
      "Why a cap cut the line, set with `cappedFromMinor`: `clause-cap` (its clause's cap) `per-claim-cap` (the terms' cap for one claim, reached by the claim's earlier lines) or `filed-for-another-creditor` (the same cost of the claim was filed already for another creditor, so the line is 0: a debtor is never asked twice for one cost); null when nothing cut it.",
    repairCode: 'For labour, the repair code whose standard time it pays; else null.',
    workOn: 'The day of the work it pays for (ISO date).',
    deadline: 'The day it must be submitted by under the terms (ISO date).',
    evidence: 'What on the claim backs it.',
    'evidence.costLineIds': 'The cost lines of the claim it comes from.',
    'evidence.eventSeqs': 'The claim events (sequence numbers) of the work it pays for.',
    decision: 'The warranty decision it rests on.',
    'decision.policy': 'The policy applied, as `id@version`.',
    'decision.basis': "The decision's basis (`warranty`, `doa`, …).",
    'decision.payer': 'Whom the decision named to pay this kind of cost, or null.',
    acceptedMinor: 'What the debtor accepted of it, once answered; null until then.',
    reasonCode:
      'Why the debtor accepted less than claimed (`not-covered`, `over-standard-time`, …), or null.',
  },
  ClaimCostLine: {
    id: 'Cost line id: what a recovery line cites in `evidence.costLineIds`.',
    quoteId: 'The quote the line was sent on; null for a line booked when the repair was completed.',
    kind: 'What it pays for: `parts`, `labour`, `inbound-shipping`, `return-shipping`, `missing-items` or `duties`.',
    description: 'As typed; empty when none was, and the reader is shown the kind instead.',
    quantity: 'How many.',
    unitPriceMinor: 'Price of one, in minor units of `currency`.',
    amountMinor: '`quantity` × `unitPriceMinor`, in minor units of `currency`.',
    currency: "ISO 4217 code of the claim's currency.",
    payer: 'Who pays it: `vendor` (the seller), `dealer`, `manufacturer` or `customer`.',
    recordedAt: 'When it was recorded.',
    spent:
      'Whether it was spent: true for a line on no quote (booked when the work was done) or on a quote the customer accepted; false for a line of a quote waiting for its answer, past its last day, or declined, which nobody owes. Only spent lines count in `totals` and in every report.',
    quoteStatus:
      "The status of the line's quote: `sent` (waiting for the customer's answer), `accepted`, `declined`, or `expired` (waiting past its last day); `unknown` if the quote cannot be found; null for a line on no quote.",
  },
  ClaimCostTotal: {
    amountMinor: 'The sum of the spent lines in this currency that the reader is sent, in minor units.',
    byPayer:
      'The same sum per payer (`vendor` for the seller, `dealer`, `manufacturer`, `customer`), in minor units; a payer with no spent line is absent.',
  },
  Organisation: {
    id: 'Organisation id.',
    kind: '`seller`, `dealer`, `agent` or `maker`.',
    name: 'Name shown to customers.',
    country: 'ISO 3166 two-letter country code.',
    email: 'Service e-mail address.',
    serviceAddress: 'Where units are sent for service, when this organisation services them.',
    defaultPolicyId: 'The policy its units follow unless a model says otherwise.',
    agentOrgId: 'The agent through which this brand is sold, for agent brands.',
    active:
      'False once staff deactivated it (a dealer that left the network, an agent whose contract ended): its users cannot sign in and it cannot be named on a new sale or claim; what is on file keeps naming it.',
    deactivatedAt: 'When it was deactivated; null while active. Shown to staff only.',
    deactivatedByUserId: 'The user who deactivated it; null while active. Shown to staff only.',
  },
  User: {
    id: 'User id.',
    email: 'Sign-in e-mail address.',
    name: 'Full name.',
    role: '`customer`, `dealer`, `support`, `technician`, `manager`, `admin` or `integration`.',
    orgId: 'For dealer users: their organisation.',
    customerId: 'For customers: their registry customer.',
  },
  CreatedApiKey: {
    scope: '`full` or `read-only` (may only read).',
    orgId: 'The organisation an organisation key is limited to; null for a whole-registry integration key.',
    id: 'Key id, to revoke it.',
    name: 'What the key is for.',
    prefix: 'The first characters of the key, to recognise it in lists.',
    role: 'The role requests with this key act as.',
    userId: 'The integration user the key acts as.',
    createdAt: 'When the key was issued.',
    lastUsedAt: 'When a request last used the key.',
    revokedAt: 'When the key was revoked, else null.',
    key: 'The key itself, to send as `Authorization: Bearer <key>`. Shown only in this answer.',
  },
  File: {
    id: 'File id.',
    claimId: 'The claim the file belongs to; null for a proof of purchase not yet attached.',
    kind: 'What the file shows (`defect-media`, `proof-of-purchase`, …).',
    name: 'The file name as uploaded, made safe.',
    contentType: 'The type detected from the content, not from the name.',
    sizeBytes: 'Size in bytes.',
    sha256: 'SHA-256 of the content, hex.',
    uploadedBy: 'The user who uploaded it.',
    createdAt: 'When it was stored.',
    url: 'Where to download it.',
  },
  FileList: {
    items: 'The files stored by this upload.',
    next: 'Always null: all files are in one answer.',
  },
  ThreadMessage: {
    id: 'Message id.',
    author: 'Who wrote it.',
    'author.id': 'User id of the author.',
    'author.role': 'Role of the author.',
    'author.name': 'Name of the author.',
    body: 'The message text.',
    postedAt: 'When it was posted.',
    kind: '`message`, `info-request` (a question from service) or `info-reply` (its answer).',
    internal: 'An internal note; only staff ever receive these.',
    via: '`web` or `email` (a reply by e-mail).',
    files: 'Files attached to the message.',
    'files[].id': 'File id.',
    'files[].name': 'File name.',
    'files[].contentType': 'Detected content type.',
    'files[].sizeBytes': 'Size in bytes.',
    'files[].url': 'Where to download it.',
  },
  InboundMailResult: {
    claimId: 'The claim the reply was posted to.',
    threadMessageId: 'The thread message created for the reply.',
    created: 'False when this Message-ID was received before and nothing was posted again.',
    answered: 'True when the reply answered an open request for information.',
    files: 'How many attachments were stored.',
  },
  MailPreferences: {
    'quote-reminders':
      "True while the person receives the reminder the day before a waiting quote's last day; false also when a link stopped it at their address.",
    'reliability-alerts':
      'True while the person (a manager) receives the early warnings of the reliability check; false also when a link stopped them at their address.',
  },
  UnsubscribeResult: {
    kind: 'The kind of optional mail stopped: `quote-reminders` or `reliability-alerts`.',
    address:
      'The address that no longer receives it, as the link named it: for the person the mail was for, and for anyone else whose record carries the address (a contact or buyer typed in by staff or a dealer), until its holder turns it back on when signed in.',
    locale: 'The language of the e-mail that carried the link: the page answers in it.',
    stopped: 'Always true: the kind is stopped (stopping it again changes nothing).',
  },
  CreatedWebhook: {
    id: 'Subscription id.',
    url: 'The URL events are posted to.',
    eventTypes: 'The event types delivered; `*` for all.',
    active: 'Whether deliveries are made.',
    createdAt: 'When the subscription was made.',
    secret: 'The signing secret to verify `Aftercare-Signature` with. Shown only in this answer.',
  },
  SavedAddress: {
    id: 'Address id, to choose it for a claim.',
    name: 'Recipient name.',
    street: 'Street, number, building and room.',
    line2: 'Further address line.',
    city: 'City.',
    region: 'Province, state or region.',
    postalCode: 'Postal code.',
    country: 'ISO 3166 two-letter country code.',
    phone: 'Phone number for the carrier.',
  },
  CustomerProfile: {
    id: 'Customer id.',
    name: 'Name, as mail greets them.',
    email: 'E-mail address: the sign-in name; it does not change through the profile.',
    phone: 'Phone number, or null.',
    locale:
      "The stored language: the customer's choice, else the one they were last seen using; `en` until either, which mail does not follow (see `mailLocale`). In `PATCH /api/v1/me/profile` a `locale` sent from the customer's own signed-in session is their choice, which mail and documents follow from then on: send it only when the person picks a language, never echoed back with other changes. Sent with an API key acting for them it is not their choice: a language other than the stored one is recorded as the one they were seen using, and never replaces one they chose.",
    mailLocale:
      "The language our e-mails and documents to this customer are written in: their choice, else the language they were seen using, else their address's country's, else English.",
    addresses: 'Saved addresses, oldest first.',
  },
  SetupResult: {
    orgId: "The seller's organisation.",
    adminEmail: 'The first administrator, who can now sign in.',
    generatedPassword: 'Only when the password was generated: shown once.',
    settings: "The seller's settings as stored.",
    'settings.orgId': "The seller's organisation.",
    'settings.seller': 'Seller name on documents and e-mails.',
    'settings.email': 'Service e-mail address.',
    'settings.phone': 'Service phone number.',
    'settings.address': 'The address units are sent to for service.',
    'settings.policy': 'The default policy of the seller’s units.',
    'settings.supportHours': 'Support hours as shown to customers.',
    'settings.paymentMethod': 'How customers pay quotes: `bank-transfer` or `payment-link`.',
    'settings.bank': 'Bank details on quotes, for bank transfers.',
    'settings.bank.bankName': 'Bank name.',
    'settings.bank.accountName': 'Account holder.',
    'settings.bank.accountNumber': 'Account number or IBAN.',
    'settings.bank.swift': 'SWIFT/BIC code.',
    'settings.paymentLink': 'Payment page, for payment links.',
    'settings.terms': 'Terms printed on quotes.',
    'settings.termsZh':
      'The same terms in Chinese, printed on documents for readers of Chinese; null prints the terms above.',
    'settings.quoteValidityDays': 'Days a quote stays valid.',
    'settings.logoFileId': 'Logo on documents, a stored file.',
  },
}

/** The fields of a decision but its trace, for the summary claim lists show. */
const withoutTrace = (fields: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(fields).filter(([path]) => path !== 'trace' && !path.startsWith('trace[')),
  )

export const FIELD_DESCRIPTIONS: Record<string, Record<string, string>> = {
  ...FIELD_DESCRIPTIONS_BY_RESOURCE,
  DecisionSummary: withoutTrace(FIELD_DESCRIPTIONS_BY_RESOURCE.Decision ?? {}),
  OrganisationStanding: {
    ...FIELD_DESCRIPTIONS_BY_RESOURCE.Organisation,
    readdressedReturns:
      'Deactivating a dealer: every return authorised to it and not yet received, now addressed to whoever serves the claim (the seller); each customer was e-mailed the new address. Empty otherwise.',
    'readdressedReturns[].claimId': 'The claim.',
    'readdressedReturns[].claimNumber': "The claim's number, as its customer knows it.",
    'readdressedReturns[].rmaNumber': 'The return authorisation, whose number stays.',
    'readdressedReturns[].shipTo': 'The name on the new address.',
  },
  ClaimListItem: {
    ...FIELD_DESCRIPTIONS_BY_RESOURCE.Claim,
    provisionalDecision:
      "The decision taken before inspection, without its trace (the claim's page has it), or null.",
    finalDecision:
      "The decision taken after inspection, without its trace (the claim's page has it), or null until then.",
  },
}

type Json = Record<string, unknown>

/** The schema of a property, stepping through nullable unions to the alternative that has properties. */
function propertyOf(schema: Json | undefined, name: string): Json | undefined {
  if (!schema) return undefined
  const direct = (schema.properties as Record<string, Json> | undefined)?.[name]
  if (direct) return direct
  for (const alternative of (schema.anyOf as Json[] | undefined) ?? []) {
    const found = propertyOf(alternative, name)
    if (found) return found
  }
  return undefined
}

/** The schema at a dotted path of a component (`rma.shipTo.city`, `trace[].because`). */
export function schemaAt(component: Json, path: string): Json | undefined {
  let node: Json | undefined = component
  for (const step of path.split('.')) {
    const isArray = step.endsWith('[]')
    node = propertyOf(node, isArray ? step.slice(0, -2) : step)
    if (isArray) node = node?.items as Json | undefined
  }
  return node
}

/** Writes the descriptions above into the document's named schemas; names no field that is not there. */
export function describeFields(schemas: Record<string, Json>): string[] {
  const unknown: string[] = []
  for (const [component, fields] of Object.entries(FIELD_DESCRIPTIONS)) {
    const schema = schemas[component]
    if (!schema) continue
    for (const [path, description] of Object.entries(fields)) {
      const steps = path.split('.')
      const last = steps.pop()!
      const parent = steps.length === 0 ? schema : schemaAt(schema, steps.join('.'))
      const isArray = last.endsWith('[]')
      const name = isArray ? last.slice(0, -2) : last
      const property = propertyOf(parent, name)
      if (!property) unknown.push(`${component}.${path}`)
      else property.description = description
    }
  }
  return unknown
}
