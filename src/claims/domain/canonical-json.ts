/**
 * Canonical JSON for hashing history: keys sorted at every level, no whitespace,
 * `undefined` members dropped. The same event always gives the same text, on either
 * database engine and after a JSON round trip.
 */
export function toCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error('cannot hash a non-finite number')
    return JSON.stringify(value) ?? 'null'
  }
  if (Array.isArray(value)) return `[${value.map((item) => toCanonicalJson(item ?? null)).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${toCanonicalJson(v)}`).join(',')}}`
}

/** What the hash of one history event covers (besides the previous hash). */
export interface HashedEvent {
  claimId: string
  seq: number
  type: string
  at: string
  actor: { id: string; role: string; name: string }
  data: unknown
}

/** The text whose SHA-256 is the event's hash: the previous hash, then the canonical event. */
export const hashInput = (prevHash: string, event: HashedEvent): string => prevHash + toCanonicalJson(event)

/** The previous hash of a claim's first event. */
export const GENESIS_HASH = '0'.repeat(64)
