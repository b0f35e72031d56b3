/**
 * Every API path the app calls, in one place, so a route that moves is changed once.
 * Paths follow the feature routes in src/<feature>/<feature>.routes.ts.
 */
const V1 = '/api/v1'
const enc = encodeURIComponent

export const AUTH = {
  session: `${V1}/auth/me`,
  signIn: `${V1}/auth/sign-in`,
  signOut: `${V1}/auth/sign-out`,
  requestLink: `${V1}/auth/link`,
  consumeLink: `${V1}/auth/link/consume`,
}

export const REGISTRY = {
  warranty: (serial: string) => `${V1}/units/${enc(serial)}/warranty`,
  units: `${V1}/units`,
  unit: (serial: string) => `${V1}/units/${enc(serial)}`,
  unitOffers: `${V1}/me/unit-offers`,
  answerUnitOffer: (serial: string) => `${V1}/units/${enc(serial)}/offer-answer`,
  transfers: (serial: string) => `${V1}/units/${enc(serial)}/transfers`,
  pendingTransfer: (serial: string) => `${V1}/units/${enc(serial)}/transfers/pending`,
  /** Sales a buyer says a dealer made, waiting for the dealer's word. */
  saleConfirmations: `${V1}/dealer-desk/sale-confirmations`,
  /** Every dealer's waiting sales, for the seller's staff (`dealer` narrows it). */
  pendingSales: `${V1}/pending-dealer-sales`,
  answerSale: (serial: string, answer: 'confirm' | 'refuse') =>
    `${V1}/dealer-desk/sale-confirmations/${enc(serial)}/${answer}`,
  /** Proofs of purchase customers filed with their own registrations, waiting for staff. */
  unitProofs: `${V1}/unit-proofs`,
  weighUnitProof: (serial: string, verdict: 'accept' | 'refuse') =>
    `${V1}/units/${enc(serial)}/purchase-proof/${verdict}`,
  models: `${V1}/models`,
  model: (id: string) => `${V1}/models/${enc(id)}`,
  files: `${V1}/files`,
  customers: `${V1}/customers`,
  customer: (id: string) => `${V1}/customers/${enc(id)}`,
  organisations: `${V1}/organisations`,
  /** Deactivate or reactivate an organisation (managers, admins). */
  organisationActive: (id: string, action: 'deactivate' | 'reactivate') =>
    `${V1}/organisations/${enc(id)}/${action}`,
  importUnits: `${V1}/imports/units`,
  /** Start an import job of this kind (`models`, `units`). */
  importOf: (kind: 'models' | 'units') => `${V1}/imports/${kind}`,
  importJob: (id: string) => `${V1}/imports/${enc(id)}`,
}

export const PROFILE = {
  me: `${V1}/me/profile`,
  /** A staff or dealer user's e-mail language (customers keep theirs on the profile). */
  language: `${V1}/me/language`,
  /** Which optional e-mails (reminders, alerts) the signed-in person receives. */
  mailPreferences: `${V1}/me/mail-preferences`,
  /** Stops one kind of optional e-mail by the signed token its link carried; no sign-in. */
  unsubscribe: (token: string) => `${V1}/mail/unsubscribe?token=${enc(token)}`,
  addresses: `${V1}/me/addresses`,
  address: (id: string) => `${V1}/me/addresses/${enc(id)}`,
}

export const POLICIES = {
  list: `${V1}/policies`,
  one: (id: string) => `${V1}/policies/${enc(id)}`,
  validate: `${V1}/policies/validate`,
  decide: `${V1}/decisions`,
}

/** `url` (a path or a whole address the server gave) with `query` added to any query it has. */
export function withQuery(url: string, query: Record<string, string>): string {
  return `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(query)}`
}

export const CLAIMS = {
  list: `${V1}/claims`,
  /** Open claims by their nearest clock, as staff and the serving dealer work them. */
  queue: `${V1}/claim-queue`,
  one: (id: string) => `${V1}/claims/${enc(id)}`,
  events: (id: string) => `${V1}/claims/${enc(id)}/events`,
  /** One lifecycle action (`accept-quote`, `ship-return`, … from the claims state machine). */
  action: (id: string, action: string) => `${V1}/claims/${enc(id)}/transitions/${enc(action)}`,
  quotes: (id: string) => `${V1}/claims/${enc(id)}/quotes`,
  /** Every priced cost of the claim and who pays it, as far as the reader may see (what recovery lines cite). */
  costLines: (id: string) => `${V1}/claims/${enc(id)}/cost-lines`,
  clocks: (id: string) => `${V1}/claims/${enc(id)}/clocks`,
  files: (id: string) => `${V1}/claims/${enc(id)}/files`,
  repairOrder: (id: string) => `${V1}/claims/${enc(id)}/repair-order.pdf`,
  /** The return address and the ship-to address, in full. */
  addresses: (id: string) => `${V1}/claims/${enc(id)}/addresses`,
  returnAddress: (id: string) => `${V1}/claims/${enc(id)}/return-address`,
  /** How to pay the latest quote, the proofs sent and the payments recorded. */
  payment: (id: string) => `${V1}/claims/${enc(id)}/payment`,
  selfChecks: (productLine: string) => `${V1}/self-checks/${enc(productLine)}`,
}

export const SLA = {
  queue: `${V1}/queues/sla`,
}

export const REPORTS = {
  openCases: `${V1}/reports/open-cases`,
  slaCompliance: `${V1}/reports/sla`,
  claimRates: `${V1}/reports/claim-rates`,
  claimsPerMonth: `${V1}/reports/claims-per-month`,
  failureModes: `${V1}/reports/failure-modes`,
  warrantyCost: `${V1}/reports/warranty-cost`,
  reliabilityWarnings: `${V1}/reports/reliability/warnings`,
}
