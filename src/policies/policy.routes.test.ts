import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import { WEEKDAYS_UTC } from '../sla/domain/builtin-calendars.ts'
import { SHIPPED_POLICIES_DIR } from './load-policies.ts'
import { buildCase, inspectedFinding } from './policy-test-support.ts'

for (const engine of testEngines()) {
  describe(`policy routes (${engine})`, () => {
    let database: TestDatabase
    let app: HttpApp
    before(async () => {
      database = await openTestDatabase(engine)
      app = await buildApp(createTestContext(database))
    })
    after(async () => {
      await app.close()
      await database.dispose()
    })

    test('POST /api/v1/decisions decides a case', async () => {
      const payload = buildCase('player-one', { inspection: inspectedFinding('foreign-matter') })
      const response = await app.inject({ method: 'POST', url: '/api/v1/decisions', payload })
      assert.equal(response.statusCode, 200, response.body)
      const decision = response.json()
      assert.equal(decision.policy, 'player-one@1')
      assert.equal(decision.covered, false)
      assert.deepEqual(decision.exclusions[0], {
        code: 'foreign-matter',
        clause: 'player-one#unauthorized-use',
      })
      const line = decision.trace.find((l: { clause: string }) => l.clause === 'player-one#unauthorized-use')
      assert.equal(line.language, 'en')
      assert.match(line.translations.zh, /^产品的任何故障或损坏/)
    })

    test('POST /api/v1/decisions answers 400 naming the field of a malformed case', async () => {
      const payload = { ...buildCase('ist'), claimedOn: '2025-02-30' }
      const response = await app.inject({ method: 'POST', url: '/api/v1/decisions', payload })
      assert.equal(response.statusCode, 400)
      assert.equal(response.json().error.field, 'body.claimedOn')
    })

    test('POST /api/v1/decisions answers 404 for an unknown policy', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/decisions',
        payload: buildCase('nobody'),
      })
      assert.equal(response.statusCode, 404)
      assert.equal(response.json().error.code, 'not-found')
    })

    test('GET /api/v1/policies lists policies with versions', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/v1/policies' })
      assert.equal(response.statusCode, 200)
      const touptek = response.json().items.find((p: { id: string }) => p.id === 'touptek')
      assert.deepEqual(touptek.versions, ['1'])
      assert.equal(touptek.currency, 'USD')
      assert.equal(touptek.language, 'en')
      assert.equal(touptek.translations.zh.title, 'ToupTek Astronomy 质量保证')
    })

    test('GET /api/v1/policies/:id shows clauses and service levels', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/v1/policies/shenzhen-service?version=1' })
      assert.equal(response.statusCode, 200)
      const body = response.json()
      assert.equal(body.serviceLevels.calendar, 'cn-mainland')
      assert.equal(body.serviceLevels.targets.length, 3)
      const term = body.clauses.find((c: { key: string }) => c.key === 'warranty-term')
      assert.equal(term.kind, 'coverage')
      assert.match(term.comment, /delivery/)
      assert.equal(term.language, 'en')
      assert.equal(
        term.text,
        'The warranty period of our products is 1 year. (except for products with clear warranty period)',
      )
      assert.equal(term.translations.zh, '本公司产品保修期为1年。（有明确保修期的产品除外）')
    })

    test('GET /api/v1/policies/:id answers 400 for a malformed id and 404 for an unknown one', async () => {
      const bad = await app.inject({ method: 'GET', url: '/api/v1/policies/Not_An_Id' })
      assert.equal(bad.statusCode, 400)
      assert.equal(bad.json().error.field, 'params.id')
      const unknown = await app.inject({ method: 'GET', url: '/api/v1/policies/touptek?version=9' })
      assert.equal(unknown.statusCode, 404)
    })

    test('POST /api/v1/policies/validate reports errors with line and field', async () => {
      const yaml =
        'id: demo\nversion: "1"\ntitle: Demo\neffectiveFrom: 2025-01-01\ntimeZone: UTC\ncurrency: usd\ncalendar: weekdays-utc\nclauses: []\n'
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/policies/validate',
        payload: { yaml },
      })
      assert.equal(response.statusCode, 200)
      const body = response.json()
      assert.equal(body.valid, false)
      assert.ok(
        body.errors.some((e: { field: string; line: number }) => e.field === 'currency' && e.line === 6),
      )
    })

    test('POST /api/v1/policies/validate words each problem in Chinese for a Chinese reader, naming the field', async () => {
      const yaml = [
        'id: Demo',
        'version: "1"',
        'title: Demo',
        'effectiveFrom: 2025-01-01',
        'timeZone: Mars/Olympus',
        'currency: usd',
        'calendar: weekdays-utc',
        'clauses:',
        '  - key: term',
        '    kind: coverage',
        '    text: One year.',
        '    term: P0D',
        '    startOn: delivery',
        '  - key: term',
        '    kind: service-level',
        '    text: Two days.',
        '    clock: repair',
        '    startOn: unit.received',
        '    stopOn: [unit.shipped]',
        '    amount: 1.5',
        '    unit: working-days',
        'shipping: free',
        '',
      ].join('\n')
      const ask = (language: string) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/policies/validate',
          headers: { 'accept-language': language },
          payload: { yaml },
        })
      const chinese = (await ask('zh-CN')).json()
      assert.equal(chinese.valid, false)
      const byField = new Map<string, string>(
        chinese.errors.map((e: { field: string; message: string }) => [e.field, e.message]),
      )
      assert.equal(byField.get('id'), '只能包含小写字母、数字和连字符（-）')
      assert.equal(byField.get('currency'), '必须是 ISO 4217 货币代码，例如 USD')
      assert.equal(byField.get('timeZone'), '必须是时区数据库中的时区名，例如 Asia/Shanghai 或 UTC')
      assert.equal(byField.get('clauses.0.term'), '必须长于零天')
      assert.equal(byField.get('clauses.1.amount'), '必须是整数个工作日')
      assert.equal(byField.get('(root)'), '未知字段 shipping')
      for (const error of chinese.errors as { field: string; message: string }[])
        assert.match(error.message, /[\u4e00-\u9fff]/, `${error.field}: ${error.message}`)
      // English readers keep the schema's own words.
      const english = (await ask('en')).json()
      assert.ok(
        english.errors.some(
          (e: { field: string; message: string }) =>
            e.field === 'currency' && e.message === 'must be an ISO 4217 code such as USD',
        ),
      )
    })

    test('POST /api/v1/policies/validate words a YAML syntax problem in Chinese', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/policies/validate',
        headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
        payload: { yaml: 'id: a\nid: b\n' },
      })
      const body = response.json()
      assert.deepEqual(body.errors, [{ line: 2, field: '(yaml)', message: '不是有效的 YAML：有重复的键' }])
    })

    test('POST /api/v1/policies/validate refuses an alias bomb as a fault of the text, not a 500', async () => {
      // Nine levels of ten aliases each: a billion nodes from a few hundred bytes.
      const levels = 'abcdefghi'
      let yaml = `${levels[0]}: &${levels[0]} [x,x,x,x,x,x,x,x,x,x]\n`
      for (let i = 1; i < levels.length; i++)
        yaml += `${levels[i]}: &${levels[i]} [${Array(10)
          .fill(`*${levels[i - 1]}`)
          .join(',')}]\n`
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/policies/validate',
        payload: { yaml },
      })
      assert.equal(response.statusCode, 200, response.body)
      const body = response.json()
      assert.equal(body.valid, false)
      assert.equal(body.errors[0].field, '(yaml)')
      assert.match(body.errors[0].message, /alias/i)
    })

    test('POST /api/v1/policies/validate refuses a calendar defined nowhere, naming the field, and accepts a stored one', async () => {
      const shipped = fs.readFileSync(path.join(SHIPPED_POLICIES_DIR, 'retailer.v1.yaml'), 'utf8')
      const yaml = shipped.replace('calendar: weekdays-utc', 'calendar: eu-de')
      const { headers } = await createTestUser(database.db, { role: 'manager' })
      const ask = (language: string, signedIn = true) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/policies/validate',
          headers: { ...(signedIn ? headers : {}), 'accept-language': language },
          payload: { yaml },
        })
      // Calendars are shown to those signed in only: an anonymous check neither lists the
      // stored ones nor tells whether one is stored.
      const anonymous = (await ask('en', false)).json()
      const english = (await ask('en')).json()
      assert.equal(english.valid, false)
      assert.deepEqual(
        english.errors.map((e: { field: string; line: number }) => [e.field, e.line]),
        [['calendar', 12]],
      )
      assert.match(english.errors[0].message, /eu-de/)
      const chinese = (await ask('zh')).json()
      assert.match(chinese.errors[0].message, /eu-de/)
      assert.match(chinese.errors[0].message, /既非内置也未保存/)
      await database.db
        .insertInto('calendars')
        .values({
          id: 'eu-de',
          definition: JSON.stringify({ ...WEEKDAYS_UTC, id: undefined, timeZone: 'Europe/Berlin' }),
          updated_by: 'admin-1',
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        })
        .execute()
      try {
        assert.deepEqual((await ask('en')).json(), { valid: true, errors: [] })
        assert.deepEqual((await ask('en', false)).json(), anonymous)
      } finally {
        await database.db.deleteFrom('calendars').where('id', '=', 'eu-de').execute()
      }
    })

    test('POST /api/v1/policies/validate answers 400 without yaml', async () => {
      const response = await app.inject({ method: 'POST', url: '/api/v1/policies/validate', payload: {} })
      assert.equal(response.statusCode, 400)
      assert.equal(response.json().error.field, 'body.yaml')
    })
  })
}
