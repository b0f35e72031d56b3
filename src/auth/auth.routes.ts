import type { FastifyReply, FastifyRequest } from 'fastify'
import { joinCursor, nextCursor, splitGivenCursor } from '../contracts/api/page.ts'
import type { HttpApp } from '../http/types.ts'
import { findOrganisation } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import type { Actor } from './actor.ts'
import { listApiKeys, revokeApiKey } from './api-key.store.ts'
import {
  AcceptedResponse,
  ApiKeyListResponse,
  ApiKeyParams,
  ConsumeLinkBody,
  CreateApiKeyBody,
  CreatedApiKeyResponse,
  CreateUserBody,
  CsrfResponse,
  LanguageBody,
  ListApiKeysQuery,
  ListUsersQuery,
  MeResponse,
  NoContent,
  SessionResponse,
  SignInBody,
  SignInLinkBody,
  UserListResponse,
  UserView,
} from './auth.schemas.ts'
import { consumeSignInLink } from './consume-sign-in-link.ts'
import { createApiKey } from './create-api-key.ts'
import { createUser } from './create-user.ts'
import { requireActor, requireRole } from './guards.ts'
import { requestSignInLink } from './request-sign-in-link.ts'
import { resolveApiKeyActor, resolveSessionActor } from './resolve-actor.ts'
import { equalSecrets } from './secrets.ts'
import { deleteSession } from './session.store.ts'
import { signIn } from './sign-in.ts'
import type { StartedSession } from './start-session.ts'
import { accountLocale, listUsers, type UserRow } from './user.store.ts'

export const SESSION_COOKIE = 'aftercare_session'
export const CSRF_COOKIE = 'aftercare_csrf'
export const CSRF_HEADER = 'x-csrf-token'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** Comfortably longer than the work for a known address (a few milliseconds). */
const SIGN_IN_LINK_ANSWER_MS = 120

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in session behind `actor`, when it came from the cookie. */
    session: { id: string; csrfToken: string } | null
  }
}

const toUserView = (user: UserRow): UserView => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  orgId: user.org_id,
  customerId: user.customer_id,
})

const actorView = (actor: Actor): UserView => ({
  id: actor.userId,
  email: actor.email,
  name: actor.name,
  role: actor.role,
  orgId: actor.orgId,
  customerId: actor.customerId,
})

/** HTTP routes of the auth feature, and the hook that tells every route who is acting. */
export async function authRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.decorateRequest('session', null)
  app.decorateRequest('inactiveOrg', null)
  app.addHook('onRequest', (request, _reply, done) => {
    // Nobody to identify (a public look-up): answer without a promise on the way.
    if (request.headers.authorization === undefined && request.headers.cookie === undefined) return done()
    identifyActor(ctx, request).then(() => done(), done)
  })

  const setSessionCookies = (reply: FastifyReply, session: StartedSession) => {
    const base = {
      path: '/',
      sameSite: 'lax',
      secure: ctx.config.secureCookies,
      expires: session.expiresAt,
    } as const
    reply.setCookie(SESSION_COOKIE, session.token, { ...base, httpOnly: true })
    // Readable by the page's script: it copies the value into the x-csrf-token header.
    reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...base, httpOnly: false })
  }
  const clearSessionCookies = (reply: FastifyReply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    reply.clearCookie(CSRF_COOKIE, { path: '/' })
  }

  app.post(
    '/api/v1/auth/sign-in',
    {
      config: { csrf: false, rateLimitGroup: 'sign-in' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password (staff and dealers); sets the session cookie',
        body: SignInBody,
        response: { 200: SessionResponse },
      },
    },
    async (request, reply) => {
      const { user, session } = await signIn(ctx.db, request.body, ctx.now())
      if (request.session) await deleteSession(ctx.db, request.session.id)
      setSessionCookies(reply, session)
      const locale = await accountLocale(ctx.db, { userId: user.id, customerId: user.customer_id })
      return { user: toUserView(user), locale, csrfToken: session.csrfToken }
    },
  )

  app.post(
    '/api/v1/auth/sign-out',
    {
      schema: { tags: ['auth'], summary: 'End the current session', response: { 204: NoContent } },
    },
    async (request, reply) => {
      if (request.session) await deleteSession(ctx.db, request.session.id)
      clearSessionCookies(reply)
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/api/v1/auth/me',
    { schema: { tags: ['auth'], summary: 'Who is signed in', response: { 200: MeResponse } } },
    async (request) => {
      const actor = requireActor(request)
      const locale = await accountLocale(ctx.db, { userId: actor.userId, customerId: actor.customerId })
      return {
        user: actorView(actor),
        locale,
        via: actor.via,
        csrfToken: request.session?.csrfToken ?? null,
      }
    },
  )

  app.put(
    '/api/v1/me/language',
    {
      schema: {
        tags: ['auth'],
        summary: 'The language of my e-mails',
        description:
          "Sets the language a staff or dealer user's e-mails are written in (`en` or `zh`), as the web app's language switch does; until set, their organisation's country decides. Customers' e-mails follow their profile (`PATCH /api/v1/me/profile`). Signed-in people only: not API keys.",
        body: LanguageBody.meta({ examples: [{ locale: 'zh' }] }),
        response: { 200: LanguageBody },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      if (actor.via !== 'session') throw new AppError('forbidden', { key: 'auth.session-only' })
      const { locale } = request.body
      await ctx.db
        .updateTable('users')
        .set({ locale, updated_at: ctx.now().toISOString() })
        .where('id', '=', actor.userId)
        .execute()
      return { locale }
    },
  )

  app.get(
    '/api/v1/auth/csrf',
    {
      schema: {
        tags: ['auth'],
        summary: 'The CSRF token to send in x-csrf-token with changes made through the session cookie',
        response: { 200: CsrfResponse },
      },
    },
    async (request) => {
      requireActor(request)
      if (!request.session) throw new AppError('unauthenticated', { key: 'auth.csrf-cookie-only' })
      return { csrfToken: request.session.csrfToken }
    },
  )

  app.post(
    '/api/v1/auth/link',
    {
      config: { csrf: false, rateLimitGroup: 'sign-in' },
      schema: {
        tags: ['auth'],
        summary:
          'E-mail a one-time sign-in link to a customer (answers 202 whether or not the address is known)',
        body: SignInLinkBody,
        response: { 202: AcceptedResponse },
      },
    },
    async (request, reply) => {
      const started = Date.now()
      await requestSignInLink(ctx, { ...request.body, publicUrl: ctx.config.publicUrl }, ctx.now())
      // Known and unknown addresses answer after the same time, so timing does not tell them apart.
      const wait = SIGN_IN_LINK_ANSWER_MS - (Date.now() - started)
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      return reply.status(202).send({ status: 'accepted' as const })
    },
  )

  app.post(
    '/api/v1/auth/link/consume',
    {
      config: { csrf: false, rateLimitGroup: 'sign-in' },
      schema: {
        tags: ['auth'],
        summary: 'Trade a sign-in link token for a session',
        body: ConsumeLinkBody,
        response: { 200: SessionResponse },
      },
    },
    async (request, reply) => {
      const { user, session } = await consumeSignInLink(ctx.db, request.body.token, ctx.now())
      if (request.session) await deleteSession(ctx.db, request.session.id)
      setSessionCookies(reply, session)
      const locale = await accountLocale(ctx.db, { userId: user.id, customerId: user.customer_id })
      return { user: toUserView(user), locale, csrfToken: session.csrfToken }
    },
  )

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user (admin)',
        body: CreateUserBody,
        response: { 201: UserView },
      },
    },
    async (request, reply) => {
      requireRole(request, ['admin'])
      const user = await createUser(ctx.db, request.body, ctx.now())
      return reply.status(201).send(toUserView(user))
    },
  )

  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List users (admin)',
        querystring: ListUsersQuery,
        response: { 200: UserListResponse },
      },
    },
    async (request) => {
      requireRole(request, ['admin'])
      const users = await listUsers(ctx.db, {
        ...request.query,
        after: request.query.cursor ?? request.query.after,
      })
      return {
        items: users.map(toUserView),
        next: nextCursor(users, request.query.limit, (user) => user.email),
      }
    },
  )

  app.post(
    '/api/v1/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Issue an API key for an integration (admin, manager); the key is shown once',
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKeyResponse },
      },
    },
    async (request, reply) => {
      const actor = requireRole(request, ['admin', 'manager'])
      const { orgId } = request.body
      if (orgId !== undefined && !(await findOrganisation(ctx.db, orgId))) {
        throw new AppError(
          'validation',
          { key: 'auth.no-organisation', params: { field: 'orgId', id: orgId } },
          { field: 'orgId' },
        )
      }
      const created = await createApiKey(
        ctx.db,
        {
          name: request.body.name,
          createdBy: actor.userId,
          scope: request.body.scope,
          ...(orgId === undefined ? {} : { orgId }),
        },
        ctx.now(),
      )
      return reply.status(201).send({
        id: created.id,
        name: created.name,
        prefix: created.prefix,
        role: created.role,
        orgId: created.orgId,
        userId: created.userId,
        createdAt: created.createdAt,
        lastUsedAt: null,
        revokedAt: null,
        key: created.key,
        scope: created.scope,
      })
    },
  )

  app.get(
    '/api/v1/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'List API keys (admin, manager)',
        querystring: ListApiKeysQuery,
        response: { 200: ApiKeyListResponse },
      },
    },
    async (request) => {
      requireRole(request, ['admin', 'manager'])
      const { limit, cursor, after } = request.query
      const rows = await listApiKeys(ctx.db, { limit, after: splitGivenCursor({ cursor, after }) })
      return {
        next: nextCursor(rows, limit, (row) => joinCursor(row.created_at, row.id)),
        items: rows.map((row) => ({
          id: row.id,
          name: row.name,
          prefix: row.prefix,
          role: row.role,
          userId: row.user_id,
          createdAt: row.created_at,
          lastUsedAt: row.last_used_at,
          revokedAt: row.revoked_at,
          scope: row.scope,
          orgId: row.org_id,
        })),
      }
    },
  )

  app.delete(
    '/api/v1/api-keys/:id',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key (admin, manager)',
        params: ApiKeyParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      requireRole(request, ['admin', 'manager'])
      const revoked = await revokeApiKey(ctx.db, request.params.id, ctx.now().toISOString())
      if (revoked === 0) throw new AppError('not-found', { key: 'auth.api-key-not-found' })
      return reply.status(204).send(null)
    },
  )
}

/**
 * Sets `request.actor` from a bearer API key or the session cookie, and refuses changes
 * made through the cookie without the session's CSRF token. API keys are exempt: a
 * browser never attaches them on its own.
 */
async function identifyActor(ctx: AppContext, request: FastifyRequest): Promise<void> {
  const authorization = request.headers.authorization
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization)
    const actor = match?.[1] ? await resolveApiKeyActor(ctx.db, match[1], ctx.now()) : null
    if (!actor) throw new AppError('unauthenticated', { key: 'auth.bad-api-key' })
    if (actor.scope === 'read-only' && !SAFE_METHODS.has(request.method)) {
      throw new AppError('forbidden', { key: 'auth.read-only-key' })
    }
    request.actor = actor
    return
  }
  const token = request.cookies[SESSION_COOKIE]
  if (!token) return
  const resolved = await resolveSessionActor(ctx.db, token, ctx.now())
  if (!resolved) return
  // Answered as nobody, so signing out or in as someone else still works; every route that
  // needs the actor hears why there is none (see requireActor).
  if ('inactiveOrg' in resolved) {
    request.inactiveOrg = resolved.inactiveOrg
    return
  }
  request.actor = resolved.actor
  request.session = { id: resolved.sessionId, csrfToken: resolved.csrfToken }
  if (SAFE_METHODS.has(request.method) || request.routeOptions.config?.csrf === false) return
  const sent = request.headers[CSRF_HEADER]
  if (typeof sent !== 'string' || !equalSecrets(sent, resolved.csrfToken)) {
    throw new AppError(
      'forbidden',
      { key: 'auth.csrf-missing', params: { header: CSRF_HEADER } },
      {
        field: CSRF_HEADER,
      },
    )
  }
}
