import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestContext } from '../../src/app/test-context.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import { PAGE_LIMIT_MAX } from '../../src/contracts/api/page.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../../src/db/test-database.ts'
import { buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'

interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  $ref?: string
  maximum?: number
}
interface Operation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[]
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>
}

// Lists that are not yet `{ items, next }`: each needs a reason here.
const NOT_YET = new Set<string>([
  // A money view (one row per counterparty, month and currency), not a list of resources to page.
  'GET /api/v1/recoveries/summary',
  // The set-up page's state: whether set-up is needed and the policies to choose from.
  'GET /api/v1/setup',
])

// Lists with a limit whose `next` is always null: one page, the limit only cuts it short.
const UNPAGED = new Set<string>(['GET /api/v1/reports/reliability/warnings', 'GET /api/v1/dealer-desk/units'])

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
        // A named resource (`$ref`) is an object too.
        const ofObjects = arrays.every(([, p]) => p.items?.type === 'object' || p.items?.$ref !== undefined)
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
        // The documentation tells every client to pass `next` back as `cursor`.
        if (limit && !UNPAGED.has(name))
          assert.ok(
            operation.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'),
            `${name}: takes \`next\` back as \`cursor\``,
          )
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

/** Follows `next` from the first page to the last and returns every item in order. */
async function readAllPages(
  app: HttpApp,
  url: string,
  headers: Record<string, string>,
  parameter: 'cursor' | 'after',
) {
  const seen: { id: string }[] = []
  let cursor: string | null = null
  for (let page = 0; page < 100; page++) {
    const separator = url.includes('?') ? '&' : '?'
    const target: string = cursor ? `${url}${separator}${parameter}=${encodeURIComponent(cursor)}` : url
    const response = await app.inject({ url: target, headers })
    assert.equal(response.statusCode, 200, response.body)
    const body = response.json() as { items: { id: string }[]; next: string | null }
    seen.push(...body.items)
    if (body.next === null) return seen
    cursor = body.next
  }
  throw new Error(`${url} never reached its last page`)
}

for (const engine of testEngines()) {
  describe(`paging through a list (${engine})`, () => {
    let database: TestDatabase
    let app: HttpApp
    before(async () => {
      database = await openTestDatabase(engine)
      app = await buildApp(createTestContext(database))
    })
    after(async () => {
      await app?.close()
      await database?.dispose()
    })

    it('users and API keys page by `next` without losing or repeating one, and refuse a limit over 200', async () => {
      const admin = await createTestUser(database.db, { role: 'admin' })
      // Each test user comes with an API key, so both lists grow together.
      for (let i = 0; i < 6; i++) await createTestUser(database.db, { role: 'support' })
      for (const [url, small] of [
        ['/api/v1/users', '/api/v1/users?limit=2'],
        ['/api/v1/api-keys', '/api/v1/api-keys?limit=3'],
      ] as const) {
        const all = (await app.inject({ url: `${url}?limit=200`, headers: admin.headers })).json() as {
          items: { id: string }[]
          next: string | null
        }
        assert.equal(all.next, null)
        assert.equal(all.items.length, 7)
        for (const parameter of ['cursor', 'after'] as const) {
          const paged = await readAllPages(app, small, admin.headers, parameter)
          assert.deepEqual(
            paged.map((item) => item.id),
            all.items.map((item) => item.id),
            `${url} by ${parameter}`,
          )
        }
        const tooMany = await app.inject({ url: `${url}?limit=201`, headers: admin.headers })
        assert.equal(tooMany.statusCode, 400)
        assert.equal(tooMany.json().error.field, 'querystring.limit')
      }
    })
  })
}
