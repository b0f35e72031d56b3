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
      assert.equal(answer.json().error.message, '找不到这个申请，或者您无权查看')
      const english = await app.inject({
        url: '/api/v1/claims/no-such-claim',
        headers: { ...customer.headers, 'accept-language': 'en' },
      })
      assert.equal(english.json().error.message, 'This claim was not found, or it is not one you may see')
    })

    // One refusal of each feature, in Chinese, with the key and values a client may word itself.
    const FEATURE_ERRORS = [
      {
        feature: 'claims',
        // A claim that is not there is said before the If-Match the change lacks.
        request: { method: 'POST', url: '/api/v1/claims/c-none/transitions/start-diagnosis', payload: {} },
        role: 'manager',
        status: 404,
        key: 'claim.not-found',
        params: { id: 'c-none' },
        message: '找不到这个申请，或者您无权查看',
      },
      {
        feature: 'registry',
        request: { method: 'GET', url: '/api/v1/models/no-such-model' },
        role: 'manager',
        status: 404,
        key: 'registry.model.not-found',
        params: { id: 'no-such-model' },
        message: '没有型号 no-such-model',
      },
      {
        feature: 'registry (a sale rule after its field)',
        request: {
          method: 'POST',
          url: '/api/v1/units',
          payload: {
            serial: 'ZH-0001',
            model: 'no-such-camera',
            purchasedOn: '2025-01-02',
            channel: 'direct',
          },
        },
        role: 'manager',
        status: 400,
        key: 'validation.field-reason',
        params: { model: 'no-such-camera', field: 'body.model', reason: 'registry.sale.no-model' },
        message: 'body.model：目录中没有型号“no-such-camera”',
      },
      {
        feature: 'imports',
        request: { method: 'GET', url: '/api/v1/imports/imp-none' },
        role: 'manager',
        status: 404,
        key: 'import.job-not-found',
        params: { id: 'imp-none' },
        message: '没有导入任务 imp-none',
      },
      {
        feature: 'policies',
        request: { method: 'GET', url: '/api/v1/policies/no-such-policy' },
        role: 'manager',
        status: 404,
        key: 'policies.not-found',
        params: { policy: 'no-such-policy' },
        message: '没有策略 no-such-policy',
      },
      {
        feature: 'sla',
        request: { method: 'GET', url: '/api/v1/calendars/no-such-calendar' },
        role: 'manager',
        status: 404,
        key: 'sla.no-calendar',
        params: { id: 'no-such-calendar' },
        message: '没有日历 no-such-calendar',
      },
      {
        feature: 'recoveries',
        request: { method: 'GET', url: '/api/v1/recoveries/rec-none' },
        role: 'manager',
        status: 404,
        key: 'recovery.not-found',
        params: { id: 'rec-none' },
        message: '没有追偿单 rec-none',
      },
      {
        feature: 'notify',
        request: { method: 'DELETE', url: '/api/v1/webhooks/wh-none' },
        role: 'admin',
        status: 404,
        key: 'notify.webhook.not-found',
        params: { id: 'wh-none' },
        message: '没有 Webhook 订阅 wh-none',
      },
      {
        feature: 'setup',
        request: { method: 'GET', url: '/api/v1/settings' },
        role: 'admin',
        status: 404,
        key: 'setup.no-seller',
        params: {},
        message: '尚未设置销售方',
      },
      {
        feature: 'auth',
        request: { method: 'DELETE', url: '/api/v1/api-keys/key-none' },
        role: 'admin',
        status: 404,
        key: 'auth.api-key-not-found',
        params: {},
        message: '没有这个有效的 API 密钥',
      },
      {
        feature: 'files',
        request: { method: 'GET', url: '/api/v1/files/00000000-0000-4000-8000-000000000000' },
        role: 'manager',
        status: 404,
        key: 'file.not-found',
        params: { id: '00000000-0000-4000-8000-000000000000' },
        message: '没有文件 00000000-0000-4000-8000-000000000000',
      },
    ] as const

    for (const expected of FEATURE_ERRORS) {
      it(`answers a refusal of ${expected.feature} in Chinese with its key and values`, async () => {
        const user = await createTestUser(database.db, { role: expected.role })
        const answer = await app.inject({
          ...expected.request,
          headers: { ...user.headers, 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' },
        })
        assert.equal(answer.statusCode, expected.status, answer.body)
        const error = answer.json().error
        assert.equal(error.messageKey, expected.key, answer.body)
        assert.deepEqual(error.params, expected.params)
        assert.equal(error.message, expected.message)
        const english = await app.inject({ ...expected.request, headers: user.headers })
        assert.equal(english.json().error.messageKey, expected.key, english.body)
        assert.doesNotMatch(english.json().error.message, HAN)
      })
    }

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
