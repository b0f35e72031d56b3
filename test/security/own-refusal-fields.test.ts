import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { z } from 'zod'
import { createTestContext } from '../../src/app/test-context.ts'
import { CLAIM_ACTION_ENTRIES } from '../../src/claims/claim-actions.ts'
import { openTestDatabase, type TestDatabase } from '../../src/db/test-database.ts'
import { buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'
import { AppError } from '../../src/shared/errors.ts'
import { topFieldsOf } from '../../src/shared/input-fields.ts'

/*
 * A route's own refusal (a day before the claim was opened, a payment above what is owed)
 * names its field as the schema's refusals do: `body.paidOn`, `querystring.cursor`, never
 * the bare `paidOn`, whichever route and field. Routes with the lifecycle steps' own body
 * schemas, and one with a query, throw a refusal naming a field bare; the answer names it
 * where it was sent (the routes keep a body the schema refuses, so the handler is reached with
 * any step's). A field the input does not take (a header) stays as named.
 */

const queryOf = z.object({ cursor: z.string().optional(), limit: z.string().optional() })
const steps = CLAIM_ACTION_ENTRIES.filter((entry) => topFieldsOf(entry.body).size > 0)

describe('own refusals name their field where it was sent', () => {
  let database: TestDatabase
  let app: HttpApp
  before(async () => {
    database = await openTestDatabase('sqlite')
    app = await buildApp(createTestContext(database), { webDir: null })
    const refuse = (field: string): never => {
      throw new AppError(
        'validation',
        { key: 'validation.not-before', params: { field, other: '2026-01-01' } },
        { field },
      )
    }
    for (const entry of steps)
      app.post(
        `/test/refuse/${entry.action}`,
        { schema: { body: entry.body }, attachValidation: true },
        async (request: { headers: Record<string, unknown> }) => refuse(String(request.headers['x-refuse'])),
      )
    app.get(
      '/test/refuse-query',
      { schema: { querystring: queryOf } },
      async (request: { headers: Record<string, unknown> }) => refuse(String(request.headers['x-refuse'])),
    )
    await app.ready()
  })
  after(async () => {
    await app.close()
    await database.close()
  })

  test('a body field a step refuses itself is named body.<field>, in the field, the message and its parameters', async () => {
    const cases = steps.flatMap((entry) =>
      [...topFieldsOf(entry.body)].map((field) => ({ action: entry.action, field })),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...cases),
        fc.option(fc.nat(3), { nil: undefined }),
        async (c, index) => {
          const field = index === undefined ? c.field : `${c.field}.${index}`
          const response = await app.inject({
            method: 'POST',
            url: `/test/refuse/${c.action}`,
            headers: { 'x-refuse': field },
            payload: {},
          })
          assert.equal(response.statusCode, 400, response.body)
          const error = response.json().error as { field: string; message: string; params: { field: string } }
          assert.equal(error.field, `body.${field}`, `${c.action}: ${response.body}`)
          assert.equal(error.params.field, `body.${field}`)
          assert.ok(error.message.startsWith(`body.${field}`), error.message)
        },
      ),
      { numRuns: 60 },
    )
  })

  test('a query field refused by the route is named querystring.<field>; a header stays as named', async () => {
    const query = await app.inject({
      method: 'GET',
      url: '/test/refuse-query?cursor=x',
      headers: { 'x-refuse': 'cursor' },
    })
    assert.equal(query.json().error.field, 'querystring.cursor', query.body)
    const header = await app.inject({
      method: 'GET',
      url: '/test/refuse-query',
      headers: { 'x-refuse': 'Idempotency-Key' },
    })
    assert.equal(header.json().error.field, 'Idempotency-Key', header.body)
  })
})
