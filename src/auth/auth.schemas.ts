import { z } from 'zod'
import { nameSchema } from '../contracts/api/named-schema.ts'
import { EARLIER_CURSOR, pageCursor, pageLimit, pageOf } from '../contracts/api/page.ts'
import { isSafeReturnPath } from '../contracts/pages.ts'
import { ROLES } from './actor.ts'
import { API_KEY_SCOPES } from './auth.tables.ts'

export const RoleSchema = z.enum(ROLES)
// Spaces around an address (a paste from a mail) are dropped before it is checked, alike for
// the password sign-in, sign-in links and new users, which all look it up trimmed.
const Email = z.string().trim().email().max(254)

export const SignInBody = z.object({
  email: Email,
  password: z.string().min(1).max(200),
})

export const SignInLinkBody = z.object({
  email: Email,
  locale: z.enum(['en', 'zh']).default('en'),
  /** The page to open once signed in (a path on this site, e.g. the claim the reader came for). */
  next: z.string().max(500).refine(isSafeReturnPath, 'must be a path on this site').optional(),
})

export const ConsumeLinkBody = z.object({ token: z.string().min(10).max(200) })

export const UserView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  orgId: z.string().nullable(),
  customerId: z.string().nullable(),
})
nameSchema(UserView, {
  id: 'User',
  description: 'A person who signs in: staff, a dealer user or a customer.',
})
export type UserView = z.infer<typeof UserView>

/** The language the account reads in, for the web app to open in after a sign-in from an e-mail. */
const AccountLocale = z
  .enum(['en', 'zh'])
  .nullable()
  .describe(
    "The language the account reads in: a customer's profile language once they (or staff on their word) chose one, else the language a staff or dealer user chose; null when none was chosen. The web app opens in it unless the reader chose another on the page.",
  )

export const MeResponse = z.object({
  user: UserView,
  locale: AccountLocale.optional(),
  via: z.enum(['session', 'api-key', 'command-line', 'email']),
  /** For cookie sessions: the token to send back in `x-csrf-token` on changes. */
  csrfToken: z.string().nullable(),
})

/** A reader's language: what e-mails are written in. */
export const LanguageBody = z.object({ locale: z.enum(['en', 'zh']) })

export const SessionResponse = z.object({ user: UserView, locale: AccountLocale, csrfToken: z.string() })
export const CsrfResponse = z.object({ csrfToken: z.string() })
export const AcceptedResponse = z.object({ status: z.literal('accepted') })

export const CreateUserBody = z.object({
  email: Email,
  name: z.string().trim().min(1).max(200),
  role: RoleSchema,
  orgId: z.string().min(1).max(100).nullable().optional(),
  customerId: z.string().min(1).max(100).nullable().optional(),
  password: z.string().min(10).max(200).optional(),
})

export const ListUsersQuery = z.object({
  role: RoleSchema.optional(),
  limit: pageLimit(100),
  cursor: pageCursor(),
  after: z.string().max(300).optional().describe(EARLIER_CURSOR),
})
export const UserListResponse = pageOf(UserView)

export const CreateApiKeyBody = z.object({
  name: z.string().trim().min(1).max(200),
  /** `read-only` keys may only read; `full` (the default) may act as an integration. */
  scope: z.enum(API_KEY_SCOPES).default('full'),
  /**
   * Limit the key to one dealer, agent or maker organisation: it sees and acts on that
   * organisation's units and claims only, with the rights of its dealer users. Without it
   * the key is an integration that syncs the whole registry.
   */
  orgId: z.string().trim().min(1).max(100).optional(),
})
export const ApiKeyView = z.object({
  scope: z.enum(API_KEY_SCOPES),
  /** The organisation an organisation key is limited to; null for a whole-registry integration key. */
  orgId: z.string().nullable().optional(),
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: RoleSchema,
  userId: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
})
export const CreatedApiKeyResponse = ApiKeyView.extend({
  /** Shown once; only a hash is kept. */
  key: z.string(),
})
nameSchema(CreatedApiKeyResponse, {
  id: 'CreatedApiKey',
  description: 'An API key just issued, with the key itself: it is shown this once.',
})
export const ListApiKeysQuery = z.object({
  limit: pageLimit(100),
  cursor: pageCursor(),
  after: z.string().max(300).optional().describe(EARLIER_CURSOR),
})
export const ApiKeyListResponse = pageOf(ApiKeyView)
export const ApiKeyParams = z.object({ id: z.string().min(1).max(100) })

/** The body of a 204 answer. */
export const NoContent = z.null().describe('No content')
