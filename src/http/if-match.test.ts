import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../shared/errors.ts'
import { readIfMatch } from './if-match.ts'

const KEYS = { missing: 'claims.if-match.missing', invalid: 'claims.if-match.invalid' } as const
const requestWith = (value: string | undefined) =>
  ({ headers: { 'if-match': value } }) as unknown as FastifyRequest
const statusOf = (value: string | undefined): number | 'ok' => {
  try {
    readIfMatch(requestWith(value), KEYS)
    return 'ok'
  } catch (error) {
    assert.ok(error instanceof AppError)
    return error.status
  }
}

test('the ETag we send is read back as its version', () => {
  fc.assert(
    fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (version) => {
      assert.equal(readIfMatch(requestWith(`"${version}"`), KEYS), version)
    }),
  )
})

test('anything but that exact strong ETag is refused, never read as another version', () => {
  for (const other of [
    '"0x3"',
    '"3.0"',
    '"1e1"',
    'W/"3"',
    '3',
    '"3", "4"',
    '*',
    '"-1"',
    '"03"',
    '" 3"',
    '"+3"',
  ])
    assert.equal(statusOf(other), 412, other)
  assert.equal(statusOf(undefined), 428)
  assert.equal(statusOf(''), 428)
  fc.assert(
    fc.property(fc.string({ maxLength: 24 }), (text) => {
      const accepted =
        /^"(0|[1-9][0-9]*)"$/.test(text.trim()) && Number(text.trim().slice(1, -1)) <= Number.MAX_SAFE_INTEGER
      if (text === '') return
      assert.equal(statusOf(text), accepted ? 'ok' : 412, JSON.stringify(text))
    }),
  )
})
