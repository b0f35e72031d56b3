import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fastifySwagger from '@fastify/swagger'
import Fastify from 'fastify'
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import { newClaimRow } from '../claims/index.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import { applySlaForClaimEvent } from './claim-clocks.ts'
import { slaRoutes } from './sla.routes.ts'
import { seed002ServiceLevels, shanghai } from './sla-test-support.ts'

const NOW = new Date(shanghai('2025-03-17T11:00')) // Monday late morning in Shenzhen

/** A Shenzhen workshop calendar with a lunch break, as a manager would define it. */
const workshopCalendar = () => ({
  name: 'Shenzhen workshop',
  timeZone: 'Asia/Shanghai',
  workingDays: [1, 2, 3, 4, 5, 6],
  workingHours: [
    { from: '09:00', to: '12:00' },
    { from: '13:30', to: '18:00' },
  ],
  holidays: ['2025-10-01', '2025-10-02'],
  makeUpWorkingDays: [],
  source: 'Workshop rota 2025',
})

/** A claim as the clocks' fixture needs it: the route answers only for claims that exist. */
const claimRow = (id: string, brand: 'own' | 'agent' = 'own') =>
  newClaimRow({
    id,
    state: 'received',
    version: 1,
    policy_id: 'shenzhen-service',
    policy_version: null,
    currency: 'CNY',
    brand,
    unit_id: null,
    serial: `SN-${id}`,
    model: null,
    category: null,
    customer_id: null,
    dealer_org_id: null,
    opened_by: 'system',
    opened_by_role: 'system',
    case_json: '{}',
    problem_description: 'SLA route fixture',
    opened_at: shanghai('2025-03-01T09:00'),
    updated_at: shanghai('2025-03-01T09:00'),
  })

for (const engine of testEngines()) {
  describe(`SLA routes (${engine})`, () => {
    let database: TestDatabase
    let app: HttpApp
    const as: Record<string, Record<string, string>> = {}
    before(async () => {
      database = await openTestDatabase(engine)
      app = await buildApp(createTestContext(database, { now: () => NOW }), { webDir: null })
      for (const role of ['support', 'manager', 'admin', 'customer', 'dealer', 'technician'] as const) {
        as[role] = (await createTestUser(database.db, { role })).headers
      }
      const apply = (claimId: string, eventType: string, at: string, brand: 'own' | 'agent' = 'own') =>
        database.db.transaction().execute((trx) =>
          applySlaForClaimEvent(trx, {
            claimId,
            eventType,
            at,
            brand,
            serviceLevels: seed002ServiceLevels(),
          }),
        )
      // verify due Monday 13:00 (2 h left of 12: red). Q-2: return due Wednesday 18:00 (green).
      // verify overdue since Sunday. Q-4: met and stopped, not in the queue. Q-6: no clocks yet.
      await database.db
        .insertInto('claims')
        .values([
          claimRow('Q-1'),
          claimRow('Q-2'),
          claimRow('Q-3', 'agent'),
          claimRow('Q-4'),
          claimRow('Q-5'),
          claimRow('Q-6'),
        ])
        .execute()
      await apply('Q-1', 'unit.received', shanghai('2025-03-17T01:00'))
      await apply('Q-2', 'decision.made', shanghai('2025-03-14T10:00'))
      await apply('Q-3', 'unit.received', shanghai('2025-03-15T10:00'), 'agent')
      await apply('Q-4', 'unit.received', shanghai('2025-03-10T10:00'))
      await apply('Q-4', 'inspection.recorded', shanghai('2025-03-10T12:00'))
      await apply('Q-5', 'unit.received', shanghai('2025-03-01T10:00'))
      await apply('Q-5', 'inspection.recorded', shanghai('2025-03-03T12:00'))
    })
    after(async () => {
      await app.close()
      await database.dispose()
    })

    test('the SLA queue lists open clocks by due time with time left and colour', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/queues/sla', headers: as.support })
      assert.equal(res.statusCode, 200, res.body)
      const items = res.json().items as Array<Record<string, unknown>>
      assert.deepEqual(
        items.map((c) => [c.claimId, c.kind, c.colour]),
        [
          ['Q-3', 'forward', 'breached'],
          ['Q-3', 'verify', 'breached'],
          ['Q-1', 'verify', 'red'],
          ['Q-2', 'return', 'green'],
        ],
      )
      assert.equal(items[2]?.timeLeftMs, 2 * 3_600_000)
      // Return clock: working time from Monday 11:00 to Wednesday 18:00 is 7 + 9 + 9 hours.
      assert.equal(items[3]?.timeLeftMs, 25 * 3_600_000)
      assert.equal(items[3]?.dueAt, shanghai('2025-03-19T18:00'))
    })

    test('the queue filters by kind and status and bounds the page', async () => {
      const byKind = await app.inject({
        method: 'GET',
        url: '/api/v1/queues/sla?kind=verify&limit=1',
        headers: as.manager,
      })
      assert.deepEqual(
        byKind.json().items.map((c: { claimId: string }) => c.claimId),
        ['Q-3'],
      )
      const paused = await app.inject({
        method: 'GET',
        url: '/api/v1/queues/sla?status=paused',
        headers: as.support,
      })
      assert.deepEqual(paused.json().items, [])
    })

    test('bad queue input answers 400 naming the field', async () => {
      for (const [query, field] of [
        ['limit=0', 'querystring.limit'],
        ['status=done', 'querystring.status'],
        ['kind=Verify!', 'querystring.kind'],
      ] as const) {
        const res = await app.inject({
          method: 'GET',
          url: `/api/v1/queues/sla?${query}`,
          headers: as.support,
        })
        assert.equal(res.statusCode, 400, query)
        assert.equal(res.json().error.field, field)
      }
    })

    test('customers and dealers may not see the queue; anonymous callers must sign in', async () => {
      for (const role of ['customer', 'dealer']) {
        const res = await app.inject({ method: 'GET', url: '/api/v1/queues/sla', headers: as[role] })
        assert.equal(res.statusCode, 403, role)
      }
      assert.equal((await app.inject({ method: 'GET', url: '/api/v1/queues/sla' })).statusCode, 401)
    })

    test("a claim's clocks for staff; not found for other parties", async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/claims/Q-4/clocks',
        headers: as.technician,
      })
      assert.equal(res.statusCode, 200, res.body)
      const [clock] = res.json().items
      assert.equal(clock.status, 'met')
      assert.equal(clock.stoppedBy, 'inspection.recorded')
      assert.equal(clock.timeLeftMs, null)
      for (const role of ['customer', 'dealer']) {
        const hidden = await app.inject({
          method: 'GET',
          url: '/api/v1/claims/Q-4/clocks',
          headers: as[role],
        })
        assert.equal(hidden.statusCode, 404, role)
      }
    })

    test('a clock on a calendar defined nowhere says it counts the fallback hours; others do not', async () => {
      await database.db.insertInto('claims').values(claimRow('Q-8')).execute()
      await database.db.transaction().execute((trx) =>
        applySlaForClaimEvent(trx, {
          claimId: 'Q-8',
          eventType: 'unit.received',
          at: shanghai('2025-03-17T01:00'),
          brand: 'own',
          // As a restored backup leaves a clock whose stored calendar it lacks.
          serviceLevels: { ...seed002ServiceLevels(), calendar: 'lost-workshop' },
        }),
      )
      const read = async (claimId: string) => {
        const res = await app.inject({
          method: 'GET',
          url: `/api/v1/claims/${claimId}/clocks`,
          headers: as.support,
        })
        assert.equal(res.statusCode, 200, res.body)
        return res.json().items as Array<{ calendar: string; calendarFallback: boolean }>
      }
      const lost = await read('Q-8')
      assert.ok(lost.length > 0)
      assert.ok(lost.every((c) => c.calendar === 'lost-workshop' && c.calendarFallback === true))
      const kept = await read('Q-1')
      assert.ok(kept.length > 0)
      assert.ok(kept.every((c) => c.calendarFallback === false))
      const queue = await app.inject({ method: 'GET', url: '/api/v1/queues/sla', headers: as.support })
      const inQueue = (queue.json().items as Array<{ claimId: string; calendarFallback: boolean }>).filter(
        (c) => c.claimId === 'Q-8',
      )
      assert.ok(inQueue.length > 0 && inQueue.every((c) => c.calendarFallback))
      await database.db.deleteFrom('sla_clocks').where('claim_id', '=', 'Q-8').execute()
    })

    test('a claim that does not exist is not found for staff too, as for other parties', async () => {
      const read = (headers: Record<string, string> | undefined) =>
        app.inject({ method: 'GET', url: '/api/v1/claims/NO-SUCH-CLAIM/clocks', headers })
      const hidden = await read(as.customer)
      assert.equal(hidden.statusCode, 404, hidden.body)
      assert.equal(hidden.json().error.messageKey, 'sla.no-claim')
      for (const role of ['support', 'technician', 'manager', 'admin']) {
        const missing = await read(as[role])
        assert.equal(missing.statusCode, 404, `${role}: ${missing.body}`)
        // The same answer a party who may not look gets: nothing tells the two apart.
        assert.equal(missing.body, hidden.body, role)
      }
      assert.equal((await read(as.dealer)).statusCode, 404)
    })

    test('a claim without clocks answers an empty list to staff, and not found to other parties', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/claims/Q-6/clocks', headers: as.support })
      assert.equal(res.statusCode, 200, res.body)
      assert.deepEqual(res.json(), { claimId: 'Q-6', items: [], next: null })
      for (const role of ['customer', 'dealer']) {
        const hidden = await app.inject({
          method: 'GET',
          url: '/api/v1/claims/Q-6/clocks',
          headers: as[role],
        })
        assert.equal(hidden.statusCode, 404, role)
      }
    })

    test('any signed-in user reads a built-in calendar with its holidays', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/calendars/cn-mainland',
        headers: as.customer,
      })
      assert.equal(res.statusCode, 200, res.body)
      const calendar = res.json()
      assert.equal(calendar.origin, 'built-in')
      assert.equal(calendar.timeZone, 'Asia/Shanghai')
      assert.ok(calendar.holidays.includes('2026-02-17'))
      assert.ok(calendar.makeUpWorkingDays.includes('2025-10-11'))
      const missing = await app.inject({
        method: 'GET',
        url: '/api/v1/calendars/nowhere',
        headers: as.customer,
      })
      assert.equal(missing.statusCode, 404)
    })

    test('a manager defines a calendar; it is listed and read back', async () => {
      const put = await app.inject({
        method: 'PUT',
        url: '/api/v1/calendars/sz-workshop',
        headers: as.manager,
        payload: workshopCalendar(),
      })
      assert.equal(put.statusCode, 200, put.body)
      assert.equal(put.json().origin, 'stored')
      assert.deepEqual(put.json().workingHours, workshopCalendar().workingHours)
      const list = await app.inject({ method: 'GET', url: '/api/v1/calendars', headers: as.support })
      assert.deepEqual(
        list.json().items.map((c: { id: string; origin: string }) => [c.id, c.origin]),
        [
          ['cn-mainland', 'built-in'],
          ['sz-workshop', 'stored'],
          ['weekdays-utc', 'built-in'],
        ],
      )
    })

    test('an admin overrides a built-in calendar', async () => {
      const put = await app.inject({
        method: 'PUT',
        url: '/api/v1/calendars/weekdays-utc',
        headers: as.admin,
        payload: { ...workshopCalendar(), name: 'Weekdays UTC', timeZone: 'UTC', holidays: ['2025-12-25'] },
      })
      assert.equal(put.statusCode, 200, put.body)
      const get = await app.inject({
        method: 'GET',
        url: '/api/v1/calendars/weekdays-utc',
        headers: as.support,
      })
      assert.equal(get.json().origin, 'stored-override')
      assert.deepEqual(get.json().holidays, ['2025-12-25'])
    })

    test('a night desk stores hours that run past midnight, and a day that ends at 24:00', async () => {
      for (const [id, workingHours] of [
        ['night-desk', [{ from: '22:00', to: '06:00' }]],
        [
          'late-desk',
          [
            { from: '06:00', to: '12:00' },
            { from: '18:00', to: '24:00' },
          ],
        ],
        [
          'split-night',
          [
            { from: '08:00', to: '12:00' },
            { from: '20:00', to: '08:00' },
          ],
        ],
      ] as const) {
        const put = await app.inject({
          method: 'PUT',
          url: `/api/v1/calendars/${id}`,
          headers: as.admin,
          payload: { ...workshopCalendar(), workingHours },
        })
        assert.equal(put.statusCode, 200, put.body)
        assert.deepEqual(put.json().workingHours, workingHours)
      }
    })

    test('a bad calendar answers 400 naming the field', async () => {
      const rows: Array<[string, Record<string, unknown>, string]> = [
        ['a malformed time', { workingHours: [{ from: '9:00', to: '18:00' }] }, 'body.workingHours.0.from'],
        [
          'a span that ends when it starts',
          { workingHours: [{ from: '09:00', to: '09:00' }] },
          'body.workingHours.0.to',
        ],
        [
          'a span past midnight that is not the last',
          {
            workingHours: [
              { from: '09:00', to: '08:00' },
              { from: '10:00', to: '12:00' },
            ],
          },
          'body.workingHours.0.to',
        ],
        [
          "a span past midnight that runs into the next morning's first span",
          {
            workingHours: [
              { from: '09:00', to: '12:00' },
              { from: '22:00', to: '09:30' },
            ],
          },
          'body.workingHours.1.to',
        ],
        [
          'overlapping spans',
          {
            workingHours: [
              { from: '09:00', to: '13:00' },
              { from: '12:00', to: '18:00' },
            ],
          },
          'body.workingHours.1.from',
        ],
        ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'body.timeZone'],
        ['a weekday 8', { workingDays: [1, 8] }, 'body.workingDays.1'],
        ['a weekday twice', { workingDays: [1, 2, 1] }, 'body.workingDays'],
        ['a bad holiday date', { holidays: ['2025-02-30'] }, 'body.holidays.0'],
        [
          'a date both off and on',
          { holidays: ['2025-10-11'], makeUpWorkingDays: ['2025-10-11'] },
          'body.makeUpWorkingDays.0',
        ],
      ]
      for (const [name, change, field] of rows) {
        const res = await app.inject({
          method: 'PUT',
          url: '/api/v1/calendars/bad',
          headers: as.admin,
          payload: { ...workshopCalendar(), ...change },
        })
        assert.equal(res.statusCode, 400, name)
        assert.equal(res.json().error.field, field, name)
        // A Chinese manager is told what is wrong, not only that the field is.
        const chinese = await app.inject({
          method: 'PUT',
          url: '/api/v1/calendars/bad',
          headers: { ...as.admin, 'accept-language': 'zh' },
          payload: { ...workshopCalendar(), ...change },
        })
        const message: string = chinese.json().error.message
        assert.ok(message.includes(field) && !message.includes('输入无效'), `${name}: ${message}`)
      }
      const badId = await app.inject({
        method: 'PUT',
        url: '/api/v1/calendars/Bad_Id',
        headers: as.admin,
        payload: workshopCalendar(),
      })
      assert.equal(badId.json().error.field, 'params.id')
    })

    test('days off that leave years without working time are refused naming the holidays; nothing is stored', async () => {
      // A workshop open every day but closed for 801 days in a row: no deadline can be set
      // across such a closure, and every clock started on the calendar failed with a 500.
      const everyDay = { ...workshopCalendar(), workingDays: [1, 2, 3, 4, 5, 6, 7] }
      const holidays = Array.from({ length: 801 }, (_, day) =>
        new Date(Date.UTC(2025, 2, 17 + day)).toISOString().slice(0, 10),
      )
      const res = await app.inject({
        method: 'PUT',
        url: '/api/v1/calendars/sz-idle',
        headers: as.manager,
        payload: { ...everyDay, holidays },
      })
      assert.equal(res.statusCode, 400)
      assert.equal(res.json().error.field, 'body.holidays')
      const chinese = await app.inject({
        method: 'PUT',
        url: '/api/v1/calendars/sz-idle',
        headers: { ...as.manager, 'accept-language': 'zh' },
        payload: { ...everyDay, holidays },
      })
      assert.match(chinese.json().error.message, /[\u4e00-\u9fff]/)
      const read = await app.inject({ method: 'GET', url: '/api/v1/calendars/sz-idle', headers: as.manager })
      assert.equal(read.statusCode, 404)
      // 800 days off is a long closure, but one a clock can still count across.
      const fine = await app.inject({
        method: 'PUT',
        url: '/api/v1/calendars/sz-idle',
        headers: as.manager,
        payload: { ...everyDay, holidays: holidays.slice(0, -1) },
      })
      assert.equal(fine.statusCode, 200, fine.body.slice(0, 300))
    })

    test('only admins and managers change calendars', async () => {
      for (const role of ['support', 'technician', 'customer', 'dealer']) {
        const res = await app.inject({
          method: 'PUT',
          url: '/api/v1/calendars/sz-workshop',
          headers: as[role],
          payload: workshopCalendar(),
        })
        assert.equal(res.statusCode, 403, role)
      }
    })

    test('the compliance report counts met and breached clocks per kind', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/reports/sla?from=2025-03-01&to=2025-03-31',
        headers: as.manager,
      })
      assert.equal(res.statusCode, 200, res.body)
      assert.deepEqual(res.json().kinds, [{ kind: 'verify', met: 1, breached: 1, compliance: 0.5 }])
      assert.deepEqual(res.json().total, { met: 1, breached: 1, compliance: 0.5 })
      const before = await app.inject({
        method: 'GET',
        url: '/api/v1/reports/sla?from=2025-02-01&to=2025-02-28',
        headers: as.manager,
      })
      assert.deepEqual(before.json().total, { met: 0, breached: 0, compliance: null })
    })

    test('the compliance report wants a valid range and staff', async () => {
      const bad = await app.inject({
        method: 'GET',
        url: '/api/v1/reports/sla?from=2025-03-31&to=2025-03-01',
        headers: as.manager,
      })
      assert.equal(bad.statusCode, 400)
      assert.equal(bad.json().error.field, 'querystring.to')
      const missing = await app.inject({
        method: 'GET',
        url: '/api/v1/reports/sla?to=2025-03-01',
        headers: as.manager,
      })
      assert.equal(missing.json().error.field, 'querystring.from')
      const customer = await app.inject({
        method: 'GET',
        url: '/api/v1/reports/sla?from=2025-03-01&to=2025-03-31',
        headers: as.customer,
      })
      assert.equal(customer.statusCode, 403)
    })

    test('the routes and their schemas are in the OpenAPI document', async () => {
      // Only this feature's routes, so the check does not depend on other features' schemas.
      const docApp = Fastify().withTypeProvider() as unknown as HttpApp
      docApp.setValidatorCompiler(validatorCompiler)
      docApp.setSerializerCompiler(serializerCompiler)
      await docApp.register(fastifySwagger, { openapi: { openapi: '3.1.0' }, transform: jsonSchemaTransform })
      await slaRoutes(docApp, createTestContext(database))
      await docApp.ready()
      const doc = docApp.swagger() as { paths: Record<string, Record<string, { tags?: string[] }>> }
      for (const [path, method] of [
        ['/api/v1/queues/sla', 'get'],
        ['/api/v1/claims/{id}/clocks', 'get'],
        ['/api/v1/calendars/{id}', 'put'],
        ['/api/v1/reports/sla', 'get'],
      ] as const) {
        assert.ok(doc.paths[path]?.[method]?.tags?.includes('sla'), `${method} ${path}`)
      }
      await docApp.close()
    })
  })
}
