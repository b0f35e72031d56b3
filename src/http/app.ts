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
import { fileRoutes } from '../files/file.routes.ts'
import { notifyRoutes } from '../notify/notify.routes.ts'
import { policyRoutes } from '../policies/policy.routes.ts'
import { registryRoutes } from '../registry/registry.routes.ts'
import { reportRoutes } from '../reports/report.routes.ts'
import { AppError, type ErrorBody, toErrorBody } from '../shared/errors.ts'
import { slaRoutes } from '../sla/sla.routes.ts'
import type { HttpApp } from './types.ts'

export interface BuildAppOptions {
  logger?: boolean
}

/** Builds the HTTP application from its parts. The one place where routes are wired. */
export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<HttpApp> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  }).withTypeProvider() as unknown as HttpApp
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorateRequest('actor', null)
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error)
    if (appError.code === 'internal') request.log.error({ err: error }, 'unexpected error')
    return reply.status(appError.status).send(toErrorBody(appError) satisfies ErrorBody)
  })
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(toErrorBody(new AppError('not-found', `No route ${request.method} ${request.url}`))),
  )

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
  return app
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
