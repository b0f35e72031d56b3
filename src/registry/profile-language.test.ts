import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import { startSession } from '../auth/start-session.ts'
import { createTestUser } from '../auth/test-support.ts'
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'

/** Who may make a language a customer's choice through their profile. */
describe('the language on a customer profile', () => {
  let database: TestDatabase
  let ctx: AppContext
  let app: HttpApp

  before(async () => {
    database = await openTestDatabase('sqlite')
    ctx = createTestContext(database)
    app = await buildApp(ctx)
  })
  after(async () => {
    await app.close()
    await database.dispose()
  })

  const patch = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    app.inject({ method: 'PATCH', url: '/api/v1/me/profile', headers, payload })
  const evidence = (id: string) =>
    ctx.db
      .selectFrom('customers')
      .select(['locale', 'locale_chosen_at', 'locale_guessed_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()

  test('is chosen only by the person signed in; a key acting for them leaves a guess that never replaces a choice', async () => {
    const key = await createTestUser(ctx.db, { role: 'customer', customerId: 'cus-profile-lang' })
    // An integration echoing the profile back with a new phone: the default it echoes is nobody's word.
    assert.equal((await patch(key.headers, { phone: '+86 138 0000 0001', locale: 'en' })).statusCode, 200)
    assert.deepEqual(await evidence('cus-profile-lang'), {
      locale: 'en',
      locale_chosen_at: null,
      locale_guessed_at: null,
    })
    const sent = await patch(key.headers, { locale: 'zh' })
    assert.equal(sent.statusCode, 200, sent.body)
    assert.equal(sent.json().mailLocale, 'zh')
    const guessed = await evidence('cus-profile-lang')
    assert.equal(guessed.locale_chosen_at, null, 'a key is not the person')
    assert.ok(guessed.locale_guessed_at)

    const { token, csrfToken } = await startSession(ctx.db, key.userId, ctx.now())
    const own = { cookie: `aftercare_session=${token}`, 'x-csrf-token': csrfToken }
    assert.equal((await patch(own, { locale: 'en' })).statusCode, 200)
    assert.ok((await evidence('cus-profile-lang')).locale_chosen_at, 'the person chose')
    const overridden = await patch(key.headers, { locale: 'zh' })
    assert.deepEqual(
      { locale: overridden.json().locale, mailLocale: overridden.json().mailLocale },
      { locale: 'en', mailLocale: 'en' },
    )
  })
})
