import fs from 'node:fs'
import path from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyError } from 'fastify'
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod'
import type { AppContext } from '../app/context.ts'
import { authRoutes } from '../auth/auth.routes.ts'
import { claimRoutes } from '../claims/claim.routes.ts'
import { selfCheckRoutes } from '../claims/self-checks.routes.ts'
import { threadRoutes } from '../claims/thread.routes.ts'
import { fileRoutes } from '../files/file.routes.ts'
import { inboundMailRoutes } from '../notify/inbound-mail.routes.ts'
import { notifyRoutes } from '../notify/notify.routes.ts'
import { policyRoutes } from '../policies/policy.routes.ts'
import { dealerDeskRoutes } from '../registry/dealer-desk.routes.ts'
import { registryRoutes } from '../registry/registry.routes.ts'
import { reportRoutes } from '../reports/report.routes.ts'
import { AppError, type ErrorBody, toErrorBody } from '../shared/errors.ts'
import { slaRoutes } from '../sla/sla.routes.ts'
import type { HttpApp } from './types.ts'

/** A rate limit: at most `max` requests per `windowMs` for one key (IP, or IP and e-mail). */
export interface RateLimit {
  max: number
  windowMs: number
}

export interface BuildAppOptions {
  logger?: boolean
  /**
   * Limits per group; `false` switches rate limiting off (benchmarks). Counters live in
   * this process's memory, so with N instances behind a balancer the effective limit is N×.
   */
  rateLimits?: { signIn?: RateLimit; lookup?: RateLimit } | false
  /** The built web app to serve at `/`; default `web/dist` of the repository when it exists. */
  webDir?: string | null
}

export const DEFAULT_RATE_LIMITS = {
  /** Sign-in and sign-in links, per IP and e-mail address. */
  signIn: { max: 10, windowMs: 60_000 },
  /** Public warranty look-ups by serial, per IP. */
  lookup: { max: 120, windowMs: 60_000 },
} as const satisfies Record<string, RateLimit>

export const DEFAULT_WEB_DIR = path.resolve(import.meta.dirname, '../../web/dist')
const WARRANTY_LOOKUP_URL = /^\/api\/v1\/units\/:[^/]+\/warranty$/

/** Builds the HTTP application from its parts. The one place where routes are wired. */
export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<HttpApp> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  }).withTypeProvider() as unknown as HttpApp
  const routes: RegisteredRoute[] = []
  ROUTES.set(app, routes)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      routes.push({ method, url: route.url, hidden: route.schema?.hide === true })
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorateRequest('actor', null)
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error)
    if (appError.code === 'internal') request.log.error({ err: error }, 'unexpected error')
    return reply.status(appError.status).send(toErrorBody(appError) satisfies ErrorBody)
  })
  const webDir = options.webDir === undefined ? DEFAULT_WEB_DIR : options.webDir
  const serveWeb = webDir !== null && fs.existsSync(path.join(webDir, 'index.html'))
  app.setNotFoundHandler((request, reply) => {
    if (serveWeb && isPageRequest(request.method, request.url, request.headers.accept)) {
      // The single-page app routes on the client: every page URL gets index.html, never cached.
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false })
    }
    return reply
      .status(404)
      .send(toErrorBody(new AppError('not-found', `No route ${request.method} ${request.url}`)))
  })

  await app.register(fastifyCookie)
  await registerRateLimits(app, options.rateLimits)
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
      info: {
        title: 'Aftercare API',
        version: '1.0.0',
        description: 'Warranty, returns, replacements and repairs for hardware makers and sellers.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'aftercare_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' })
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
  await reportRoutes(app, ctx)
  await threadRoutes(app, ctx)
  await selfCheckRoutes(app, ctx)
  await dealerDeskRoutes(app, ctx)
  await inboundMailRoutes(app, ctx)
  return app
}

export interface RegisteredRoute {
  method: string
  url: string
  hidden: boolean
}
const ROUTES = new WeakMap<object, RegisteredRoute[]>()

/** Every route the app registered, in order: the OpenAPI test checks each is documented. */
export function listRegisteredRoutes(app: HttpApp): RegisteredRoute[] {
  return [...(ROUTES.get(app) ?? [])]
}

function isPageRequest(method: string, url: string, accept: string | undefined): boolean {
  return (
    (method === 'GET' || method === 'HEAD') &&
    !url.startsWith('/api/') &&
    url !== '/api' &&
    (accept ?? '').includes('text/html')
  )
}

/**
 * Routes opt in through `config.rateLimitGroup`; warranty look-ups are matched by URL
 * because the registry declares them. The hook runs before the plugin's own onRoute hook.
 */
async function registerRateLimits(app: HttpApp, limits: BuildAppOptions['rateLimits']): Promise<void> {
  if (limits === false) return
  const signIn = limits?.signIn ?? DEFAULT_RATE_LIMITS.signIn
  const lookup = limits?.lookup ?? DEFAULT_RATE_LIMITS.lookup
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as Record<string, unknown>
    const group = config.rateLimitGroup ?? (WARRANTY_LOOKUP_URL.test(route.url) ? 'lookup' : undefined)
    if (group === 'sign-in') {
      route.config = {
        ...config,
        rateLimit: {
          max: signIn.max,
          timeWindow: signIn.windowMs,
          // After the body is parsed, so the key can include the e-mail address.
          hook: 'preHandler',
          keyGenerator: (request: { ip: string; body?: unknown }) => `${request.ip}|${emailOf(request.body)}`,
        },
      }
    } else if (group === 'lookup') {
      route.config = { ...config, rateLimit: { max: lookup.max, timeWindow: lookup.windowMs } }
    }
  })
  await app.register(fastifyRateLimit, { global: false })
}

function emailOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return ''
  const email = (body as { email?: unknown }).email
  return typeof email === 'string' ? email.trim().toLowerCase() : ''
}

function toAppError(error: FastifyError): AppError {
  if (error instanceof AppError) return error
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0]
    const where = error.validationContext ?? 'body'
    const path = issue?.instancePath.replace(/^\//, '').replaceAll('/', '.') ?? ''
    const field = path ? `${where}.${path}` : where
    return new AppError('validation', `${field}: ${issue?.message ?? 'is invalid'}`, {
      field,
      details: {
        issues: error.validation.map((i) => ({
          field: `${where}${i.instancePath.replaceAll('/', '.')}`,
          message: i.message,
        })),
      },
    })
  }
  if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new AppError('payload-too-large', 'The request body is too large')
  }
  if (error.statusCode === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError('unsupported-media-type', error.message)
  }
  if (error.statusCode === 429) return new AppError('rate-limited', 'Too many requests; try again shortly')
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('validation', error.message, { field: 'body' })
  }
  return new AppError('internal', 'Something went wrong on our side; it has been logged', { cause: error })
}
