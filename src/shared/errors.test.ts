import assert from 'node:assert/strict'
import { test } from 'node:test'
import { z } from 'zod'
import { AppError, ERROR_STATUS, toErrorBody } from './errors.ts'
import { parseOrThrow } from './validate.ts'

test('every error code maps to an HTTP status', () => {
  for (const [code, status] of Object.entries(ERROR_STATUS)) {
    assert.equal(new AppError(code as keyof typeof ERROR_STATUS, 'x').status, status)
  }
})

test('a validation failure names the first offending field', () => {
  const schema = z.object({ purchase: z.object({ deliveredOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }) })
  assert.throws(
    () => parseOrThrow(schema, { purchase: { deliveredOn: 'yesterday' } }),
    (error: unknown) =>
      error instanceof AppError && error.code === 'validation' && error.field === 'purchase.deliveredOn',
  )
})

test('the error body carries code, message and field', () => {
  const body = toErrorBody(new AppError('validation', 'serial: is required', { field: 'serial' }))
  assert.deepEqual(body, { error: { code: 'validation', message: 'serial: is required', field: 'serial' } })
})
