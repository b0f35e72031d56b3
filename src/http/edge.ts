import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../shared/errors.ts'

/**
 * Time limits of the HTTP edge. A client that sends its headers slowly, stalls in the
 * middle of a body or keeps an idle connection open is cut off, so a few slow sockets
 * cannot hold the server's connections (slowloris).
 */
export interface EdgeTimeouts {
  /** All request headers must arrive within this time. */
  headersMs: number
  /** A connection with no traffic either way (a stalled body, an idle keep-alive) is closed. */
  idleMs: number
  /** How often the server looks for connections over the header limit. */
  checkEveryMs: number
}

export const DEFAULT_EDGE_TIMEOUTS: EdgeTimeouts = { headersMs: 10_000, idleMs: 30_000, checkEveryMs: 5_000 }

/** The Fastify and Node server options that enforce the limits. */
export function timeoutOptions(timeouts: EdgeTimeouts) {
  return {
    // Socket inactivity: Node destroys the socket, which aborts a stalled upload.
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.idleMs,
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkEveryMs },
  }
}

const NUL = '\u0000'
/** Half of a UTF-16 pair without its other half: with the `u` flag a whole pair never matches. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u
/**
 * Characters that turn the direction text is shown in (embeddings, overrides, isolates): a
 * name written "Bob", U+202E, "gnp.exe" shows as "Bobexe.png" on the staff console and in
 * e-mails, and no field here needs them; the plain marks (U+200E, U+200F) stay allowed.
 */
const DIRECTION_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u
/**
 * The C0 and C1 control characters but the tab and the line ends: no field holds them, and a
 * name or text holding ESC or BEL, printed later by the command line (`claims show` prints
 * the actor's name), would drive the operator's terminal (clear it, retitle it, ring it).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u

/** Where a field was sent, named as the schema's own refusals name it (`querystring.serial`). */
const FIELD_ROOT = { params: 'params', query: 'querystring', body: 'body' } as const

/**
 * PostgreSQL cannot store U+0000 in text and answers with an error, and no field of this
 * system has a use for it: refuse it in every string (and key) of the path, the query and
 * a JSON body before any handler sees it, with half UTF-16 pairs, direction controls and the
 * other control characters but tab and line ends.
 * Answers the refusal for the first of them in the given parts of the request, or undefined.
 */
export function unwritableIn(
  request: FastifyRequest,
  parts: ReadonlyArray<'params' | 'query' | 'body'>,
): AppError | undefined {
  for (const part of parts) {
    const found = findUnwritable(request[part], FIELD_ROOT[part], 0)
    if (found !== null) {
      const key = UNWRITABLE_KEY[found.kind]
      return new AppError('validation', { key, params: { field: found.field } }, { field: found.field })
    }
  }
  return undefined
}

/**
 * The first string (or key) this system will not keep as sent: one with a NUL; with half of
 * a UTF-16 pair, which JSON lets a body escape (`"\ud800"`) but which is no character at all,
 * and which each engine would store its own replacement of; or with a direction control.
 */
function findUnwritable(value: unknown, path: string, depth: number): Unwritable | null {
  if (typeof value === 'string') return unwritable(value, path)
  // Deeper than any schema of this API; the body limit already bounds the work.
  if (depth > 64 || typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return null
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnwritable(value[i], `${path}.${i}`, depth + 1)
      if (found) return found
    }
    return null
  }
  for (const [key, item] of Object.entries(value)) {
    const inKey = unwritable(key, path)
    if (inKey) return inKey
    const found = findUnwritable(item, `${path}.${key}`, depth + 1)
    if (found) return found
  }
  return null
}

type Unwritable = { field: string; kind: 'nul' | 'surrogate' | 'direction' | 'control' }

const UNWRITABLE_KEY = {
  nul: 'http.nul',
  surrogate: 'http.lone-surrogate',
  direction: 'http.direction-control',
  control: 'http.control-character',
} as const

function unwritable(text: string, field: string): Unwritable | null {
  if (text.includes(NUL)) return { field, kind: 'nul' }
  if (LONE_SURROGATE.test(text)) return { field, kind: 'surrogate' }
  if (DIRECTION_CONTROL.test(text)) return { field, kind: 'direction' }
  return CONTROL.test(text) ? { field, kind: 'control' } : null
}

/**
 * Content-Security-Policy of the web app's pages: only its own scripts, no framing, no
 * plugins. Inline styles stay allowed because React sets `style` attributes.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** Headers on every answer; API answers are never cached (they carry one party's data). */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff')
  reply.header('referrer-policy', 'no-referrer')
  const url = request.url
  if (url.startsWith('/api/v1/') || url === '/healthz') {
    reply.header('cache-control', 'no-store')
    return
  }
  // The API explorer brings its own scripts and styles; its own CSP is the plugin's business.
  if (url.startsWith('/api/docs')) {
    reply.header('x-frame-options', 'DENY')
    return
  }
  const type = String(reply.getHeader('content-type') ?? '')
  if (type.startsWith('text/html')) {
    reply.header('content-security-policy', PAGE_CSP)
    reply.header('x-frame-options', 'DENY')
  }
}

/** Errors of the multipart parser (busboy) that mean the client sent a broken form. */
const MALFORMED_MULTIPART = [
  /boundary not found/i,
  /unexpected end of (form|multipart)/i,
  /malformed (part )?header/i,
  /multipart: /i,
  /part terminated early/i,
  /unsupported content type/i,
]

export function isMalformedMultipart(error: { message?: string; code?: string }): boolean {
  const message = error.message ?? ''
  return MALFORMED_MULTIPART.some((pattern) => pattern.test(message))
}
