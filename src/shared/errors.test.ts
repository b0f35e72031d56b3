import assert from 'node:assert/strict'
import { test } from 'node:test'
import { z } from 'zod'
import { AppError, ERROR_STATUS, toErrorBody } from './errors.ts'
import { parseOrThrow, parseWholeNumber } from './validate.ts'

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

test('a whole-number flag outside its range is refused naming the flag', () => {
  assert.equal(parseWholeNumber('8080', '--port', { min: 0, max: 65535 }), 8080)
  for (const raw of ['', 'eighty', '80.5', '70000', '-1']) {
    assert.throws(
      () => parseWholeNumber(raw, '--port', { min: 0, max: 65535 }),
      (error: unknown) =>
        error instanceof AppError && error.field === '--port' && /from 0 to 65535/.test(error.message),
    )
  }
  assert.throws(() => parseWholeNumber('0', 'AFTERCARE_RATE_LIMIT_LOOKUP', { min: 1 }), /of at least 1/)
})
