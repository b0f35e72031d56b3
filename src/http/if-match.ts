import type { FastifyRequest } from 'fastify'
import { AppError } from '../shared/errors.ts'
import type { MessageKey } from '../shared/messages/translate.ts'

/**
 * The version a change was based on, from `If-Match: "7"`: exactly the strong ETag we
 * send, a quoted decimal version. If-Match compares strongly (RFC 9110 13.1.1), so a weak
 * tag never matches, and neither do `*`, a list, or a number written another way (`"0x7"`,
 * `"7.0"`, `"7e0"`): each would let a client act on a version it did not read.
 */
export function readIfMatch(
  request: FastifyRequest,
  keys: { missing: MessageKey; invalid: MessageKey },
): number {
  const raw = request.headers['if-match']
  if (raw === undefined || raw === '') throw new AppError('precondition-required', { key: keys.missing })
  const version = versionOfTag(raw)
  if (version === undefined) throw new AppError('precondition-failed', { key: keys.invalid })
  return version
}

/** A version is a non-negative integer: `"0"`, `"12"`, never `"012"`. */
const STRONG_VERSION_TAG = /^"(0|[1-9][0-9]{0,15})"$/

/** The version a strong tag names, or undefined for anything else. */
function versionOfTag(raw: string | string[]): number | undefined {
  const match = STRONG_VERSION_TAG.exec(String(raw).trim())
  const version = match === null ? Number.NaN : Number(match[1])
  return Number.isSafeInteger(version) ? version : undefined
}

/**
 * Route options of a change guarded by If-Match. Fastify judges the request against the
 * route's schema before the handler runs; with these it keeps the verdict on the request
 * (`validationError`) instead of answering it, so the handler can tell it in the order RFC
 * 9110 (13.2.2) and RFC 6585 give: who asks (401), whether the record is there for them
 * (404), If-Match missing (428) or not the current version (412), and only then the body
 * (400). A client that forgot If-Match, or read an old version, learns that first: fixing the
 * body would not have helped it.
 */
export const PRECONDITION_BEFORE_BODY = { attachValidation: true } as const

/**
 * Tells the verdict held back on the path (`PRECONDITION_BEFORE_BODY`): the record's id
 * must be sound before it is looked up. Fastify checks the path first and stops at the
 * first part that fails, so a failed path leaves nothing else judged.
 */
export function refuseInvalidPath(request: FastifyRequest): void {
  if (request.validationError?.validationContext === 'params') throw request.validationError
}

/** Tells whatever verdict is still held back: the body's, once the precondition holds. */
export function refuseInvalidInput(request: FastifyRequest): void {
  if (request.validationError) throw request.validationError
}

/**
 * The version If-Match names when the request is sound so far (its path and body passed and
 * If-Match is a version), else undefined. A sound request goes straight to its step, which
 * checks who may see the record and then its version under its own lock, in the order
 * `PRECONDITION_BEFORE_BODY` gives; only a request with something wrong first reads the record
 * to say the first thing wrong, so a claim step pays no second read.
 */
export function versionOfSoundRequest(request: FastifyRequest): number | undefined {
  if (request.validationError) return undefined
  const raw = request.headers['if-match']
  return raw === undefined || raw === '' ? undefined : versionOfTag(raw)
}
