import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestContext } from '../../src/app/test-context.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../../src/db/test-database.ts'
import { buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'
import { toCustomerRow } from '../../src/registry/customer.store.ts'

const HAN = /[\u4e00-\u9fff]/

for (const engine of testEngines()) {
  describe(`error messages in the reader's language on ${engine}`, () => {
    let database: TestDatabase
    let app: HttpApp
    before(async () => {
      database = await openTestDatabase(engine)
      app = await buildApp(createTestContext(database), { webDir: null, rateLimits: false })
    })
    after(async () => {
      await app?.close()
      await database?.dispose()
    })

    it('answers a wrong password in Chinese with the code, key and params kept', async () => {
      const body = { email: 'nobody@test.invalid', password: 'wrong password here' }
      const english = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: body })
      const chinese = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: body,
        headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' },
      })
      assert.equal(english.statusCode, 401)
      assert.equal(chinese.statusCode, 401)
      assert.equal(english.json().error.message, 'The e-mail address or password is not right')
      assert.deepEqual(chinese.json().error, {
        code: 'unauthenticated',
        message: '电子邮箱或密码不正确',
        messageKey: 'auth.wrong-password',
        params: {},
      })
    })

    it('words a body that fails its schema by the issue code, naming the field', async () => {
      const chinese = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { password: 'x' },
        headers: { 'accept-language': 'zh' },
      })
      assert.equal(chinese.statusCode, 400)
      const error = chinese.json().error
      assert.equal(error.code, 'validation')
      assert.equal(error.field, 'body.email')
      assert.match(error.message, /^body\.email：/)
      assert.match(error.message, HAN)
      assert.doesNotMatch(error.message.replace('body.email', ''), /[A-Za-z]{3,}/)
    })

    it('uses the signed-in customer’s language when the request names none', async () => {
      const now = new Date().toISOString()
      await database.db
        .insertInto('customers')
        .values(toCustomerRow('cus-zh-1', { name: '李伟', email: 'li@test.invalid', locale: 'zh' }, now))
        .execute()
      const customer = await createTestUser(database.db, { role: 'customer', customerId: 'cus-zh-1' })
      const answer = await app.inject({ url: '/api/v1/claims/no-such-claim', headers: customer.headers })
      assert.equal(answer.statusCode, 404)
      assert.equal(answer.json().error.message, '没有工单 no-such-claim')
      const english = await app.inject({
        url: '/api/v1/claims/no-such-claim',
        headers: { ...customer.headers, 'accept-language': 'en' },
      })
      assert.equal(english.json().error.message, 'No claim no-such-claim')
    })

    it('answers an unknown route and a staff-only page in Chinese', async () => {
      const route = await app.inject({ url: '/api/v1/nothing-here', headers: { 'accept-language': 'zh' } })
      assert.equal(route.statusCode, 404)
      assert.match(route.json().error.message, /^没有 GET/)
      const guest = await app.inject({ url: '/api/v1/claim-queue', headers: { 'accept-language': 'zh' } })
      assert.equal(guest.statusCode, 401)
      assert.equal(guest.json().error.message, '请先登录')
    })
  })
}
