import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestContext } from '../../src/app/test-context.ts'
import { PAGE_LIMIT_MAX } from '../../src/contracts/api/page.ts'
import { openTestDatabase, type TestDatabase } from '../../src/db/test-database.ts'
import { buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'

interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  maximum?: number
}
interface Operation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[]
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>
}

// Lists that are not yet `{ items, next }`: each needs a reason here.
const NOT_YET = new Set([
  // The message thread of a claim is being reworked together with its page.
  'GET /api/v1/claims/{id}/messages',
])

/** Every list the API answers, found in its own OpenAPI document: a 200 body with an array property. */
describe('one list shape', () => {
  let database: TestDatabase
  let app: HttpApp
  before(async () => {
    database = await openTestDatabase('sqlite')
    app = await buildApp(createTestContext(database))
  })
  after(async () => {
    await app?.close()
    await database?.dispose()
  })

  it('every list route answers { items, next } and takes at most 200 per page', async () => {
    const document = (await app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>
    }
    const lists: string[] = []
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const name = `${method.toUpperCase()} ${path}`
        const body = operation.responses?.['200']?.content?.['application/json']?.schema
        const arrays = Object.entries(body?.properties ?? {}).filter(([, p]) => p.type === 'array')
        if (arrays.length === 0 || NOT_YET.has(name)) continue
        // Reports (rows, series) and records (a policy's clauses, an import job's errors) carry
        // arrays too; a list is a small wrapper around one array of objects.
        const wrapper = Object.keys(body?.properties ?? {}).length <= 3
        const ofObjects = arrays.every(([, p]) => p.items?.type === 'object')
        if (method !== 'get' || path.startsWith('/api/v1/reports/') || !wrapper || !ofObjects) continue
        lists.push(name)
        assert.deepEqual(
          arrays.map(([key]) => key),
          ['items'],
          `${name}: the list is under "items"`,
        )
        assert.ok(body?.properties?.next, `${name}: has "next"`)
        const limit = operation.parameters?.find((p) => p.in === 'query' && p.name === 'limit')
        if (limit)
          assert.equal(limit.schema?.maximum, PAGE_LIMIT_MAX, `${name}: limit up to ${PAGE_LIMIT_MAX}`)
      }
    }
    for (const expected of [
      'GET /api/v1/claims',
      'GET /api/v1/users',
      'GET /api/v1/api-keys',
      'GET /api/v1/units',
      'GET /api/v1/customers',
    ])
      assert.ok(lists.includes(expected), `${expected} is found as a list`)
  })
})
