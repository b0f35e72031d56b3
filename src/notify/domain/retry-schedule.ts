/**
 * When to try an outbox message again. Exponential backoff with "equal jitter": the
 * delay doubles per attempt up to a cap, and half of it is randomised so that many
 * messages failing together (an SMTP server that was down) do not all retry in the same
 * second. The random number comes in as an argument to keep this pure.
 */
export interface RetryPolicy {
  /** Attempts in total, the first included; after the last one the message is `failed`. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 60 * 60 * 1000,
}

export type RetryPlan = { retry: true; delayMs: number } | { retry: false }

/**
 * @param attemptsMade attempts made so far, including the one that just failed (>= 1)
 * @param random a number in [0, 1)
 */
export function planRetry(
  attemptsMade: number,
  random: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryPlan {
  if (attemptsMade >= policy.maxAttempts) return { retry: false }
  const exponent = Math.max(0, attemptsMade - 1)
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent)
  const half = ceiling / 2
  const clamped = Math.min(Math.max(random, 0), 1)
  return { retry: true, delayMs: Math.round(half + clamped * half) }
}
