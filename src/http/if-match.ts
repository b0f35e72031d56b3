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
  const match = STRONG_VERSION_TAG.exec(String(raw).trim())
  const version = match === null ? Number.NaN : Number(match[1])
  if (!Number.isSafeInteger(version)) throw new AppError('precondition-failed', { key: keys.invalid })
  return version
}

/** A version is a non-negative integer: `"0"`, `"12"`, never `"012"`. */
const STRONG_VERSION_TAG = /^"(0|[1-9][0-9]{0,15})"$/
