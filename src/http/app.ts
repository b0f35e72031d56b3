import fs from 'node:fs'
import path from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify'
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodFastifySchemaValidationError,
} from 'fastify-type-provider-zod'
import type { z } from 'zod'
import { authRoutes } from '../auth/auth.routes.ts'
import { claimRoutes } from '../claims/claim.routes.ts'
import { quotePaymentRoutes } from '../claims/quote-payment.routes.ts'
import { returnAddressRoutes } from '../claims/return-address.routes.ts'
import { selfCheckRoutes } from '../claims/self-checks.routes.ts'
import { threadRoutes } from '../claims/thread.routes.ts'
import { refusingUnknownFields } from '../contracts/api/unknown-fields.ts'
import { fileRoutes } from '../files/file.routes.ts'
import { inboundMailRoutes } from '../notify/inbound-mail.routes.ts'
import { mailPreferencesRoutes } from '../notify/mail-preferences.routes.ts'
import { notifyRoutes } from '../notify/notify.routes.ts'
import { policyRoutes } from '../policies/policy.routes.ts'
import { recoveryRoutes } from '../recoveries/recovery.routes.ts'
import { dealerDeskRoutes } from '../registry/dealer-desk.routes.ts'
import { findCustomerById } from '../registry/index.ts'
import { profileRoutes } from '../registry/profile.routes.ts'
import { registryRoutes } from '../registry/registry.routes.ts'
import { unitProofRoutes } from '../registry/unit-proof.routes.ts'
import { reliabilityRoutes } from '../reliability/reliability.routes.ts'
import { reportRoutes } from '../reports/report.routes.ts'
import { setupRoutes } from '../setup/setup.routes.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError, type ErrorBody, type FieldIssue, toErrorBody } from '../shared/errors.ts'
import { namedUnder } from '../shared/input-fields.ts'
import {
  languageFromHeader,
  type Message,
  type MessageLanguage,
  render,
} from '../shared/messages/translate.ts'
import { englishIssueText, issueMessage } from '../shared/messages/zod-issues.ts'
import { echoed } from '../shared/validate.ts'
import { slaRoutes } from '../sla/sla.routes.ts'
import { AFTERCARE_LOGO, API_INFO, completeOpenApi } from './api-docs.ts'
import {
  DEFAULT_EDGE_TIMEOUTS,
  type EdgeTimeouts,
  isMalformedMultipart,
  setSecurityHeaders,
  timeoutOptions,
  unwritableIn,
} from './edge.ts'
import {
  DEFAULT_RATE_LIMITS,
  enforceRateLimits,
  type RateLimitGroup,
  type RateLimits,
  rateLimitChecks,
  rateLimited,
} from './rate-limit.ts'
import { requestLanguage } from './request-language.ts'
import type { HttpApp } from './types.ts'

export type { RateLimit } from './rate-limit.ts'
export { DEFAULT_RATE_LIMITS }

export interface BuildAppOptions {
  /** Log every request (`AFTERCARE_LOG=1`); unexpected errors are logged either way. */
  logger?: boolean
  /**
   * Limits per group; `false` switches rate limiting off (benchmarks). Counters live in
   * the database, so instances over one PostgreSQL database share them.
   */
  rateLimits?: RateLimits | false
  /** The built web app to serve at `/`; default `web/dist` of the repository when it exists. */
  webDir?: string | null
  /** Header, idle and body-stall limits; tests shorten them. */
  timeouts?: EdgeTimeouts
}

export const DEFAULT_WEB_DIR = path.resolve(import.meta.dirname, '../../web/dist')
const WARRANTY_LOOKUP_URL = /^\/api\/v1\/units\/:[^/]+\/warranty$/

/** Builds the HTTP application from its parts. The one place where routes are wired. */
export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<HttpApp> {
  const app = Fastify({
    // Without request logging, errors are still written: "it has been logged" must be true.
    logger: options.logger ? true : { level: 'error' },
    bodyLimit: 1024 * 1024,
    // Forwarded headers count only from the operator's proxies (AFTERCARE_TRUST_PROXY).
    trustProxy: ctx.config.trustProxy.length > 0 ? ctx.config.trustProxy : false,
    ...timeoutOptions(options.timeouts ?? DEFAULT_EDGE_TIMEOUTS),
    // Errors the framework raises before routing (a path that is not valid URL encoding)
    // get the one error shape too.
    frameworkErrors: (error, request, reply) => {
      const notFound = error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_ASYNC_CONSTRAINT'
      const appError = notFound ? new AppError('not-found', { key: 'http.no-address' }) : toAppError(error)
      setSecurityHeaders(request, reply as FastifyReply)
      void (reply as FastifyReply)
        .status(appError.status)
        .send(toErrorBody(appError, requestLanguage(request.headers['accept-language'], null)))
    },
  }).withTypeProvider() as unknown as HttpApp
  const routes: RegisteredRoute[] = []
  ROUTES.set(app, routes)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      routes.push({
        method,
        url: route.url,
        hidden: route.schema?.hide === true,
        consumes: (route.schema as { consumes?: string[] } | undefined)?.consumes ?? [],
      })
  })
  if (ctx.durable) {
    const durable = ctx.durable
    // An acknowledged write must survive a crash: a change is answered only once the commits
    // made so far are on disk. Reads never wait for the disk.
    app.addHook('onSend', (request, _reply, payload, done) => {
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS')
        return done(null, payload)
      durable().then(() => done(null, payload), done)
    })
  }
  app.setValidatorCompiler(strictInputCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorateRequest('actor', null)
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    // Only a route's own refusals: the schema's are named where sent already.
    const appError =
      error instanceof AppError ? namedWhereSent(error, request.routeOptions.schema) : toAppError(error)
    const language = await requestLanguageOf(ctx, request)
    if (appError.code === 'internal') request.log.error({ err: error }, 'unexpected error')
    // A body refused before it was read may still be on its way: close the connection
    // rather than leave a keep-alive client waiting behind it.
    if (appError.status === 413 || !request.raw.complete) reply.header('connection', 'close')
    return reply.status(appError.status).send(toErrorBody(appError, language) satisfies ErrorBody)
  })
  // Hooks on every request are plain callbacks, not async functions: each async hook costs
  // a promise and a turn of the microtask queue, a measurable share of a cached look-up.
  app.addHook('onRequest', (request, _reply, done) => done(unwritableIn(request, ['params', 'query'])))
  // The path and query were checked on arrival; the body exists only from here on.
  app.addHook('preValidation', (request, _reply, done) =>
    done(request.body === undefined ? undefined : unwritableIn(request, ['body'])),
  )
  app.addHook('onSend', (request, reply, payload, done) => {
    setSecurityHeaders(request, reply)
    done(null, payload)
  })
  const webDir = options.webDir === undefined ? DEFAULT_WEB_DIR : options.webDir
  const serveWeb = webDir !== null && fs.existsSync(path.join(webDir, 'index.html'))
  app.setNotFoundHandler(async (request, reply) => {
    if (serveWeb && isPageRequest(request.method, request.url, request.headers.accept)) {
      // The single-page app routes on the client: every page URL gets index.html, never cached.
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false })
    }
    const url = request.url.length > MAX_URL_ECHO ? `${request.url.slice(0, MAX_URL_ECHO)}…` : request.url
    const noRoute = new AppError('not-found', {
      key: 'http.no-route',
      params: { method: request.method, url },
    })
    return reply.status(404).send(toErrorBody(noRoute, await requestLanguageOf(ctx, request)))
  })

  await app.register(fastifyCookie)
  registerRateLimits(app, ctx, options.rateLimits)
  if (serveWeb && webDir) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: true,
      index: false,
      cacheControl: false,
      // The web build writes .br and .gz beside each asset; send the smallest the client accepts.
      preCompressed: true,
      setHeaders(res, filePath) {
        // Vite puts a content hash in every file name under assets/: safe to keep for a year.
        const hashed = filePath.includes(`${path.sep}assets${path.sep}`)
        res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
      },
    })
    app.get('/', { schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false }),
    )
  }

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: API_INFO,
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'aftercare_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: (input) => jsonSchemaTransform(strictInputSchemas(input)),
    transformObject: (document) => completeOpenApi(jsonSchemaTransformObject(document)),
  })
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    theme: { title: 'Aftercare API' },
    logo: { type: 'image/svg+xml', content: AFTERCARE_LOGO, href: '/', target: '_self' },
  })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  app.get('/healthz', { schema: { hide: true } }, async () => {
    await ctx.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute()
    return { status: 'ok', engine: ctx.engine }
  })

  await authRoutes(app, ctx)
  await registryRoutes(app, ctx)
  await policyRoutes(app, ctx)
  await claimRoutes(app, ctx)
  await fileRoutes(app, ctx)
  await slaRoutes(app, ctx)
  await notifyRoutes(app, ctx)
  await mailPreferencesRoutes(app, ctx)
  await reportRoutes(app, ctx)
  await reliabilityRoutes(app, ctx)
  await recoveryRoutes(app, ctx)
  await setupRoutes(app, ctx)
  await profileRoutes(app, ctx)
  await returnAddressRoutes(app, ctx)
  await quotePaymentRoutes(app, ctx)
  await threadRoutes(app, ctx)
  await selfCheckRoutes(app, ctx)
  await dealerDeskRoutes(app, ctx)
  await unitProofRoutes(app, ctx)
  await inboundMailRoutes(app, ctx)
  return app
}

export interface RegisteredRoute {
  method: string
  url: string
  hidden: boolean
  /** Content types a route reads itself (uploads, raw mail); the OpenAPI test checks each is documented. */
  consumes: string[]
}
const ROUTES = new WeakMap<object, RegisteredRoute[]>()

/** Every route the app registered, in order: the OpenAPI test checks each is documented. */
export function listRegisteredRoutes(app: HttpApp): RegisteredRoute[] {
  return [...(ROUTES.get(app) ?? [])]
}

/** The language of an answer: the request's Accept-Language, else the signed-in customer's setting. */
async function requestLanguageOf(ctx: AppContext, request: FastifyRequest): Promise<MessageLanguage> {
  const fromHeader = languageFromHeader(request.headers['accept-language'])
  if (fromHeader) return fromHeader
  const customerId = request.actor?.customerId
  if (!customerId) return 'en'
  try {
    const customer = await findCustomerById(ctx.db, customerId)
    return requestLanguage(undefined, customer?.locale ?? null)
  } catch {
    // The answer is an error already; its language is not worth a second failure.
    return 'en'
  }
}

function isPageRequest(method: string, url: string, accept: string | undefined): boolean {
  return (
    (method === 'GET' || method === 'HEAD') &&
    !url.startsWith('/api/') &&
    url !== '/api' &&
    (accept ?? '').includes('text/html')
  )
}

const MAX_URL_ECHO = 300

/**
 * Routes opt in through `config.rateLimitGroup`; warranty look-ups are matched by URL
 * because the registry declares them. Runs before the handler, after the body is parsed,
 * so sign-in can be counted per account as well as per address.
 */
function registerRateLimits(app: HttpApp, ctx: AppContext, limits: BuildAppOptions['rateLimits']): void {
  if (limits === false) return
  const resolved = { ...DEFAULT_RATE_LIMITS, ...limits }
  // An address-only limit given without an account limit applies to accounts as well.
  if (limits?.signIn && !limits.signInAccount) resolved.signInAccount = limits.signIn
  app.addHook('preHandler', (request, reply, done) => {
    const group = rateLimitGroupOf(request.routeOptions.config?.rateLimitGroup, request.routeOptions.url)
    if (!group) return done()
    enforceRateLimits(ctx.db, rateLimitChecks(group, request, resolved), ctx.now().getTime()).then(
      (refused) => {
        if (!refused) return done()
        reply.header('retry-after', String(refused.retryAfterSeconds))
        done(rateLimited())
      },
      done,
    )
  })
}

function rateLimitGroupOf(
  declared: RateLimitGroup | undefined,
  url: string | undefined,
): RateLimitGroup | null {
  if (declared) return declared
  return url && WARRANTY_LOOKUP_URL.test(url) ? 'lookup' : null
}

/** The parts of a request a client writes field by field; a field they do not name is refused. */
const NAMED_FIELD_PARTS = new Set(['body', 'querystring'])

/**
 * Every body and query refuses fields its schema does not name, here for every route at once
 * (docs/decisions.md); the path and headers are the address and the protocol's, not a form.
 */
const strictInputCompiler: typeof validatorCompiler = (route) =>
  validatorCompiler(
    NAMED_FIELD_PARTS.has(route.httpPart ?? '')
      ? { ...route, schema: refusingUnknownFields(route.schema) }
      : route,
  )

/** The API document shows each body and query as strict as it is checked (`additionalProperties: false`). */
function strictInputSchemas<T extends { schema?: unknown }>(input: T): T {
  const schema = input.schema as Record<string, unknown> | undefined
  if (!schema) return input
  const strict = { ...schema }
  for (const part of ['body', 'querystring'])
    if (strict[part] !== undefined) strict[part] = refusingUnknownFields(strict[part] as z.ZodType)
  return { ...input, schema: strict }
}

/**
 * A field the schema does not name is an issue of its own, named where it was sent
 * (`body.preferance`, `body.unit.colour`), where Zod lists them together on their object.
 */
function eachUnknownField(
  issue: ZodFastifySchemaValidationError,
  where: string,
  path: string,
): FieldIssue[] | null {
  const keys = (issue.params as { keys?: unknown } | undefined)?.keys
  if (issue.keyword !== 'unrecognized_keys' || !Array.isArray(keys) || keys.length === 0) return null
  return keys.map((key) => {
    const field = [where, path, echoed(String(key))].filter(Boolean).join('.')
    const text: Message = { key: 'validation.unknown-field', params: { field } }
    return { field, message: render('en', text), text }
  })
}

/**
 * A route's own refusal of a field it was sent (`paidOn`) names it where it was sent, as the
 * schema's refusals do (`body.paidOn`, `querystring.cursor`, `params.serial`): the body first,
 * then the query, then the path. Other fields (a header) and errors the schema check raised,
 * already so named, pass as they are.
 */
function namedWhereSent(
  error: AppError,
  schema: { body?: unknown; querystring?: unknown; params?: unknown } | undefined,
): AppError {
  if (!schema) return error
  for (const [part, partSchema] of [
    ['body', schema.body],
    ['querystring', schema.querystring],
    ['params', schema.params],
  ] as const) {
    const named = namedUnder(error, part, partSchema) as AppError
    if (named !== error) return named
  }
  return error
}

function toAppError(error: FastifyError): AppError {
  if (error instanceof AppError) return error
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body'
    const issues = error.validation.flatMap((issue): FieldIssue[] => {
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.')
      const unknown = eachUnknownField(issue, where, path)
      if (unknown) return unknown
      const field = path ? `${where}.${path}` : where
      const text = issueMessage(field, { ...issue.params, code: issue.keyword, message: issue.message })
      return [{ field, message: englishIssueText(field, issue.message, text), text }]
    })
    const first = issues[0]
    const field = first?.field ?? where
    const text: Message = first?.text ?? { key: 'validation.invalid', params: { field } }
    return new AppError('validation', first?.message ?? render('en', text), { field, text, issues })
  }
  if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new AppError('payload-too-large', { key: 'http.body-too-large' })
  }
  if (error.statusCode === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError('unsupported-media-type', error.message, {
      text: { key: 'error.unsupported-media-type' },
    })
  }
  if (error.statusCode === 429) return new AppError('rate-limited', { key: 'error.rate-limited' })
  if (error.statusCode === 414 || error.code === 'FST_ERR_URL_TOO_LONG') {
    return new AppError('not-found', { key: 'http.path-too-long' })
  }
  if (isMalformedMultipart(error)) {
    return new AppError(
      'validation',
      { key: 'http.bad-multipart', params: { detail: error.message } },
      {
        field: 'body',
      },
    )
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('validation', error.message, {
      field: 'body',
      text: { key: 'error.validation.field', params: { field: 'body' } },
    })
  }
  return new AppError('internal', { key: 'error.internal' }, { cause: error })
}
