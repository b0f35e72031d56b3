/**
 * Webhook signatures. Each POST carries
 *   Aftercare-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the subscription secret>
 * A receiver verifies by recomputing the HMAC over the timestamp, a dot and the raw body
 * bytes exactly as received, comparing in constant time, and rejecting a timestamp older
 * than a few minutes (replay protection). The HMAC itself is computed by the adapter
 * (`webhook-sender.ts`); this module holds the pure parts.
 */

/** The string that is signed: the timestamp, a dot, the raw body. */
export const buildSignedPayload = (unixSeconds: number, body: string): string => `${unixSeconds}.${body}`

export const formatSignatureHeader = (unixSeconds: number, hexDigest: string): string =>
  `t=${unixSeconds},v1=${hexDigest}`

/** Parses a signature header; null when it is malformed. */
export function parseSignatureHeader(header: string): { t: number; v1: string[] } | null {
  let t: number | null = null
  const v1: string[] = []
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2)
    if (key === 't' && value && /^\d+$/.test(value)) t = Number(value)
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) v1.push(value)
  }
  return t === null || v1.length === 0 ? null : { t, v1 }
}

/** A subscription lists event types; `*` means every event. */
export const subscriptionMatches = (eventTypes: unknown, type: string): boolean =>
  Array.isArray(eventTypes) && (eventTypes.includes('*') || eventTypes.includes(type))
