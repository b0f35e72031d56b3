import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { SHIPPED_POLICIES_DIR } from '../policies/load-policies.ts'
import { parsePolicyFile } from '../policies/parse-policy-file.ts'
import { createPolicyLibrary, loadedPolicy } from '../policies/policy-files.ts'
import { AppError } from '../shared/errors.ts'
import { render } from '../shared/messages/translate.ts'
import { saveCalendar } from '../sla/calendar.store.ts'
import { WEEKDAYS_UTC } from '../sla/domain/builtin-calendars.ts'
import { refuseUndefinedCalendars } from './policy-calendars.ts'
import { runServer } from './run-server.ts'
import { createTestContext } from './test-context.ts'

/** The shipped retailer policy on another calendar. */
function retailerOn(calendar: string) {
  const file = path.join(SHIPPED_POLICIES_DIR, 'retailer.v1.yaml')
  const source = fs.readFileSync(file, 'utf8').replace('calendar: weekdays-utc', `calendar: ${calendar}`)
  const parsed = parsePolicyFile(source, file)
  assert.ok(parsed.ok)
  return createPolicyLibrary([loadedPolicy(file, source, parsed.document)])
}

for (const engine of testEngines()) {
  describe(`policy calendars at start (${engine})`, () => {
    let database: TestDatabase
    before(async () => {
      database = await openTestDatabase(engine)
    })
    after(async () => {
      await database.dispose()
    })

    test('a policy on a calendar defined nowhere stops the server from starting, naming the field in English and Chinese', async () => {
      const ctx = createTestContext(database, { policies: retailerOn('eu-de') })
      const refused = await refuseUndefinedCalendars(ctx).then(
        () => undefined,
        (error: unknown) => error,
      )
      assert.ok(refused instanceof AppError, String(refused))
      assert.equal(refused.code, 'validation')
      assert.equal(refused.field, 'calendar')
      const english = render('en', refused.text!)
      assert.match(english, /retailer@1:12: calendar: .*eu-de/)
      const chinese = render('zh', refused.text!)
      assert.match(chinese, /retailer@1:12: calendar：.*eu-de/)
      await assert.rejects(runServer(ctx, { host: '127.0.0.1', port: 0 }), /eu-de/)
    })

    test('a policy on a stored calendar or a built-in one starts', async () => {
      await refuseUndefinedCalendars(createTestContext(database))
      await saveCalendar(
        database.db,
        { ...WEEKDAYS_UTC, id: 'eu-de', timeZone: 'Europe/Berlin' },
        'admin-1',
        new Date(),
      )
      await refuseUndefinedCalendars(createTestContext(database, { policies: retailerOn('eu-de') }))
    })
  })
}
