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
import {
  type Message,
  type MessageLanguage,
  type MessageParams,
  render,
  translate,
} from './messages/translate.ts'

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

/** One refused field of an input with several: its English words and its message in the catalogue. */
export interface FieldIssue {
  field: string
  message: string
  text: Message
}

export class AppError extends Error {
  readonly code: ErrorCode
  /** Dotted path of the input field at fault, when there is one (`purchase.deliveredOn`). */
  readonly field: string | undefined
  /** Extra facts for the caller, e.g. the allowed transitions. Must be safe to show. */
  readonly details: Record<string, unknown> | undefined
  /** The message as a catalogue key and parameters, so each edge can say it in its reader's language. */
  readonly text: Message | undefined
  /**
   * Every field refused, the first being the one `field` names: a form with several fields
   * wrong hears of all of them at once, not one per attempt.
   */
  readonly issues: readonly FieldIssue[] | undefined

  constructor(
    code: ErrorCode,
    message: string | Message,
    options: {
      field?: string
      details?: Record<string, unknown>
      cause?: unknown
      /** With an English message given as is: the same message as a key, for other languages. */
      text?: Message
      issues?: readonly FieldIssue[]
    } = {},
  ) {
    super(typeof message === 'string' ? message : render('en', message), { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.field = options.field
    this.details = options.details
    this.text = typeof message === 'string' ? options.text : message
    this.issues = options.issues
  }

  /**
   * The message in a language. A message without a key keeps its English words in English;
   * in another language it falls back to the generic line of its code (naming the field), so
   * a reader never gets a sentence half in one language and half in another.
   */
  messageIn(language: MessageLanguage): string {
    if (language === 'en') return this.message
    if (this.text) return render(language, this.text)
    if (this.code === 'validation' && this.field)
      return translate(language, 'error.validation.field', { field: this.field })
    return translate(language, `error.${this.code}`)
  }

  /** Each refused field's message in a language, worded as `messageIn` words the first. */
  issuesIn(language: MessageLanguage): { field: string; message: string; text: Message }[] {
    return (this.issues ?? []).map((issue) => ({
      field: issue.field,
      message: language === 'en' ? issue.message : render(language, issue.text),
      text: issue.text,
    }))
  }

  get status(): number {
    return ERROR_STATUS[this.code]
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError

/** The one error body every HTTP route answers with. */
export interface ErrorBody {
  error: {
    code: ErrorCode
    message: string
    field?: string
    /** The message's key in the server's catalogue and its parameters, for clients that word it themselves. */
    messageKey?: string
    params?: MessageParams
    details?: Record<string, unknown>
  }
}

export const toErrorBody = (error: AppError, language: MessageLanguage = 'en'): ErrorBody => ({
  error: {
    code: error.code,
    message: error.messageIn(language),
    ...(error.field === undefined ? {} : { field: error.field }),
    ...(error.text === undefined ? {} : { messageKey: error.text.key, params: error.text.params ?? {} }),
    ...(error.details === undefined && error.issues === undefined
      ? {}
      : {
          details: {
            ...error.details,
            ...(error.issues === undefined
              ? {}
              : {
                  issues: error.issuesIn(language).map(({ field, message, text }) => ({
                    field,
                    message,
                    messageKey: text.key,
                    params: text.params ?? {},
                  })),
                }),
          },
        }),
  },
})
