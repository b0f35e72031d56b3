import crypto from 'node:crypto'
import { EMAIL_LOCALES, type EmailLocale } from './domain/email-template-data.ts'
import { isOptionalMailKind, normaliseAddress, type OptionalMailKind } from './domain/mail-preferences.ts'

/** What an unsubscribe link stands for: this address no longer wants this kind of mail. */
export interface UnsubscribeClaim {
  address: string
  /** Whom the mail was for (`mailPersonKey`); links sent before choices were kept by person lack it. */
  person?: string
  kind: OptionalMailKind
  /** The language of the mail that carried the link: the page it opens answers in it. */
  locale: EmailLocale
}

const VERSION = 'u1'

const sign = (key: Buffer, body: string): string =>
  crypto.createHmac('sha256', key).update(`${VERSION}.${body}`).digest('base64url')

/**
 * `u1.<base64url JSON of the claim>.<base64url HMAC-SHA256>`: the link works without
 * signing in, so the signature is all that ties it to one address and one kind. Whoever
 * changes a letter of the address, or the kind, has to forge the HMAC with the key kept
 * in the database.
 */
export function signUnsubscribeToken(key: Buffer, claim: UnsubscribeClaim): string {
  const body = Buffer.from(
    JSON.stringify({
      a: normaliseAddress(claim.address),
      ...(claim.person === undefined ? {} : { p: claim.person }),
      k: claim.kind,
      l: claim.locale,
    }),
  ).toString('base64url')
  return `${VERSION}.${body}.${sign(key, body)}`
}

/** The claim a token stands for, or null for one this key did not sign (forged, cut short, garbled). */
export function readUnsubscribeToken(key: Buffer, token: string): UnsubscribeClaim | null {
  const [version, body, signature, ...rest] = token.split('.')
  if (version !== VERSION || !body || !signature || rest.length > 0) return null
  const expected = Buffer.from(sign(key, body))
  const given = Buffer.from(signature)
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const { a, p, k, l } = parsed as Record<string, unknown>
  if (typeof a !== 'string' || !isOptionalMailKind(k)) return null
  if (p !== undefined && typeof p !== 'string') return null
  const locale = EMAIL_LOCALES.find((candidate) => candidate === l) ?? 'en'
  return { address: a, ...(p === undefined ? {} : { person: p }), kind: k, locale }
}
