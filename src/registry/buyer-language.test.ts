import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import { startSession } from '../auth/start-session.ts'
import { createTestUser } from '../auth/test-support.ts'
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { ORG } from './demo-catalogue.ts'
import { seedDemoRegistry } from './demo-seed.ts'

const TODAY = new Date('2025-06-15T10:00:00Z')

/** The language a customer a seller or staff registers is written to in: a guess, never their choice. */
describe('the language of a buyer registered by a dealer or staff', () => {
  let database: TestDatabase
  let ctx: AppContext
  let app: HttpApp

  before(async () => {
    database = await openTestDatabase('sqlite')
    ctx = createTestContext(database, { now: () => TODAY })
    await seedDemoRegistry(ctx)
    app = await buildApp(ctx)
  })
  after(async () => {
    await app.close()
    await database.dispose()
  })

  const sale = (serial: string, ownerEmail: string, extra: Record<string, unknown> = {}) => ({
    serial,
    model: 'ares-mpro',
    purchasedOn: '2025-06-01',
    channel: 'dealer',
    ownerEmail,
    ...extra,
  })
  const customer = (email: string) =>
    ctx.db
      .selectFrom('customers')
      .select(['locale', 'locale_chosen_at', 'locale_guessed_at'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
  const offerLanguage = async (email: string) =>
    (
      await ctx.db
        .selectFrom('outbox_messages')
        .select('locale')
        .where('topic', '=', 'unit.offered')
        .where('recipient', '=', email)
        .executeTakeFirstOrThrow()
    ).locale

  test("a Chinese dealer's buyer gets Chinese mail from the form's language; a language the body gives wins", async () => {
    const dealer = await createTestUser(ctx.db, { role: 'dealer', orgId: ORG.starlight })
    const { token, csrfToken } = await startSession(ctx.db, dealer.userId, TODAY)
    const atForm = {
      cookie: `aftercare_session=${token}`,
      'x-csrf-token': csrfToken,
      'accept-language': 'zh',
    }
    const sold = await app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: atForm,
      payload: sale('PO-LANG-DLR', 'wang.buyer@example.com'),
    })
    assert.equal(sold.statusCode, 201, sold.body)
    assert.equal(await offerLanguage('wang.buyer@example.com'), 'zh')
    assert.deepEqual(await customer('wang.buyer@example.com'), {
      locale: 'zh',
      locale_chosen_at: null,
      locale_guessed_at: TODAY.toISOString(),
    })

    const told = await app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: atForm,
      payload: sale('PO-LANG-DLR2', 'smith.buyer@example.com', { ownerLocale: 'en' }),
    })
    assert.equal(told.statusCode, 201, told.body)
    assert.equal(await offerLanguage('smith.buyer@example.com'), 'en')
    assert.equal((await customer('smith.buyer@example.com')).locale_chosen_at, null)
  })

  test('staff naming the owner and their language record it as a guess; without one nothing is known', async () => {
    const staff = (await createTestUser(ctx.db, { role: 'support' })).headers
    const record = (serial: string, email: string, extra: Record<string, unknown> = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: { ...staff, 'accept-language': 'zh' },
        payload: sale(serial, email, { channel: 'direct', ...extra }),
      })
    assert.equal((await record('PO-LANG-STF', 'li.owner@example.com', { ownerLocale: 'zh' })).statusCode, 201)
    assert.deepEqual(await customer('li.owner@example.com'), {
      locale: 'zh',
      locale_chosen_at: null,
      locale_guessed_at: TODAY.toISOString(),
    })
    assert.equal((await record('PO-LANG-STF2', 'unsaid.owner@example.com')).statusCode, 201)
    assert.deepEqual(await customer('unsaid.owner@example.com'), {
      locale: 'en',
      locale_chosen_at: null,
      locale_guessed_at: null,
    })
  })
})
