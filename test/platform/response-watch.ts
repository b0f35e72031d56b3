import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { refusingUnknownFields } from '../../src/contracts/api/unknown-fields.ts'

/** One answer that does not match its route's response schema, with what is wrong, field by field. */
export interface ResponseBreach {
  route: string
  issues: string[]
}

export interface ResponseWatch {
  /** Answers checked per `METHOD /route STATUS`: a route never answered was never checked. */
  readonly checked: Map<string, number>
  readonly breaches: ResponseBreach[]
}

/**
 * Holds every answer the app sends to the response schema its route declares, read strictly:
 * a field the handler sends that the schema does not name is a breach (the serializer would
 * drop it without a word, so the web, whose types are the schema's, never sees it), and so
 * is a required field the handler leaves out. The web's types are derived from these schemas
 * (web/src/api/types.ts), so a schema that says what the handler sends is the one contract.
 * Call before the app's first request: hooks join the routes when the app gets ready.
 */
export function watchResponses(app: FastifyInstance): ResponseWatch {
  const watch: ResponseWatch = { checked: new Map(), breaches: [] }
  const serialized = new WeakSet<object>()
  const check = (request: FastifyRequest, status: number, body: unknown) => {
    const schemas = request.routeOptions.schema?.response as Record<string, unknown> | undefined
    const code = String(status)
    const schema = schemas?.[code] ?? schemas?.[`${code[0]}xx`] ?? schemas?.default
    if (schema === undefined) return
    const route = `${request.method} ${request.routeOptions.url} ${code}`
    watch.checked.set(route, (watch.checked.get(route) ?? 0) + 1)
    const result = refusingUnknownFields(schema as z.ZodType).safeParse(body)
    if (!result.success)
      watch.breaches.push({
        route,
        issues: result.error.issues.map((issue) => {
          const keys = 'keys' in issue ? ` ${JSON.stringify(issue.keys)}` : ''
          return `${issue.path.join('.') || '(body)'}: ${issue.code}${keys} ${issue.message}`
        }),
      })
  }
  // What the handler answered, before the schema's serializer strips what it does not name.
  app.addHook('preSerialization', async (request, reply, payload) => {
    serialized.add(request)
    check(request, reply.statusCode, payload)
    return payload
  })
  // A route that writes its JSON text itself (a claim's page) skips the serializer: the text is the answer.
  app.addHook('onSend', async (request, reply, payload) => {
    const json = /^application\/json/.test(String(reply.getHeader('content-type') ?? ''))
    if (!serialized.has(request) && json && typeof payload === 'string')
      check(request, reply.statusCode, JSON.parse(payload))
    return payload
  })
  return watch
}

/** The breaches as a test failure says them: each route, then what is wrong with its answer. */
export function describeBreaches(watch: ResponseWatch): string {
  return watch.breaches.map((breach) => `${breach.route}\n  ${breach.issues.join('\n  ')}`).join('\n')
}
