import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEFAULT_RETRY_POLICY, planRetry } from './retry-schedule.ts'

describe('planRetry', () => {
  it('doubles the delay per attempt, with jitter in the upper half', () => {
    assert.deepEqual(planRetry(1, 0), { retry: true, delayMs: 15_000 })
    assert.deepEqual(planRetry(1, 0.999999), { retry: true, delayMs: 30_000 })
    assert.deepEqual(planRetry(2, 0), { retry: true, delayMs: 30_000 })
    assert.deepEqual(planRetry(3, 0.5), { retry: true, delayMs: 90_000 })
  })

  it('never waits longer than the cap', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 100 }
    const plan = planRetry(60, 0.999999, policy)
    assert.ok(plan.retry && plan.delayMs <= policy.maxDelayMs && plan.delayMs > policy.maxDelayMs / 2)
  })

  it('gives up after the last attempt', () => {
    assert.equal(planRetry(DEFAULT_RETRY_POLICY.maxAttempts - 1, 0).retry, true)
    assert.deepEqual(planRetry(DEFAULT_RETRY_POLICY.maxAttempts, 0), { retry: false })
  })
})
