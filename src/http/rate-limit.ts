import type { FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'

/** A rate limit: at most `max` requests per `windowMs` for one key (an address, or an account). */
export interface RateLimit {
  max: number
  windowMs: number
}

export interface RateLimits {
  /** Sign-in and sign-in links, per client address. */
  signIn?: RateLimit
  /** Sign-in and sign-in links, per account (e-mail address), whichever address they come from. */
  signInAccount?: RateLimit
  /** Public warranty look-ups by serial, per client address. */
  lookup?: RateLimit
}

export const DEFAULT_RATE_LIMITS = {
  // An office behind one NAT address signs in together in the morning; guessing one
  // account's password is held by the per-account limit.
  signIn: { max: 30, windowMs: 60_000 },
  signInAccount: { max: 10, windowMs: 60_000 },
  lookup: { max: 120, windowMs: 60_000 },
} as const satisfies Required<RateLimits>

export type RateLimitGroup = 'sign-in' | 'lookup'

/**
 * Fixed-window counters in the `rate_limit_counters` table: one upsert per counted request,
 * so every instance over the same database sees the same count (a limit holds behind a
 * load balancer). The window's number is part of the key, so a new window starts at 1
 * without a reset step; old rows are swept.
 */
export async function countHit(db: Db, key: string, limit: RateLimit, now: number): Promise<RateHit> {
  const window = Math.floor(now / limit.windowMs)
  const expiresAt = (window + 1) * limit.windowMs
  // The limit itself is part of the key: an operator who changes it starts a fresh count.
  const row = await db
    .insertInto('rate_limit_counters')
    .values({ key: `${key}|${limit.max}/${limit.windowMs}|${window}`, count: 1, expires_at: expiresAt })
    .onConflict((oc) => oc.column('key').doUpdateSet({ count: sql`rate_limit_counters.count + 1` }))
    .returning('count')
    .executeTakeFirstOrThrow()
  return { count: Number(row.count), resetInMs: expiresAt - now }
}

export interface RateHit {
  count: number
  resetInMs: number
}

/** Drops counters of windows that have ended. */
export async function sweepRateLimitCounters(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('rate_limit_counters').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * The checks of one group for one request: by client address always; sign-in also by the
 * account named in the body, so spreading guesses over many addresses does not help.
 * `request.ip` is the socket's address unless the socket is a configured proxy.
 */
export function rateLimitChecks(
  group: RateLimitGroup,
  request: FastifyRequest,
  limits: Required<RateLimits>,
): { key: string; limit: RateLimit }[] {
  if (group === 'lookup') return [{ key: `lookup|ip|${request.ip}`, limit: limits.lookup }]
  const checks = [{ key: `sign-in|ip|${request.ip}`, limit: limits.signIn }]
  const email = emailOf(request.body)
  if (email) checks.push({ key: `sign-in|account|${email}`, limit: limits.signInAccount })
  return checks
}

/** Counts the request under each check and refuses it (429 with Retry-After) once any is over. */
export async function enforceRateLimits(
  db: Db,
  checks: { key: string; limit: RateLimit }[],
  now: number,
): Promise<{ retryAfterSeconds: number } | null> {
  let retry = 0
  for (const check of checks) {
    const hit = await countHit(db, check.key, check.limit, now)
    if (hit.count > check.limit.max) retry = Math.max(retry, Math.ceil(hit.resetInMs / 1000))
  }
  return retry > 0 ? { retryAfterSeconds: retry } : null
}

export const rateLimited = () => new AppError('rate-limited', { key: 'error.rate-limited' })

function emailOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return ''
  const email = (body as { email?: unknown }).email
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : ''
}
