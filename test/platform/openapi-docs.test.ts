import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestContext } from '../../src/app/test-context.ts'
import { CLAIM_STATES, CLAIM_TRANSITIONS } from '../../src/claims/domain/claim-lifecycle.ts'
import { openTestDatabase, type TestDatabase } from '../../src/db/test-database.ts'
import { requestBodyHasExample } from '../../src/http/api-docs.ts'
import { FIELD_DESCRIPTIONS, schemaAt } from '../../src/http/api-field-docs.ts'
import { buildApp, listRegisteredRoutes } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'

type Json = Record<string, unknown>
interface Operation {
  description?: string
  requestBody?: { content: Record<string, Json> }
  responses?: Record<string, Json>
}
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/**
 * The API document an integrator reads: every operation of the whole document (whoever added
 * it) has a description, every request body an example, every upload its body documented.
 */
describe('the OpenAPI document', () => {
  let database: TestDatabase
  let app: HttpApp
  let doc: Json & { paths: Record<string, Record<string, Operation>>; info: Json }
  before(async () => {
    database = await openTestDatabase('sqlite')
    app = await buildApp(createTestContext(database), { webDir: null })
    doc = (await app.inject({ url: '/api/openapi.json' })).json()
  })
  after(async () => {
    await app?.close()
    await database?.dispose()
  })

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.flatMap((method) =>
        item[method] ? [{ key: `${method.toUpperCase()} ${path}`, op: item[method] }] : [],
      ),
    )

  it('describes every operation', () => {
    const all = operations()
    assert.ok(all.length > 50, `found ${all.length} operations`)
    const bare = all
      .filter(({ op }) => !op.description || op.description.trim().length < 20)
      .map(({ key }) => key)
    assert.deepEqual(bare, [], 'operations without a description')
  })

  it('gives an example of every request body, in every content type', () => {
    const bodies = operations().filter(({ op }) => op.requestBody)
    assert.ok(bodies.length > 30)
    const bare = bodies
      .filter(({ op }) => op.requestBody && !requestBodyHasExample(op.requestBody, doc))
      .map(({ key }) => key)
    assert.deepEqual(bare, [], 'request bodies without an example')
  })

  it('documents the body of every route that reads a raw or multipart body itself', () => {
    const readers = listRegisteredRoutes(app).filter((r) => r.consumes.length > 0 && !r.hidden)
    assert.ok(
      readers.some((r) => r.consumes.includes('multipart/form-data')),
      'uploads are found',
    )
    for (const route of readers) {
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
      const op = doc.paths[path]?.[route.method.toLowerCase() as (typeof METHODS)[number]]
      for (const type of route.consumes) {
        const media = op?.requestBody?.content[type]
        assert.ok(media, `${route.method} ${path}: no ${type} body in the document`)
        assert.ok(media.example !== undefined, `${route.method} ${path}: no example of the ${type} body`)
      }
    }
  })

  it('draws the claim lifecycle from the transition table: every state and every action with who may take it', () => {
    const description = String(doc.info.description)
    for (const state of CLAIM_STATES) assert.ok(description.includes(`\`${state}\``), state)
    for (const rule of CLAIM_TRANSITIONS) {
      const row = description.split('\n').find((line) => line.startsWith(`| \`${rule.action}\` |`))
      assert.ok(row, `row of ${rule.action}`)
      if (rule.parties.includes('customer')) assert.match(row, /customer/)
      if (rule.parties.includes('staff')) assert.match(row, /service staff/)
      const op = doc.paths[`/api/v1/claims/{id}/transitions/${rule.action}`]?.post
      assert.ok(op?.description?.includes('Who may take it'), rule.action)
      // A step only some staff roles take says which, and the technician is not among them.
      if (rule.staffRoles) {
        assert.match(row, new RegExp(`\\(${rule.staffRoles.join(', ')} only\\)`))
        assert.ok(op?.description?.includes(`(${rule.staffRoles.join(', ')} only)`), rule.action)
      }
    }
    for (const topic of ['If-Match', 'ETag', 'Idempotency-Key', 'Accept-Language', 'Aftercare-Signature'])
      assert.ok(description.includes(topic), topic)
  })

  it('is titled Aftercare and describes the webhook payload with an example', async () => {
    assert.equal(doc.info.title, 'Aftercare API')
    const webhooks = doc.webhooks as Record<string, { post: Operation }>
    const body = webhooks.claimEvent?.post.requestBody
    assert.ok(body && requestBodyHasExample(body, doc))
    const page = await app.inject({ url: '/api/docs' })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<title>Aftercare API<\/title>/)
  })

  it('says in which zone a date that defaults to today is taken', () => {
    const defaults: string[] = []
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) for (const item of node) walk(item)
      else if (node && typeof node === 'object')
        for (const [key, value] of Object.entries(node)) {
          if (key === 'description' && typeof value === 'string' && /\bdefault[^.;()]*\btoday\b/i.test(value))
            defaults.push(value)
          walk(value)
        }
    }
    walk(doc.paths)
    assert.ok(defaults.length > 0, "the reliability report's day is found")
    for (const description of defaults) assert.match(description, /\bzone\b/, description)
  })

  it('answers a create with 201', () => {
    for (const path of ['/api/v1/claims', '/api/v1/webhooks', '/api/v1/units'])
      assert.ok(doc.paths[path]?.post?.responses?.['201'], `${path} answers 201`)
  })

  it('answers every create with a named schema', () => {
    const creates = operations().filter(({ op }) => op.responses?.['201'])
    assert.ok(creates.length >= 10, `found ${creates.length} creates`)
    const schemas = (doc.components as { schemas: Record<string, Json> }).schemas
    for (const { key, op } of creates) {
      const created = op.responses?.['201'] as { content?: Record<string, { schema?: Json }> } | undefined
      const media = created?.content
      const ref = media?.['application/json']?.schema?.$ref
      assert.ok(typeof ref === 'string', `${key}: the 201 answer has no named schema`)
      const name = ref.replace('#/components/schemas/', '')
      assert.ok(schemas[name], `${key}: ${name} is not in the document`)
      assert.ok(String(schemas[name].description ?? '').length > 10, `${name} is not described`)
    }
    assert.ok(!Object.keys(schemas).some((name) => name.endsWith('Input')), 'unused input twins are left out')
  })

  it('describes every field of every named resource, and names no field that is not there', () => {
    const schemas = (doc.components as { schemas: Record<string, Json> }).schemas
    const bare: string[] = []
    const walk = (schema: Json | undefined, path: string): void => {
      if (!schema) return
      for (const alternative of (schema.anyOf as Json[] | undefined) ?? []) walk(alternative, path)
      if (schema.items) walk(schema.items as Json, `${path}[]`)
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
        const at = path ? `${path}.${name}` : name
        if (!property.description) bare.push(at)
        walk(property, at)
      }
    }
    for (const [name, schema] of Object.entries(schemas)) walk(schema, name)
    assert.deepEqual(bare, [], 'fields without a description')
    for (const [component, fields] of Object.entries(FIELD_DESCRIPTIONS))
      for (const path of Object.keys(fields))
        assert.ok(
          schemaAt(schemas[component] ?? {}, path),
          `${component}.${path} is described but not in the document`,
        )
  })
})
