import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestContext } from '../../src/app/test-context.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import { openTestDatabase, type TestDatabase } from '../../src/db/test-database.ts'
import { buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'

const HAN = /[\u4e00-\u9fff]/

interface Issue {
  field: string
  message: string
  messageKey: string
  params: Record<string, unknown>
}

describe('a request with several fields wrong names every one of them', () => {
  let database: TestDatabase
  let app: HttpApp
  before(async () => {
    database = await openTestDatabase('sqlite')
    app = await buildApp(createTestContext(database), { webDir: null, rateLimits: false })
  })
  after(async () => {
    await app?.close()
    await database?.dispose()
  })

  it('the first-day set-up lists each refused field in the reader’s language, with its key', async () => {
    const answer = await app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      headers: { 'accept-language': 'zh-CN' },
      payload: {
        seller: '  ',
        adminEmail: 'not-an-address',
        password: 'a-long-secret-1',
        bank: { bankName: '招商银行' },
      },
    })
    assert.equal(answer.statusCode, 400, answer.body)
    const error = answer.json().error
    const issues = error.details.issues as Issue[]
    assert.deepEqual(
      issues.map((issue) => issue.field),
      ['body.seller', 'body.adminEmail', 'body.bank.accountName', 'body.bank.accountNumber'],
    )
    assert.equal(error.field, 'body.seller', 'the first stays the one the error names')
    for (const issue of issues) {
      assert.ok(issue.message.startsWith(`${issue.field}：`), issue.message)
      assert.match(issue.message, HAN, issue.message)
      assert.equal(issue.params.field, issue.field)
    }
    assert.deepEqual(
      issues.map((issue) => issue.messageKey),
      ['validation.required', 'validation.format', 'validation.required', 'validation.required'],
    )
  })

  it('changing the settings lists each missing bank field, each named', async () => {
    const admin = await createTestUser(database.db, { role: 'admin' })
    const answer = await app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: admin.headers,
      payload: { bank: { bankName: 'HSBC', accountName: ' ' }, quoteValidityDays: 0 },
    })
    assert.equal(answer.statusCode, 400, answer.body)
    const issues = answer.json().error.details.issues as Issue[]
    assert.deepEqual(
      issues.map(({ field, message }) => ({ field, message })),
      [
        { field: 'body.bank.accountName', message: 'body.bank.accountName: is required' },
        { field: 'body.bank.accountNumber', message: 'body.bank.accountNumber: is required' },
        { field: 'body.quoteValidityDays', message: 'body.quoteValidityDays: must be at least 1' },
      ],
    )
  })

  it('a saved address missing its parts names each as required in the reader’s language', async () => {
    const customer = await createTestUser(database.db, { role: 'customer' })
    const answer = await app.inject({
      method: 'POST',
      url: '/api/v1/me/addresses',
      headers: { ...customer.headers, 'accept-language': 'zh-CN' },
      payload: { name: '\u200b', city: '杭州' },
    })
    assert.equal(answer.statusCode, 400, answer.body)
    const issues = answer.json().error.details.issues as Issue[]
    assert.deepEqual(
      issues.map(({ field, messageKey }) => ({ field, messageKey })),
      [
        { field: 'body.name', messageKey: 'validation.required' },
        { field: 'body.street', messageKey: 'validation.required' },
        { field: 'body.country', messageKey: 'validation.required' },
      ],
    )
    for (const issue of issues) assert.equal(issue.message, `${issue.field}：必填`)
  })
})
