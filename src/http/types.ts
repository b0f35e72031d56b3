import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Actor } from '../auth/actor.ts'

/** The Fastify instance every route module receives: Zod schemas type the handlers. */
export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves with the number of units once a listening server has filled its look-up cache. */
    warrantyCacheFilled: Promise<number>
  }
  interface FastifyRequest {
    /** Set by the auth feature's hook; null when the request is anonymous. */
    actor: Actor | null
    /** The deactivated organisation of the session's user: why `actor` is null (see requireActor). */
    inactiveOrg: { id: string; name: string } | null
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** False on routes that must work before a session exists (sign-in); the auth hook checks the rest. */
    csrf?: boolean
    /** Which configured rate limit applies (see `BuildAppOptions.rateLimits`). */
    rateLimitGroup?: 'sign-in' | 'lookup'
  }
}
