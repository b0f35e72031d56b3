import type { PartyName } from './security-world.ts'

/**
 * The expected answer of every operation for every party. The targets of all paths are
 * owned by customer A, on a unit sold by dealer 1 (see `openSecurityWorld`), so customer
 * B and dealer 2 are the outsiders.
 *
 * - `ok`: a 2xx answer.
 * - `reach`: the party gets past the access check: anything but 401, 403 and 5xx (a 400
 *   for a sample body, a 404 for a made-up id, a 409 for the claim's state are fine).
 * - `deny`: 401, 403 or 404, never a success.
 * - `any`: anything but 5xx (an open route, or one whose answer depends on the state).
 *
 * A route added to the API without an entry here fails the suite by name: add one line.
 */
export type Expect = 'ok' | 'reach' | 'deny' | 'any'
export type Rule = (party: PartyName) => Expect

const ROLE_OF: Record<PartyName, string> = {
  anonymous: 'anonymous',
  customerA: 'customer',
  customerB: 'customer',
  dealer1: 'dealer',
  dealer2: 'dealer',
  support: 'support',
  technician: 'technician',
  manager: 'manager',
  admin: 'admin',
  integration: 'integration',
  readOnlyKey: 'integration',
  orgKey1: 'dealer',
  orgKey2: 'dealer',
}
const STAFF = ['support', 'technician', 'manager', 'admin']
const OUTSIDERS: PartyName[] = ['anonymous', 'customerB', 'dealer2', 'orgKey2']

/** Anyone, signed in or not. */
const open: Rule = () => 'any'
/** Anyone signed in reaches it; what they see is scoped by the operation. */
const signedIn: Rule = (p) => (p === 'anonymous' ? 'deny' : 'reach')
/** Anonymous is refused; signed-in parties get an answer scoped by the operation (never a 5xx). */
const signedInAny: Rule = (p) => (p === 'anonymous' ? 'deny' : 'any')
/** Only these roles. */
const roles =
  (...allowed: string[]): Rule =>
  (p) =>
    allowed.includes(ROLE_OF[p]) ? 'reach' : 'deny'
const staffOnly = roles(...STAFF)
/**
 * Weighing a customer's proof of purchase is front-office work: support, managers and admins,
 * never a bench technician (`PROOF_WEIGHER_ROLES`).
 */
const PROOF_WEIGHERS = ['support', 'manager', 'admin']
const proofWeighers = roles(...PROOF_WEIGHERS)
/** Reads of the target claim (or unit, or customer): its parties succeed, outsiders see nothing. */
const partyRead =
  (expect: Expect = 'ok'): Rule =>
  (p) =>
    OUTSIDERS.includes(p) ? 'deny' : expect
/** Actions on the target: outsiders are refused; the parties' answers depend on role and state. */
const partyAction: Rule = (p) => (OUTSIDERS.includes(p) ? 'deny' : 'any')

export const ACCESS_MATRIX: Record<string, Rule> = {
  'POST /api/v1/auth/sign-in': open,
  'POST /api/v1/auth/sign-out': open,
  'GET /api/v1/auth/me': signedIn,
  // A signed-in person only: parties of the matrix may be API keys, refused with 403.
  'PUT /api/v1/me/language': signedInAny,
  // A signed-in person's own choices; API keys are refused with 403.
  'GET /api/v1/me/mail-preferences': signedInAny,
  'PUT /api/v1/me/mail-preferences': signedInAny,
  // The signed token is the credential: anyone may try one, a made-up one answers 400.
  'POST /api/v1/mail/unsubscribe': open,
  'GET /api/v1/auth/csrf': (p) => (p === 'anonymous' ? 'deny' : 'any'),
  'POST /api/v1/auth/link': open,
  'POST /api/v1/auth/link/consume': open,
  'POST /api/v1/users': roles('admin'),
  'GET /api/v1/users': roles('admin'),
  'POST /api/v1/api-keys': roles('admin', 'manager'),
  'GET /api/v1/api-keys': roles('admin', 'manager'),
  'DELETE /api/v1/api-keys/{id}': roles('admin', 'manager'),
  'POST /api/v1/imports/units': roles('manager', 'admin'),
  'POST /api/v1/imports/claims': roles('manager', 'admin'),
  'POST /api/v1/imports/models': roles('manager', 'admin'),
  'GET /api/v1/imports/{id}': roles('manager', 'admin'),
  'GET /api/v1/units/{serial}/warranty': open,
  'GET /api/v1/units': signedIn,
  'POST /api/v1/units': signedIn,
  'GET /api/v1/units/{serial}': partyRead(),
  'POST /api/v1/units/{serial}/transfers': partyAction,
  'DELETE /api/v1/units/{serial}/transfers/pending': partyAction,
  'GET /api/v1/models': open,
  'GET /api/v1/models/{id}': open,
  'GET /api/v1/organisations': open,
  'POST /api/v1/organisations': roles('manager', 'admin'),
  'POST /api/v1/organisations/{id}/deactivate': roles('manager', 'admin'),
  'POST /api/v1/organisations/{id}/reactivate': roles('manager', 'admin'),
  'GET /api/v1/customers': signedIn,
  'GET /api/v1/customers/{id}': (p) =>
    OUTSIDERS.includes(p) ? 'deny' : p === 'dealer1' || p === 'orgKey1' ? 'any' : 'reach',
  'POST /api/v1/decisions': open,
  'GET /api/v1/policies': open,
  'GET /api/v1/policies/{id}': open,
  'POST /api/v1/policies/validate': open,
  'POST /api/v1/claims': signedIn,
  'GET /api/v1/claims': signedIn,
  'GET /api/v1/claims/{id}': partyRead(),
  'GET /api/v1/claims/{id}/events': partyRead(),
  'GET /api/v1/claims/{id}/quotes': partyRead(),
  'GET /api/v1/claims/{id}/cost-lines': partyRead(),
  'GET /api/v1/claims/{id}/messages': partyRead(),
  'POST /api/v1/claims/{id}/messages': partyAction,
  'POST /api/v1/claims/{id}/transitions/*': partyAction,
  'GET /api/v1/claims/{id}/repair-order.pdf': partyRead('reach'),
  'GET /api/v1/claims/{id}/quotes/{quoteId}.pdf': partyRead('reach'),
  'GET /api/v1/self-checks/{key}': open,
  'POST /api/v1/claims/{id}/files': partyAction,
  'GET /api/v1/claims/{id}/files': partyRead(),
  'POST /api/v1/files': roles('customer', 'dealer', ...STAFF),
  'GET /api/v1/files/{id}': partyRead(),
  'GET /api/v1/queues/sla': staffOnly,
  'GET /api/v1/claims/{id}/clocks': partyRead('reach'),
  'GET /api/v1/calendars': signedIn,
  'GET /api/v1/calendars/{id}': signedIn,
  'PUT /api/v1/calendars/{id}': roles('admin', 'manager'),
  'GET /api/v1/reports/sla': staffOnly,
  'POST /api/v1/webhooks': roles('admin'),
  'GET /api/v1/webhooks': roles('admin'),
  'DELETE /api/v1/webhooks/{id}': roles('admin'),
  'GET /api/v1/outbox': roles('admin'),
  'GET /api/v1/reports/claim-rates': staffOnly,
  'GET /api/v1/reports/failure-modes': staffOnly,
  'GET /api/v1/reports/claims-per-month': staffOnly,
  'GET /api/v1/reports/open-cases': staffOnly,
  'GET /api/v1/reports/warranty-cost': staffOnly,
  'GET /api/v1/reports/decision-mix': staffOnly,
  'POST /api/v1/policies/simulate': roles('manager', 'admin'),
  // Reliability: staff only.
  'GET /api/v1/reports/reliability': staffOnly,
  'GET /api/v1/reports/reliability/warnings': staffOnly,
  // Recovery ledger: organisation users and staff; each sees only its own organisation's
  // recovery claims (asserted row by row in test/recoveries/recovery-flow.test.ts).
  'GET /api/v1/recoveries': signedInAny,
  'GET /api/v1/recoveries/summary': signedInAny,
  'GET /api/v1/recoveries/outcomes/{claimId}': signedInAny,
  'GET /api/v1/recoveries/{id}': signedInAny,
  'GET /api/v1/recoveries/{id}/events': signedInAny,
  'GET /api/v1/recoveries/{id}/statement.pdf': signedInAny,
  'GET /api/v1/recoveries/{id}/statement.csv': signedInAny,
  'POST /api/v1/recoveries/derive': staffOnly,
  'POST /api/v1/recoveries/{id}/*': signedInAny,
  // First day: set-up answers anyone until the installation is set up, then refuses.
  'GET /api/v1/setup': open,
  'POST /api/v1/setup': open,
  'GET /api/v1/settings': roles('admin', 'manager'),
  'PATCH /api/v1/settings': roles('admin'),
  // A customer's own profile and addresses; nobody else has one.
  'GET /api/v1/me/profile': roles('customer'),
  'PATCH /api/v1/me/profile': roles('customer'),
  'GET /api/v1/me/addresses': roles('customer'),
  'POST /api/v1/me/addresses': roles('customer'),
  'PUT /api/v1/me/addresses/{id}': roles('customer'),
  'DELETE /api/v1/me/addresses/{id}': roles('customer'),
  'GET /api/v1/claims/{id}/addresses': partyRead('reach'),
  // Dealer 1 handles the target (seed 004 serves through the dealer); a dealer that only sold
  // the unit is refused (403) its payment, judged party by party in test/claims/quote-payment.test.ts.
  'GET /api/v1/claims/{id}/payment': partyRead('reach'),
  'PUT /api/v1/claims/{id}/return-address': partyAction,
  // The work queue and assignment are staff tools; a claim's assignee is hidden from its other parties.
  // Scoped like the claims list: each party finds only the claims it may see.
  'GET /api/v1/claim-queue': signedIn,
  'GET /api/v1/claims/{id}/assignment': staffOnly,
  'POST /api/v1/claims/{id}/assignment': staffOnly,
  'GET /api/v1/claim-assignees': staffOnly,
  'GET /api/v1/self-checks': open,
  'GET /api/v1/dealer-desk/units': roles('dealer', ...STAFF),
  'GET /api/v1/dealer-desk/sale-confirmations': roles('dealer', ...STAFF),
  'GET /api/v1/pending-dealer-sales': staffOnly,
  'POST /api/v1/dealer-desk/sale-confirmations/{serial}/confirm': roles('dealer', ...STAFF),
  'POST /api/v1/dealer-desk/sale-confirmations/{serial}/refuse': roles('dealer', ...STAFF),
  'GET /api/v1/me/unit-offers': roles('customer'),
  // The queue of proofs customers filed with their own registrations, and its two answers.
  'GET /api/v1/unit-proofs': proofWeighers,
  'POST /api/v1/units/{serial}/purchase-proof/accept': proofWeighers,
  'POST /api/v1/units/{serial}/purchase-proof/refuse': proofWeighers,
  // Only the customer a unit is offered to, and the matrix's target unit is offered to nobody.
  'POST /api/v1/units/{serial}/offer-answer': () => 'deny',
  // Only a mail relay holding the operator's token; no party of the matrix has it.
  'POST /api/v1/inbound-mail': () => 'deny',
}

/**
 * The claim steps only some staff roles take, by role, on a claim where the step is open:
 * weighing a proof of purchase is the front office's, never the bench technician's. A stale
 * If-Match is answered before who the caller is, so the matrix above cannot judge these; a
 * step the lifecycle narrows to some roles without a line here fails the suite by name.
 */
export const STAFF_ROLE_STEPS: Record<
  string,
  Record<'support' | 'technician' | 'manager' | 'admin', Expect>
> = {
  'accept-purchase-proof': { support: 'reach', technician: 'deny', manager: 'reach', admin: 'reach' },
  'refuse-purchase-proof': { support: 'reach', technician: 'deny', manager: 'reach', admin: 'reach' },
}

/**
 * Every claim step as the dealer that sold the unit, on a claim the decision sends to the
 * seller (not to the dealer): it sees the claim and may add what it knows (`any`), but every
 * step of the handler's or of the customer's is refused whatever the claim's state (`deny`).
 * A step added to the lifecycle without a line here fails the suite by name.
 */
export const NON_HANDLER_DEALER_STEPS: Record<string, Expect> = {
  'start-diagnosis': 'deny',
  'record-selfcheck': 'any',
  'decide-provisional': 'any',
  'request-info': 'deny',
  'provide-info': 'any',
  'resolve-remotely': 'deny',
  'authorize-return': 'deny',
  'readdress-return': 'deny',
  'schedule-pickup': 'deny',
  'receive-unit': 'deny',
  'record-inspection': 'deny',
  'make-decision': 'deny',
  'send-quote': 'deny',
  'accept-quote': 'deny',
  'decline-quote': 'deny',
  'record-payment': 'deny',
  'submit-payment-proof': 'deny',
  'start-repair': 'deny',
  'complete-repair': 'deny',
  'issue-replacement': 'deny',
  'issue-refund': 'deny',
  'forward-to-maker': 'deny',
  'return-from-maker': 'deny',
  'ship-return': 'deny',
  'confirm-receipt': 'deny',
  close: 'deny',
  'accept-purchase-proof': 'deny',
  'refuse-purchase-proof': 'deny',
  cancel: 'deny',
}

/** The rule for an operation: its own line, or a `*` line covering a family (claim transitions). */
export function ruleFor(key: string): Rule | undefined {
  if (ACCESS_MATRIX[key]) return ACCESS_MATRIX[key]
  for (const [pattern, rule] of Object.entries(ACCESS_MATRIX)) {
    if (pattern.endsWith('/*') && key.startsWith(pattern.slice(0, -1))) return rule
  }
  return undefined
}

/**
 * What the party should get. A read-only API key is refused every change whatever its
 * user may do; everything else follows the operation's rule.
 */
export function expectedFor(rule: Rule, party: PartyName, method: string): Expect {
  if (party === 'readOnlyKey' && method !== 'GET' && method !== 'HEAD') return 'deny'
  return rule(party)
}

export function meets(expect: Expect, status: number): boolean {
  if (status >= 500) return false
  if (expect === 'ok') return status >= 200 && status < 300
  if (expect === 'reach') return status !== 401 && status !== 403
  if (expect === 'deny') return status === 401 || status === 403 || status === 404
  return true
}
