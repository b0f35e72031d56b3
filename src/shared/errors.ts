/**
 * One error type for the whole system. Expected refusals (a transition that is not
 * allowed, a missing record) travel as values where an operation can return them; this
 * type is what crosses the HTTP and CLI edges.
 *
 * Codes and their HTTP status:
 * - `validation` 400: input does not fit its schema; `field` names the offending path.
 * - `unauthenticated` 401: no valid session, key or link.
 * - `forbidden` 403: signed in, but this role may not do this.
 * - `not-found` 404: no such record, or not visible to this party (never reveals which).
 * - `conflict` 409: the record changed since it was read, or the transition is refused.
 * - `precondition-failed` 412: a stale If-Match.
 * - `precondition-required` 428: a change without If-Match.
 * - `payload-too-large` 413, `unsupported-media-type` 415: uploads.
 * - `idempotency-mismatch` 422: an Idempotency-Key already used for a different request.
 * - `rate-limited` 429.
 * - `internal` 500: a bug; the user sees a generic message, the log the detail.
 */
export const ERROR_STATUS = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'precondition-failed': 412,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'idempotency-mismatch': 422,
  'precondition-required': 428,
  'rate-limited': 429,
  internal: 500,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

export class AppError extends Error {
  readonly code: ErrorCode
  /** Dotted path of the input field at fault, when there is one (`purchase.deliveredOn`). */
  readonly field: string | undefined
  /** Extra facts for the caller, e.g. the allowed transitions. Must be safe to show. */
  readonly details: Record<string, unknown> | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options: { field?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.field = options.field
    this.details = options.details
  }

  get status(): number {
    return ERROR_STATUS[this.code]
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError

/** The one error body every HTTP route answers with. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; details?: Record<string, unknown> }
}

export const toErrorBody = (error: AppError): ErrorBody => ({
  error: {
    code: error.code,
    message: error.message,
    ...(error.field === undefined ? {} : { field: error.field }),
    ...(error.details === undefined ? {} : { details: error.details }),
  },
})
