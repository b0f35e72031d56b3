import {
  CLAIM_STATES,
  CLAIM_TRANSITIONS,
  type ClaimParty,
  closeOutcomesFrom,
} from '../claims/domain/claim-lifecycle.ts'
import { describeFields } from './api-field-docs.ts'

/**
 * What the OpenAPI document says beyond the route schemas: the introduction (sign-in,
 * errors and languages, If-Match, idempotency, lists, webhooks, the claim lifecycle drawn
 * from the transition table), each operation's description and an example of each request
 * body. Routes that carry their own description and examples keep them; this fills the rest.
 * A route added without either is caught by `test/platform/openapi-docs.test.ts`.
 */

const PARTY_WORDS: Record<ClaimParty, string> = {
  customer: 'customer',
  dealer: 'dealer',
  staff: 'service staff',
  integration: 'integration (API key)',
}

/** Who takes a rule's step, with the staff roles where the rule narrows them. */
const whoTakes = (rule: (typeof CLAIM_TRANSITIONS)[number]) =>
  rule.parties
    .map((p) =>
      p === 'staff' && rule.staffRoles
        ? `${PARTY_WORDS[p]} (${rule.staffRoles.join(', ')} only)`
        : PARTY_WORDS[p],
    )
    .join(', ')

const targetOf = (to: string) =>
  to === 'stay' ? '(stays)' : to === 'resume' ? '(back to the state before `awaiting-info`)' : `\`${to}\``

/** The claim state machine as Markdown tables, generated from the lifecycle's transition table. */
export function lifecycleMarkdown(): string {
  const states = CLAIM_STATES.map((s) => `\`${s}\``).join(' · ')
  const rows = CLAIM_TRANSITIONS.map(
    (rule) =>
      `| \`${rule.action}\` | ${rule.from.map((s) => `\`${s}\``).join(', ')} | ${targetOf(rule.to)} | ${whoTakes(rule)} | \`${rule.event}\` |`,
  )
  return [
    '## The claim lifecycle',
    '',
    `States: ${states}. \`closed\` and \`cancelled\` are final.`,
    '',
    'Each action is `POST /api/v1/claims/{id}/transitions/{action}` with `If-Match`. The claim view lists the actions the caller may take now in `allowedActions`, and in `heldActions` those that wait for something to be done first, each with the message key of what holds it (`make-decision` waits with `claims.decision.proof-waits` while a proof of purchase the claimant sent waits for staff to accept or refuse it); an action refused by the lifecycle answers 409 (403 when the caller may never take it) with `details.state` and `details.allowed`.',
    '',
    '| action | from | to | who may take it | event |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n')
}

const INTRODUCTION = `Aftercare: warranty, returns, replacements and repairs for hardware makers and sellers.

## Signing in
- **Browser sessions**: \`POST /api/v1/auth/sign-in\` (staff, dealers) or a one-time e-mailed link (customers) sets the \`aftercare_session\` cookie. Changes made through the cookie send the CSRF token from \`GET /api/v1/auth/csrf\` in \`x-csrf-token\`.
- **Integrations**: \`Authorization: Bearer <api key>\` from \`POST /api/v1/api-keys\`; no CSRF token. A \`read-only\` key may only read.
- What a party may not see answers 404, never 403, so ids cannot be probed.

## Errors and languages
Every error answers \`{ "error": { "code", "message", "field"?, "messageKey"?, "params"?, "details"? } }\`. \`code\` is stable (\`validation\` 400, \`unauthenticated\` 401, \`forbidden\` 403, \`not-found\` 404, \`conflict\` 409, \`precondition-failed\` 412, \`payload-too-large\` 413, \`unsupported-media-type\` 415, \`precondition-required\` 428, \`rate-limited\` 429, \`internal\` 500); \`field\` names the offending input where it was sent (\`body.purchase.deliveredOn\`, \`querystring.cursor\`, \`params.serial\`, a multipart form's part as \`body.file\`). \`message\` is worded in the request's language: \`Accept-Language\` (\`en\` or \`zh\`), else the signed-in customer's language setting, else English. \`messageKey\` and \`params\` are the message's catalogue key and values, for clients that word messages themselves. A body or query that fails its schema lists every field refused in \`details.issues\`, each \`{ field, message, messageKey, params }\` worded like \`message\`, the first being the one \`field\` names, so a form can mark each field at once.

A body or query refuses a field its schema does not name, at any depth: 400 naming it (\`body.preferance\`, \`body.lines.0.taxRate\`, \`querystring.sort\`), and nothing is written, so a misspelt field is never dropped silently. The one exception is the case \`POST /api/v1/decisions\` reads: the adjudication contract lets a case carry fields it does not name, and decide ignores them.

## Versions: ETag and If-Match
\`GET /api/v1/claims/{id}\` answers with \`ETag: "<version>"\`; the version rises by one with every event. Every change of a claim (each transition) must send \`If-Match: "<version>"\` with the version it was based on: without it the answer is 428, with a stale one 412 with \`details.version\` (read the claim again, check, retry). Two people acting on one claim cannot overwrite each other. The same holds for each step of a recovery claim (\`POST /api/v1/recoveries/{id}/{action}\`). The precondition is judged before the body: once the caller is signed in and the record is there for them (anyone else gets the 404 of a record that does not exist), a missing If-Match answers 428 and one that is not the current ETag 412 whatever the body; only then is the body checked (400), and then the step itself (403, 409).

## Idempotency keys
\`POST /api/v1/claims\` accepts \`Idempotency-Key: <up to 200 characters>\`. A retry with the same key by the same caller answers the claim the first request opened (200 instead of 201) and opens no second claim, so a client may safely retry after a time-out.

## Lists
Lists answer \`{ items, next }\`; pass \`next\` back as the \`cursor\` query parameter for the following page; \`limit\` is 1 to 200. A cursor the list did not give (garbled, cut short, or made up) is refused with 400 naming the parameter it came in, never read as another place in the list.

## Webhooks
\`POST /api/v1/webhooks\` subscribes a URL to claim events (see the \`webhooks\` section of this document for the payload). Each delivery is a POST of the JSON body with the headers \`Aftercare-Event\` (the type), \`Aftercare-Delivery\` (an id per delivery) and \`Aftercare-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the subscription's secret>\`. Verify by recomputing the HMAC over the raw bytes, compare in constant time and refuse an old \`t\`. Deliveries are retried with backoff until answered 2xx; redirects count as failures.

${lifecycleMarkdown()}
`

/** The mark at the top of the API explorer, in place of the explorer's own. */
export const AFTERCARE_LOGO = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="180" height="36" viewBox="0 0 180 36"><rect width="36" height="36" rx="8" fill="#1a4fa0"/><path d="M10 24l8-14 8 14z" fill="#fff"/><text x="46" y="25" font-family="sans-serif" font-size="20" font-weight="700" fill="#fff">Aftercare API</text></svg>',
)

export const API_INFO = {
  title: 'Aftercare API',
  version: '1.0.0',
  description: INTRODUCTION,
}

const ADDRESS_EXAMPLE = {
  name: 'Li Wei',
  street: '88 Keyuan Road',
  city: 'Shenzhen',
  region: 'Guangdong',
  postalCode: '518057',
  country: 'CN',
  phone: '+86 138 0000 0000',
}

/** Descriptions of operations, by `METHOD /path` as in the OpenAPI document. */
export const OPERATION_DESCRIPTIONS: Record<string, string> = {
  'POST /api/v1/auth/sign-in':
    'Signs a staff member or dealer in with e-mail and password and sets the `aftercare_session` cookie. The answer carries the CSRF token to send with changes. Wrong credentials answer 401 without saying which part was wrong; repeated tries are rate-limited per address and per account.',
  'POST /api/v1/auth/sign-out': 'Ends the current session and clears its cookie. Answers 204.',
  'GET /api/v1/auth/me':
    'The signed-in user: id, name, e-mail, role and, for dealers and customers, their organisation or customer record.',
  'PUT /api/v1/me/language':
    "The language the signed-in staff or dealer user's e-mails are written in (`en` or `zh`); the web app's language switch sets it. Until set, their organisation's country decides. API keys are refused (403).",
  'GET /api/v1/me/mail-preferences':
    "Which optional e-mails the signed-in person receives: `quote-reminders` (the reminder the day before a waiting quote's last day) and `reliability-alerts` (early warnings of the reliability check, to managers). Every kind is on until stopped, by them or by a link at their address. Mail about the steps of their own claims, requests for information and quotes always goes. Signed-in people only: API keys are refused (403).",
  'PUT /api/v1/me/mail-preferences':
    'Turns kinds of optional e-mail on (`true`) or off (`false`) for the signed-in person; kinds left out stay as they are. Turning a kind on also lifts a stop an unsubscribe link made at the address they are signed in with. Answers every kind as it now stands. The same choice the `List-Unsubscribe` link of each optional e-mail makes.',
  'POST /api/v1/mail/unsubscribe':
    'Stops one kind of optional e-mail for the person it was sent to (at whatever address they have later) and at the address it was sent to, for whoever mail there is meant (a claim contact or a buyer typed in by staff or a dealer too), without signing in: the `token` is the signed one in the `List-Unsubscribe` header (and the link at the foot) of that e-mail. Mail programs POST `List-Unsubscribe=One-Click` (RFC 8058); the body is ignored. A token changed in any way (another address, another kind) answers 400 naming `querystring.token`. Stopping again changes nothing and answers 200.',
  'GET /api/v1/auth/csrf':
    'The CSRF token of the current cookie session. Browser clients send it in `x-csrf-token` with every change; API-key clients need none.',
  'POST /api/v1/auth/link':
    "E-mails a one-time sign-in link to a customer, in the customer's own language (their profile's), as all their mail; `locale` (the browser's) serves only an account without one. Always answers 202, whether or not the address is known, so addresses cannot be probed.",
  'POST /api/v1/auth/link/consume':
    'Trades the token of an e-mailed sign-in link for a session. A link works once and for 15 minutes.',
  'POST /api/v1/users':
    'Creates a staff, dealer or customer user (admins). A dealer belongs to an organisation, a customer to a registry customer.',
  'GET /api/v1/users': 'Every user with role and state (admins).',
  'POST /api/v1/api-keys':
    'Issues an API key for an integration (admins, managers). The key is in this answer only; store it, it cannot be shown again.',
  'GET /api/v1/api-keys': 'The API keys issued, without the keys themselves (admins, managers).',
  'DELETE /api/v1/api-keys/{id}': 'Revokes an API key at once; requests with it answer 401 from then on.',
  'POST /api/v1/imports/models':
    'Starts an import of the catalogue of models from a CSV file sent as the multipart field `file`: the columns `model`, `category` and `policy` are required; `aliases` and `standardPackage` (each `|`-separated), `brand`, `selfChecks`, `part`, `warrantyTerm`, `description`, `descriptionZh` (the description in Chinese) and specification columns may follow. Re-importing the same file changes nothing. Runs in the background; follow it with `GET /api/v1/imports/{id}`.',
  'POST /api/v1/imports/units':
    "Starts an import of unit sales from a CSV file sent as the multipart field `file`. The import runs in the background; follow it with `GET /api/v1/imports/{id}`. Rows that fail are rejected one by one, naming the line, the column and why, in the reader's language. A row that gives a unit another dealer (or none) moves the unit's open claims to that dealer in the file's transaction, each recording a `dealer-sale.moved` event; closed claims keep the dealer that served them. A row that moves a unit from one customer to another records the transfer as a staff transfer does (history, a waiting offer cleared, both owners e-mailed); a unit under an open claim keeps its owner, its row rejected at `customer`.",
  'GET /api/v1/imports/{id}':
    'Progress of an import job: rows processed, imported, unchanged and rejected, and the first rejections with line, field and message.',
  'GET /api/v1/units/{serial}/warranty':
    'Public warranty look-up by serial number: model, warranty dates and state, without any owner data. Rate-limited per address.',
  'GET /api/v1/units':
    'The units the caller may see: staff all, a dealer those it sold, a customer their own.',
  'POST /api/v1/units':
    'Records a sale (staff, dealers) or lets a customer register a unit they own, with a proof of purchase they uploaded (`proofFileId`; not needed for a unit a seller offered them). A customer’s proof is their word until staff weigh it: it is filed as `offered` (see `purchaseProofs` in the answer) and the unit’s `proofOfPurchase` stays false until staff accept it (`POST /api/v1/units/{serial}/purchase-proof/accept`); a claim opened meanwhile says the proof waits (`purchase.proofOfPurchasePending`). A dealer’s or staff’s sale with `proofFileId` proves the purchase at once. The policy in force on the purchase date is attached to the unit. A customer without a proof is refused alike whether the serial is not on file, on file without an owner, or someone else’s: what its description would be refused for as a new unit, then 400 at `proofFileId`. With a proof, a unit on file they may not take (someone else’s, offered to someone else, or described as another model) answers 409 at `serial` in the same words whether anyone owns it or not, pointing to the service team, who weigh the proof. A serial on file a dealer may not take is refused for its description, then with 409 at `serial`. A buyer named by `ownerEmail` who is new to us has their mail in `ownerLocale` (else, for a dealer signed in at the web app, the language of its form) as a guess, which their own choice on their profile replaces.',
  'GET /api/v1/units/{serial}':
    'One unit with model, sale, owner and warranty, when the caller may see it; to staff and its owner, its proofs of purchase with what staff found of each (`purchaseProofs`).',
  'GET /api/v1/unit-proofs':
    'The proofs of purchase customers filed with their own registrations that wait for staff, on units whose purchase nothing else proves: the unit, the document (open it with `GET /api/v1/files/{fileId}`), when it was filed, the owner and the unit’s open claims. `order=oldest` (the default, the fair order) or `newest`; paged by `cursor`. Support staff, managers and admins only: a technician inspects hardware and does not judge invoices (403).',
  'POST /api/v1/units/{serial}/purchase-proof/accept':
    'Accepts the proof of purchase `fileId` a customer filed with their registration of the unit: the unit’s purchase is proven (`proofOfPurchase`), each open claim on the unit waiting on the proof records `purchase-proof.accepted` and its case’s purchase is proven, and the owner is e-mailed in their language. One transaction. A file that is none of the unit’s proofs answers 400 at `fileId`; one already accepted or refused, here or through a claim’s `accept-purchase-proof`/`refuse-purchase-proof`, 409 at `fileId`. Support staff, managers and admins only.',
  'POST /api/v1/units/{serial}/purchase-proof/refuse':
    'Refuses the proof of purchase `fileId` a customer filed with their registration of the unit, with the `reason` the customer is told: the unit’s purchase stays unproven, each open claim on the unit waiting on the proof records `purchase-proof.refused` (its case still offers a proof only while another waits), and the owner is e-mailed the reason in their language. One transaction. 400 at `fileId` for a file that is none of the unit’s proofs, at `reason` when it is missing; 409 at `fileId` for a proof weighed already. Support staff, managers and admins only.',
  'GET /api/v1/pending-dealer-sales':
    "The sales buyers say a dealer made that wait for the dealer's confirmation, every dealer's, by dealer then serial (the seller's staff only): the unit's model, the purchase day and buyer stated, and the unit's open claims (empty for a unit nobody has claimed on). `dealer` narrows it to one dealer's organisation id. Staff confirm or refuse each with `POST /api/v1/dealer-desk/sale-confirmations/{serial}/confirm` or `/refuse`; dealers read their own through `GET /api/v1/dealer-desk/sale-confirmations`.",
  'GET /api/v1/me/unit-offers':
    'Units a seller recorded as sold to the signed-in customer (by `ownerEmail`), waiting for the customer to accept or decline them. Until accepted, the unit has no owner.',
  'POST /api/v1/units/{serial}/offer-answer':
    'The customer accepts a unit offered to them (it becomes theirs) or declines it (the offer is withdrawn). An offer made to someone else answers 404. Accepting an owner’s second-hand offer while a claim on the unit is open answers 409 at `serial` (the claim is not named to the buyer); the offer waits until the claim is closed.',
  'POST /api/v1/units/{serial}/transfers':
    'Transfers a unit to a new owner (second-hand sale); the warranty follows the unit as the policy says. Staff record it at once, which withdraws any offer of the unit still waiting for an answer: the new owner is e-mailed that the unit is theirs, the former owner that it left them, and the buyer of a withdrawn offer that it can no longer be accepted (never who owns the unit now); an owner offers it, and the buyer accepts. Pass `fromCustomerId`, the owner you saw (null for none), to be refused with 409 instead of moving a unit that changed hands meanwhile. While a claim on the unit is open the transfer (or offer) is refused with 409 at `serial`, naming the claim in `details.openClaimId`, `openClaimNumber` and `openClaimUrl` to a caller who may see it: the claim stays its customer’s, so close or cancel it first.',
  'DELETE /api/v1/units/{serial}/transfers/pending':
    'Withdraws the offer of the unit while the buyer has not answered it (a mistyped address, a sale fallen through), also one left by an earlier owner; the buyer is e-mailed that it was withdrawn. The owner or staff.',
  'GET /api/v1/models': 'The product catalogue: models with brand, category and part kind.',
  'GET /api/v1/models/{id}':
    'One model with its specifications, standard package contents and compatible accessories.',
  'GET /api/v1/organisations':
    'Sellers, dealers, agents and makers with their public fields; with `sellsModel`, only the dealers and agents a customer registering that model may name as its seller.',
  'POST /api/v1/organisations':
    'Adds a seller, dealer, agent or maker with its service address (managers, admins).',
  'POST /api/v1/organisations/{id}/deactivate':
    'Deactivates a dealer, agent or maker (managers, admins) without deleting anything: its users are refused at their next request (sessions and API keys alike, 403 naming `orgId`) and can no longer sign in, and it cannot be named as the dealer of a new sale, registration, import row or claim (400 naming the field). Its claims, units and recoveries keep naming it, and staff still see and finish them. Deactivating one already inactive changes nothing; the seller itself cannot be deactivated (409 at `id`).',
  'POST /api/v1/organisations/{id}/reactivate':
    'Reactivates an organisation (managers, admins): its users may sign in again, and sessions and API keys not yet expired work again. Reactivating an active one changes nothing.',
  'GET /api/v1/customers': 'The customers the caller may see (staff all, dealers those they sold to).',
  'GET /api/v1/customers/{id}': 'One customer with contact details, when the caller may see them.',
  'POST /api/v1/decisions':
    "Decides a warranty case by its policy without opening a claim: covered or not, basis, remedies, who pays each cost, missing evidence and the clause trace, with an explanation in English and Chinese. Each trace line quotes its clause in the policy's own words (`text`, in `language`) and gives `translations` (`{zh}` or `{en}`) into the other language where the policy has them: show a reader the translation in their language, with the original one click away.",
  'GET /api/v1/policies':
    'The service policies with their versions and the dates they apply to; each title in its `language`, with `translations.zh.title` (or `.en.title`) in the other.',
  'GET /api/v1/policies/{id}':
    "One policy version (latest, or `?version=`): metadata, clauses with their texts and service levels. `language` is the language of the title and of each clause's `text` (the source's words); `translations` give the title (`translations.zh.title`) and each clause (`translations.zh`) in the other language where the policy has them.",
  'POST /api/v1/policies/validate':
    'Checks a policy document (YAML) without loading it: every problem with its line and field, worded in the language of `Accept-Language`.',
  'POST /api/v1/policies/simulate':
    'Decides the past claims of a policy again with a draft version and reports which decisions would change and how.',
  'POST /api/v1/claims':
    'Opens a claim on a unit: the problem, the preferred remedy and the evidence. A customer claims a unit registered or offered to them; a unit with no owner, or a serial not on file they describe in `unit`, only with a proof of purchase they uploaded (a `files` entry of kind `proof-of-purchase`, else 400 at `files`, asked before anything is said of claims already open on the unit), which does not make them its owner: staff, weighing it (`accept-purchase-proof`, `refuse-purchase-proof`), name the owner. A unit on file that the customer or dealer may not claim on is answered as a serial not on file: 400 at `unit` without a description, and with one what its description is refused for, then (a customer without a proof) 400 at `files`, then 409 at `unit.serial`. Staff and integrations naming `customerId` on a unit with an owner name that owner (else 400 at `customerId`). The engine takes a provisional decision at once. Answers 201 with the claim; with an `Idempotency-Key` a retry answers the same claim with 200.',
  'GET /api/v1/claims': 'The claims the caller may see, newest first, with state and due times.',
  'GET /api/v1/claims/{id}':
    "One claim with its decision, RMA, quote, allowed actions and version. The `ETag` header is the version to send in `If-Match` with a change. `{id}` may also be the claim number customers read (`C-0CA9E54A`, any case, spaces around it ignored): a number answers the claim of the caller that has it, and a number of a claim the caller may not see answers the same 404 as one nobody has; when several of the caller's claims share a number, 409 with their ids in `details.claimIds`. Every other claim route takes the id (the `id` field of this answer).",
  'GET /api/v1/claims/{id}/events':
    "The claim's history: every event with its time, actor and data, in order. Internal notes and assignments are shown to staff only.",
  'GET /api/v1/claims/{id}/quotes':
    'The cost estimates of a claim with their lines, who pays each, totals and answers.',
  'GET /api/v1/claims/{id}/cost-lines':
    "The claim's priced cost lines (parts, labour, each freight leg) with who pays each, as recovery lines cite them. Staff and the dealer that handles the claim read every line, the customer the lines they pay, any other organisation the lines it pays and those its recovery lines cite. Lines of a quote not accepted are listed as not spent, with the quote's status, and left out of the totals.",
  'GET /api/v1/claims/{id}/repair-order.pdf':
    "The repair order to print and put in the parcel (PDF, in the customer's language): RMA number, customer, return address, serial, fault, what to include and a QR code to the claim.",
  'GET /api/v1/claims/{id}/quotes/{quoteId}.pdf':
    "A cost estimate as a PDF in the customer's language, with payment instructions.",
  'GET /api/v1/claims/{id}/files': 'The photos, videos and documents of a claim.',
  'GET /api/v1/files/{id}': 'Downloads a file, always as an attachment with its detected content type.',
  'GET /api/v1/queues/sla': 'Open SLA clocks by due time, with business time left and a colour (staff).',
  'GET /api/v1/claims/{id}/clocks':
    'The SLA clocks of one claim: kind, start, due time, pauses and state (staff; 404 for a claim that does not exist, and for anyone else).',
  'GET /api/v1/calendars': 'The business calendars: built-in ones and those stored.',
  'GET /api/v1/calendars/{id}':
    'One business calendar: working days and hours, holidays and make-up working days.',
  'GET /api/v1/reports/sla': 'SLA compliance over a date range: met and breached clocks per kind.',
  'GET /api/v1/webhooks': 'The webhook subscriptions with the event types each receives.',
  'DELETE /api/v1/webhooks/{id}': 'Removes a webhook subscription; its undelivered events are dropped.',
  'GET /api/v1/outbox':
    'Outgoing e-mails and webhook deliveries, newest first; pending and failed ones need attention.',
  'GET /api/v1/reports/claim-rates': 'Claims per 100 units sold, by model, batch or dealer.',
  'GET /api/v1/reports/failure-modes':
    'Problem kinds reported and inspection findings, by model, batch or dealer.',
  'GET /api/v1/reports/claims-per-month': 'Claims opened per month, empty months included.',
  'GET /api/v1/reports/open-cases': 'Open claims by state, in lifecycle order.',
  'GET /api/v1/reports/warranty-cost':
    'Cost of warranty per currency: who absorbed which kind of cost, in minor units.',
  'GET /api/v1/reports/decision-mix':
    'Covered against not covered, bases and the most frequent exclusions of the latest decisions.',
}

/** Request body examples, by `METHOD /path`. */
export const BODY_EXAMPLES: Record<string, unknown> = {
  'POST /api/v1/auth/sign-in': { email: 'support@example.com', password: 'correct horse battery staple' },
  'POST /api/v1/auth/link': { email: 'li.wei@example.com', locale: 'zh', next: '/my' },
  'POST /api/v1/auth/link/consume': { token: 'sl_3f9a1c…' },
  'PUT /api/v1/me/mail-preferences': { 'quote-reminders': false },
  'POST /api/v1/users': {
    email: 'technician@example.com',
    name: 'Zhang Min',
    role: 'technician',
    password: 'a long pass phrase',
  },
  'POST /api/v1/api-keys': { name: 'ERP connector', scope: 'full' },
  'POST /api/v1/units': {
    serial: 'PO585C0042',
    model: 'Ares-C PRO',
    purchasedOn: '2025-03-02',
    channel: 'dealer',
    dealerOrgId: 'org-starlight',
    shippedBy: 'dealer',
    deliveredOn: '2025-03-05',
    ownerEmail: 'li.wei@example.com',
    ownerLocale: 'zh',
  },
  'POST /api/v1/units/{serial}/offer-answer': { accept: true },
  'POST /api/v1/units/{serial}/purchase-proof/accept': { fileId: '0b9d2f4e-5c1a-4e8b-9a37-6f2d1c8e4b10' },
  'POST /api/v1/units/{serial}/purchase-proof/refuse': {
    fileId: '0b9d2f4e-5c1a-4e8b-9a37-6f2d1c8e4b10',
    reason: 'The invoice names serial PO585C0001, not this unit.',
  },
  'POST /api/v1/units/{serial}/transfers': {
    toEmail: 'new.owner@example.com',
    toName: 'Chen Jie',
    transferredOn: '2026-01-15',
  },
  'POST /api/v1/organisations': {
    kind: 'dealer',
    name: 'Starlight Optics',
    country: 'DE',
    email: 'service@starlight.example',
    serviceAddress: { line1: 'Sternwartenstraße 12', city: 'München', postcode: '80331', country: 'DE' },
  },
  'POST /api/v1/decisions': {
    policy: 'player-one',
    claimedOn: '2025-06-01',
    product: { part: 'host', category: 'camera' },
    purchase: {
      channel: 'direct',
      shippedBy: 'vendor',
      purchasedOn: '2025-01-02',
      deliveredOn: '2025-01-08',
    },
    problem: { kind: 'malfunction' },
    preference: 'repair',
    evidence: ['defect-media'],
  },
  'POST /api/v1/policies/validate': { yaml: 'id: my-policy\nversion: "1"\ntitle: My warranty\n…' },
  'POST /api/v1/policies/simulate': {
    policyId: 'player-one',
    yaml: 'id: player-one\nversion: "2"\n…',
    from: '2025-01-01',
    to: '2025-12-31',
    limit: 500,
  },
  'POST /api/v1/claims': {
    serial: 'PO585C0042',
    problem: {
      kind: 'malfunction',
      description: 'The camera is not detected over USB after an hour of cooling.',
    },
    preference: 'repair',
    evidence: ['defect-media'],
    files: ['f-8d2e…'],
  },
  'PUT /api/v1/calendars/{id}': {
    name: 'Shenzhen office',
    timeZone: 'Asia/Shanghai',
    workingDays: [1, 2, 3, 4, 5],
    workingHours: [{ from: '09:00', to: '18:00' }],
    holidays: ['2026-10-01'],
    makeUpWorkingDays: ['2026-09-27'],
  },
  'POST /api/v1/webhooks': {
    url: 'https://erp.example.com/hooks/aftercare',
    eventTypes: ['claim.opened', 'decision.made'],
  },
  'POST /api/v1/setup': {
    seller: 'Northstar Online Store',
    adminEmail: 'owner@northstar.example',
    adminName: 'Wang Fang',
    password: 'a long pass phrase',
    policy: 'retailer',
    country: 'CN',
    email: 'service@northstar.example',
    address: {
      line1: '88 Keyuan Road',
      city: 'Shenzhen',
      postcode: '518057',
      region: 'Guangdong',
      country: 'CN',
    },
  },
  'POST /api/v1/me/addresses': ADDRESS_EXAMPLE,
  'PUT /api/v1/me/addresses/{id}': ADDRESS_EXAMPLE,
  'PUT /api/v1/claims/{id}/return-address': { address: ADDRESS_EXAMPLE },
}

/** Example bodies of the lifecycle actions, by action. */
export const TRANSITION_EXAMPLES: Record<string, unknown> = {
  'start-diagnosis': { note: 'Asked the customer to try another USB port.' },
  'record-selfcheck': {
    checklist: 'player-one-cooled-camera',
    results: [
      { checkId: 'usb3-link', passed: false },
      { checkId: 'power-12v', passed: true },
    ],
  },
  'decide-provisional': { note: 'Proof of purchase added.' },
  'request-info': { request: 'Please send a photo of the serial label on the back of the camera.' },
  'provide-info': { answer: 'Photo attached.', evidence: ['serial-photo'] },
  'resolve-remotely': { fix: 'software-upgrade', note: 'Driver 3.2 fixes the detection problem.' },
  'authorize-return': { note: 'Pack the camera in its original box.' },
  'readdress-return': { note: 'Our Ningbo service centre moved to Hangzhou.' },
  'schedule-pickup': { pickupOn: '2026-03-04', window: '09:00–12:00', carrier: 'SF Express' },
  'receive-unit': { receivedOn: '2026-03-05', note: 'Parcel slightly dented.' },
  'record-inspection': {
    serialSeen: 'PO585C0042',
    sealsIntact: true,
    packaging: 'good',
    contentsReceived: ['Camera body', 'USB 3.0 cable'],
    findings: [],
    faultConfirmed: true,
    manufacturingDefect: true,
  },
  'make-decision': { note: 'Sensor board failure confirmed.' },
  'send-quote': {
    lines: [
      { kind: 'parts', description: 'Main board', quantity: 1, unitPriceMinor: 12000 },
      { kind: 'labour', description: 'Bench labour (hours)', quantity: 2, unitPriceMinor: 2550 },
    ],
    validDays: 30,
  },
  'accept-quote': { quoteId: 'q-5b1e…' },
  'decline-quote': { quoteId: 'q-5b1e…', note: 'Too expensive; please send it back.' },
  'record-payment': {
    amountMinor: 17100,
    reference: 'Bank transfer 2026-03-10',
    paidOn: '2026-03-10',
    proofFileId: 'f-7d2c',
    note: 'Matches the bank slip the customer sent',
  },
  'submit-payment-proof': { fileIds: ['f-7d2c'] },
  'start-repair': { note: 'Parts in stock.' },
  'complete-repair': {
    lines: [{ kind: 'parts', description: 'Main board', quantity: 1, unitPriceMinor: 12000 }],
    note: 'Replaced the main board; tested 4 h at −20 °C.',
  },
  'issue-replacement': { newSerial: 'PO585C0977' },
  'issue-refund': { amountMinor: 89900, reference: 'Refund to original payment' },
  'forward-to-maker': { carrier: 'DHL', trackingNumber: 'JD0002', note: "To the maker's service centre." },
  'return-from-maker': { note: 'Back with a new sensor.' },
  'ship-return': { carrier: 'SF Express', trackingNumber: 'SF1234567890' },
  'confirm-receipt': { note: 'Works again, thank you.' },
  close: { outcome: 'completed' },
  'accept-purchase-proof': {
    fileId: 'f-3a9e',
    nameOwner: true,
    note: 'Invoice of Starlight Optics, serial matches.',
  },
  'refuse-purchase-proof': { fileId: 'f-3a9e', reason: 'The invoice names another serial number.' },
  cancel: { reason: 'The customer found the unit was working after a driver update.' },
}

const TRANSITION_PATH = /^\/api\/v1\/claims\/\{id\}\/transitions\/([a-z-]+)$/

/** The description of a lifecycle action's route, from its row of the transition table. */
export function transitionDescription(action: string): string | undefined {
  const rule = CLAIM_TRANSITIONS.find((r) => r.action === action)
  if (!rule) return undefined
  return [
    `Lifecycle action \`${rule.action}\`: appends the event \`${rule.event}\`.`,
    `From: ${rule.from.map((s) => `\`${s}\``).join(', ')}. To: ${targetOf(rule.to)}.`,
    `Who may take it: ${whoTakes(rule)}.`,
    ...(rule.action === 'close' ? [closeOutcomeWords(rule.from)] : []),
    "Send `If-Match` with the claim's version; answers the claim with its new `ETag`. A refusal answers 409 with the reason and the actions allowed now.",
  ].join(' ')
}

/** Which `outcome` fits which state a claim is closed from, as the lifecycle decides it. */
function closeOutcomeWords(from: readonly string[]): string {
  const fits = from.flatMap((state) => {
    const outcomes = closeOutcomesFrom(state)
    return outcomes ? [`from \`${state}\`: ${outcomes.map((o) => `\`${o}\``).join(' or ')}`] : []
  })
  return `The \`outcome\` must fit the state closed from (${fits.join('; ')}).`
}

/** Bodies that are not JSON (uploads, raw mail), which the route schemas cannot declare. */
const OTHER_BODIES: Record<string, { type: string; schema: Json; example: unknown; description: string }> = {
  'POST /api/v1/imports/units': {
    type: 'multipart/form-data',
    description: 'One part: the CSV file in the field `file`.',
    schema: {
      type: 'object',
      properties: {
        file: { type: 'string', format: 'binary', description: 'The CSV file, UTF-8, with a header row.' },
      },
      required: ['file'],
    },
    example: {
      file: 'serial,model,purchasedOn,channel,dealer\nPO585C0042,Ares-C PRO,2025-03-02,dealer,Starlight Optics\n',
    },
  },
  'POST /api/v1/imports/claims': {
    type: 'multipart/form-data',
    description: 'One part: the CSV file of past claims in the field `file`.',
    schema: {
      type: 'object',
      properties: {
        file: { type: 'string', format: 'binary', description: 'The CSV file, UTF-8, with a header row.' },
      },
      required: ['file'],
    },
    example: {
      file: 'serial,claimedOn,problemKind,faultConfirmed,remedy,partsCost,partsCostPayer,currency,exclusion\nPO585C0042,2025-09-14,malfunction,true,repair,120.00,vendor,USD,\nPO585C0043,2025-10-02,malfunction,true,paid-repair,80.00,customer,USD,liquid-damage\n',
    },
  },
  'POST /api/v1/imports/models': {
    type: 'multipart/form-data',
    description: 'One part: the catalogue CSV file in the field `file`.',
    schema: {
      type: 'object',
      properties: {
        file: { type: 'string', format: 'binary', description: 'The CSV file, UTF-8, with a header row.' },
      },
      required: ['file'],
    },
    example: {
      file: 'model,category,policy,aliases,standardPackage\nAres-C PRO,camera,player-one,Ares C Pro|AresC,Camera body|USB 3.0 cable\n',
    },
  },
  'POST /api/v1/claims/{id}/files': {
    type: 'multipart/form-data',
    description: 'A `kind` field first, then one or more file parts.',
    schema: {
      type: 'object',
      properties: {
        kind: {
          type: 'string',
          description: 'What the files show, e.g. `defect-media`, `proof-of-purchase`.',
        },
        files: {
          type: 'array',
          items: { type: 'string', format: 'binary' },
          description: 'One or more files.',
        },
      },
      required: ['kind', 'files'],
    },
    example: { kind: 'defect-media', files: ['not-detected.mp4'] },
  },
  'POST /api/v1/files': {
    type: 'multipart/form-data',
    description: 'A `kind` field first, then one or more file parts.',
    schema: {
      type: 'object',
      properties: {
        kind: { type: 'string', description: 'What the files show; `proof-of-purchase` when left out.' },
        files: {
          type: 'array',
          items: { type: 'string', format: 'binary' },
          description: 'One or more files.',
        },
      },
      required: ['files'],
    },
    example: { kind: 'proof-of-purchase', files: ['invoice-2025-03-02.pdf'] },
  },
  'POST /api/v1/inbound-mail': {
    type: 'message/rfc822',
    description: 'The raw e-mail message as received by the relay.',
    schema: { type: 'string', format: 'binary' },
    example:
      'From: Li Wei <li.wei@example.com>\r\nTo: claim+c-42.3f9a@reply.example.com\r\nSubject: Re: Claim C-2026-0042\r\nMessage-ID: <a1@example.com>\r\n\r\nPhoto of the label attached.\r\n',
  },
}

const WEBHOOK_EXAMPLE = {
  id: '0b6f2c1e-4d7a-4c59-9a57-3f3f2d1c9e10',
  type: 'decision.made',
  createdAt: '2026-03-06T10:15:00.000Z',
  claimId: 'c-42',
  claimPage: '/claims/c-42',
  data: { claimNumber: 'C-2026-0042', state: 'decided', serial: 'PO585C0042' },
}

const WEBHOOK_SCHEMA = {
  type: 'object',
  description: 'One claim event as delivered to a subscribed URL, signed in `Aftercare-Signature`.',
  required: ['id', 'type', 'createdAt', 'claimId', 'claimPage', 'data'],
  properties: {
    id: {
      type: 'string',
      description: 'The event id; the same on every retry, so a receiver can drop repeats.',
    },
    type: {
      type: 'string',
      description: 'The claim event type, e.g. `claim.opened`, `decision.made`, `return.shipped`.',
    },
    createdAt: { type: 'string', format: 'date-time', description: 'When the event was recorded (UTC).' },
    claimId: { type: ['string', 'null'], description: 'The claim the event belongs to.' },
    claimPage: {
      type: ['string', 'null'],
      description: "The claim's page for people, as a path on the service's public URL.",
    },
    data: {
      type: 'object',
      description:
        "The event's facts: always `claimNumber`, `state` (after the event) and `serial`; more by type.",
      additionalProperties: true,
    },
  },
  examples: [WEBHOOK_EXAMPLE],
}

type Json = Record<string, unknown>
type Operation = {
  description?: string
  summary?: string
  requestBody?: { content: Record<string, Json> }
}

const hasExample = (media: Json, doc: Json): boolean => {
  if (media.example !== undefined || media.examples !== undefined) return true
  const schema = resolve(media.schema as Json | undefined, doc)
  return schema?.examples !== undefined || schema?.example !== undefined
}

function resolve(schema: Json | undefined, doc: Json): Json | undefined {
  const ref = schema?.$ref
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema
  let node: unknown = doc
  for (const part of ref.slice(2).split('/')) node = (node as Json | undefined)?.[part]
  return node as Json | undefined
}

/**
 * The schema transform writes an input twin (`ClaimInput`) of every named schema, whether a
 * request uses it or not; a reader should find only what the operations refer to.
 */
function dropUnusedInputSchemas(doc: Json, schemas: Record<string, Json>): void {
  const refsIn = (node: unknown): string[] =>
    (JSON.stringify(node).match(/"#\/components\/schemas\/[^"]+"/g) ?? []).map((ref) =>
      ref.slice('"#/components/schemas/'.length, -1),
    )
  const used = new Set(refsIn({ paths: doc.paths, webhooks: doc.webhooks }))
  // A Set visits what is added while it is iterated: named schemas referring to others.
  for (const name of used) for (const inner of refsIn(schemas[name])) used.add(inner)
  for (const name of Object.keys(schemas)) if (name.endsWith('Input') && !used.has(name)) delete schemas[name]
}

/** Whether a request body of the document carries an example (in the media type or its schema). */
export const requestBodyHasExample = (body: { content: Record<string, Json> }, doc: Json): boolean =>
  Object.values(body.content).every((media) => hasExample(media, doc))

/**
 * Completes the generated document: descriptions and examples from the tables above, a
 * request body for multipart uploads, the webhook payload. Leaves alone what routes say themselves.
 */
export function completeOpenApi<T extends Json>(doc: T): T {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const key = `${method.toUpperCase()} ${path}`
      const action = TRANSITION_PATH.exec(path)?.[1]
      if (!operation.description) {
        const description = action ? transitionDescription(action) : OPERATION_DESCRIPTIONS[key]
        if (description) operation.description = description
      }
      const other = OTHER_BODIES[key]
      if (other && !operation.requestBody?.content[other.type]) {
        operation.requestBody = {
          ...(operation.requestBody ?? {}),
          content: {
            ...(operation.requestBody?.content ?? {}),
            [other.type]: {
              schema: { ...other.schema, description: other.description },
              example: other.example,
            },
          },
        }
      }
      const example = action ? TRANSITION_EXAMPLES[action] : BODY_EXAMPLES[key]
      if (operation.requestBody && example !== undefined) {
        for (const media of Object.values(operation.requestBody.content))
          if (!hasExample(media, doc)) media.example = example
      }
    }
  }
  const components = (doc.components ?? {}) as Json
  const schemas = (components.schemas ?? {}) as Record<string, Json>
  schemas.WebhookEvent = WEBHOOK_SCHEMA
  dropUnusedInputSchemas(doc, schemas)
  describeFields(schemas)
  components.schemas = schemas
  ;(doc as Json).components = components
  ;(doc as Json).webhooks = {
    claimEvent: {
      post: {
        summary: 'A claim event, delivered to each subscribed URL',
        description:
          'Sent for every event type the subscription names (`*` for all). Verify `Aftercare-Signature` before trusting the body; answer 2xx, or the delivery is retried with backoff.',
        requestBody: {
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/WebhookEvent' },
              example: WEBHOOK_EXAMPLE,
            },
          },
        },
        responses: { '200': { description: 'Received; no retry.' } },
      },
    },
  }
  return doc
}
