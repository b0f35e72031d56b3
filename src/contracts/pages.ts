/**
 * Paths of the web app's pages: the one place where the web router and everything the
 * server hands out (e-mails, PDFs, the repair order's QR code, webhook payloads) agree on
 * where a page lives. Pure: no imports, so both the server and the web bundle use it.
 *
 * A link that leaves the service (an e-mail, a printed QR code) must not know who will
 * follow it, so it points at the role-neutral `claim` page. The web app sends a signed-out
 * reader to sign in and back, then on to the page of the reader's own role.
 */

const enc = encodeURIComponent

/** Parts of the claim page a link may point at (an element id on the page). */
export const CLAIM_SECTIONS = ['quote', 'repair-order', 'messages'] as const
export type ClaimSection = (typeof CLAIM_SECTIONS)[number]

/** Who reads the page; every role not named here works in the staff console. */
export type PageReader =
  | 'customer'
  | 'dealer'
  | 'support'
  | 'technician'
  | 'manager'
  | 'admin'
  | 'integration'

/** Route patterns, in the router's syntax (`:id`), absolute from the site root. */
export const PAGE_ROUTES = {
  home: '/',
  signIn: '/sign-in',
  signInLink: '/sign-in/link',
  /** The role-neutral entry every outside link uses. */
  claimLink: '/claims/:id',
  customerHome: '/my',
  customerClaim: '/my/claims/:id',
  dealerHome: '/dealer',
  dealerClaim: '/dealer/claims/:id',
  staffHome: '/staff',
  staffClaim: '/staff/claims/:id',
  staffReliability: '/staff/reliability',
  /** Where the link in optional mail stops it, signed in or not. */
  unsubscribe: '/unsubscribe',
} as const

const withSection = (path: string, section: ClaimSection | undefined) =>
  section ? `${path}#${section}` : path

export const pages = {
  /** The link for anyone, whatever their role: e-mails, PDFs, QR codes and webhooks use it. */
  claim: (claimId: string, section?: ClaimSection) => withSection(`/claims/${enc(claimId)}`, section),
  /** The claim page a reader of this role works on. */
  claimFor: (reader: PageReader, claimId: string, section?: ClaimSection) =>
    withSection(`${homeFor(reader)}/claims/${enc(claimId)}`, section),
  home: (reader: PageReader) => homeFor(reader),
  /** The staff reliability page of a model (and batch), where early warnings show with their evidence. */
  reliability: (model: string, batch?: string) =>
    `/staff/reliability?model=${enc(model)}${batch ? `&batch=${enc(batch)}` : ''}`,
  /** A recovery claim, for staff and the users of its creditor and debtor. */
  recovery: (recoveryId: string) => `/recoveries/${enc(recoveryId)}`,
  /** The sign-in page, returning to `next` (a path on this site) afterwards. */
  signIn: (next?: string) => (next ? `/sign-in?next=${enc(next)}` : '/sign-in'),
  /** The page that stops one kind of optional mail; `lang` is the mail's, so the page answers in it. */
  unsubscribe: (token: string, lang: 'en' | 'zh') => `/unsubscribe?token=${enc(token)}&lang=${lang}`,
  /** The page a one-time sign-in link opens, going on to `next` once signed in. */
  signInLink: (token: string, next?: string) =>
    `/sign-in/link?token=${enc(token)}${next ? `&next=${enc(next)}` : ''}`,
}

/**
 * Documents the server hands out beside the pages: links in e-mails and on the quote page
 * point here. They answer only a reader signed in as a party of the claim.
 */
export const documents = {
  quotePdf: (claimId: string, quoteId: string) => `/api/v1/claims/${enc(claimId)}/quotes/${enc(quoteId)}.pdf`,
  repairOrderPdf: (claimId: string) => `/api/v1/claims/${enc(claimId)}/repair-order.pdf`,
}

function homeFor(reader: PageReader): '/my' | '/dealer' | '/staff' {
  if (reader === 'customer') return '/my'
  if (reader === 'dealer') return '/dealer'
  return '/staff'
}

/**
 * Only a path on this site may be followed after sign-in, so a crafted link cannot send
 * anyone elsewhere (`//host` and `/\host` are other sites to a browser).
 */
export function isSafeReturnPath(next: string | null | undefined): next is string {
  if (typeof next !== 'string' || !/^\/(?![/\\])/.test(next)) return false
  // Browsers drop tabs and newlines from URLs, so `/\t/host` would become `//host`.
  for (const char of next) if (char.charCodeAt(0) < 0x20) return false
  return true
}

/**
 * True for a return path the web app cannot show itself (a document the server makes, such as
 * a quote PDF): after signing in, the browser loads it instead of the app routing to it.
 */
export const isServerDocument = (path: string): boolean => path.startsWith('/api/')

/** A page path made absolute against the service's public URL, for links that leave the site. */
export function absolutePageUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}`
}
