import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { simpleParser } from 'mailparser'
import { createTestContext } from '../../src/app/test-context.ts'
import { createUser } from '../../src/auth/create-user.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import type { Db } from '../../src/db/database.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../../src/db/test-database.ts'
import { type BuildAppOptions, buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'
import { deliverDueMessages } from '../../src/notify/deliver-outbox.ts'
import { loadConfig } from '../../src/shared/config.ts'

const PASSWORD = 'correct horse battery'

async function seedStaffWithPassword(db: Db, role: 'support' | 'dealer' = 'support') {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`
  await createUser(
    db,
    { email, name: `A ${role}`, role, password: PASSWORD, orgId: role === 'dealer' ? 'org-1' : null },
    new Date(),
  )
  return email
}

/** `chosen`: whether the customer chose `locale` (else it is only the default). */
async function seedCustomer(db: Db, email: string, locale: 'en' | 'zh' = 'en', chosen = false) {
  const id = `cus-${Math.random().toString(36).slice(2, 8)}`
  const at = new Date().toISOString()
  await db
    .insertInto('customers')
    .values({
      id,
      name: 'Ada Customer',
      email,
      phone: null,
      address: null,
      locale,
      locale_chosen_at: chosen ? at : null,
      created_at: at,
      updated_at: at,
    })
    .execute()
  return id
}

/** Signs in and returns the cookie header and CSRF token of the new session. */
async function signInWithPassword(app: HttpApp, email: string, password = PASSWORD) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { email, password },
  })
  assert.equal(response.statusCode, 200, response.body)
  const session = response.cookies.find((c) => c.name === 'aftercare_session')
  assert.ok(session, 'the session cookie is set')
  return {
    cookie: `aftercare_session=${session.value}`,
    csrfToken: response.json().csrfToken as string,
    response,
  }
}

for (const engine of testEngines()) {
  describe(`auth on ${engine}`, () => {
    let database: TestDatabase
    let app: HttpApp
    const apps: HttpApp[] = []
    const build = async (options: BuildAppOptions = {}, now?: () => Date) => {
      const built = await buildApp(createTestContext(database, now ? { now } : {}), {
        webDir: null,
        ...options,
      })
      apps.push(built)
      return built
    }
    /** Messages queued to the address, of any topic. */
    const mailCountTo = async (email: string): Promise<number> =>
      (await database.db.selectFrom('outbox_messages').select('id').where('recipient', '=', email).execute())
        .length

    before(async () => {
      database = await openTestDatabase(engine)
      app = await build()
    })
    after(async () => {
      for (const a of apps) await a.close()
      await database.dispose()
    })

    it('signs staff in with a password and sets a locked-down session cookie', async () => {
      const email = await seedStaffWithPassword(database.db)
      const { cookie, response } = await signInWithPassword(app, email)
      const session = response.cookies.find((c) => c.name === 'aftercare_session')
      assert.equal(session?.httpOnly, true)
      assert.equal(session?.sameSite, 'Lax')
      assert.ok(session?.expires instanceof Date && session.expires.getTime() > Date.now())
      const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })
      assert.equal(me.statusCode, 200)
      assert.equal(me.json().user.email, email)
      assert.equal(me.json().via, 'session')
    })

    it('sets the Secure flag unless the configuration serves plain HTTP', async () => {
      const secureApp = await buildApp(createTestContext(database, { config: { secureCookies: true } }), {
        webDir: null,
      })
      apps.push(secureApp)
      const email = await seedStaffWithPassword(database.db)
      const { response } = await signInWithPassword(secureApp, email)
      assert.equal(response.cookies.find((c) => c.name === 'aftercare_session')?.secure, true)
    })

    it('gives a new session id at every sign-in', async () => {
      const email = await seedStaffWithPassword(database.db)
      const first = await signInWithPassword(app, email)
      const second = await signInWithPassword(app, email)
      assert.notEqual(first.cookie, second.cookie)
    })

    it('refuses a wrong password and an unknown address with the same 401', async () => {
      const email = await seedStaffWithPassword(database.db)
      for (const payload of [
        { email, password: 'not the password' },
        { email: 'nobody@example.com', password: PASSWORD },
      ]) {
        const response = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload })
        assert.equal(response.statusCode, 401)
        assert.equal(response.json().error.message, 'The e-mail address or password is not right')
      }
    })

    it('answers 400 naming the field for a malformed sign-in', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: 'not-an-address', password: 'x' },
      })
      assert.equal(response.statusCode, 400)
      assert.equal(response.json().error.field, 'body.email')
    })

    it('shares sessions between two app instances over one database', async () => {
      const email = await seedStaffWithPassword(database.db)
      const { cookie } = await signInWithPassword(app, email)
      const second = database.reopen()
      const otherApp = await buildApp(createTestContext({ ...database, db: second.db }), { webDir: null })
      try {
        const me = await otherApp.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })
        assert.equal(me.statusCode, 200)
        assert.equal(me.json().user.email, email)
      } finally {
        await otherApp.close()
        await second.close()
      }
    })

    it('refuses a change through the cookie without the CSRF token, and signs out with it', async () => {
      const email = await seedStaffWithPassword(database.db)
      const { cookie, csrfToken } = await signInWithPassword(app, email)
      const refused = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie } })
      assert.equal(refused.statusCode, 403)
      assert.equal(refused.json().error.field, 'x-csrf-token')
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-out',
        headers: { cookie, 'x-csrf-token': `${csrfToken}x` },
      })
      assert.equal(wrong.statusCode, 403)
      const csrf = await app.inject({ method: 'GET', url: '/api/v1/auth/csrf', headers: { cookie } })
      assert.equal(csrf.json().csrfToken, csrfToken)
      const out = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-out',
        headers: { cookie, 'x-csrf-token': csrfToken },
      })
      assert.equal(out.statusCode, 204)
      const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })
      assert.equal(me.statusCode, 401)
    })

    it('ends a session after the idle timeout', async () => {
      const email = await seedStaffWithPassword(database.db)
      const { cookie } = await signInWithPassword(app, email)
      const later = new Date(Date.now() + 3 * 60 * 60 * 1000)
      const lateApp = await build()
      const lateCtxApp = await buildApp(createTestContext(database, { now: () => later }), { webDir: null })
      apps.push(lateCtxApp)
      assert.equal((await lateApp.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 200)
      assert.equal((await lateCtxApp.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 401)
    })

    it('answers 429 when sign-in attempts for one account exceed the limit', async () => {
      // Counters run in fixed windows of the app's clock: held still, a window cannot end mid-burst.
      const at = new Date()
      const limited = await build(
        { rateLimits: { signIn: { max: 5, windowMs: 60_000 }, signInAccount: { max: 2, windowMs: 60_000 } } },
        () => at,
      )
      const payload = { email: 'someone@example.com', password: 'guess' }
      const codes: number[] = []
      for (let i = 0; i < 3; i++) {
        codes.push(
          (await limited.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload })).statusCode,
        )
      }
      assert.deepEqual(codes, [401, 401, 429])
      const other = await limited.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { ...payload, email: 'another@example.com' },
      })
      assert.equal(
        other.statusCode,
        401,
        'another account has its own budget while the address is under its own',
      )
    })

    it('answers 401 to anonymous and 403 to the wrong role on user management', async () => {
      const dealer = await createTestUser(database.db, { role: 'dealer' })
      const payload = { email: 'new@example.com', name: 'New', role: 'support' }
      const anonymous = await app.inject({ method: 'POST', url: '/api/v1/users', payload })
      assert.equal(anonymous.statusCode, 401)
      const forbidden = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        payload,
        headers: dealer.headers,
      })
      assert.equal(forbidden.statusCode, 403)
      const list = await app.inject({ method: 'GET', url: '/api/v1/users', headers: dealer.headers })
      assert.equal(list.statusCode, 403)
    })

    it('lets an admin create and list users, naming the field of bad input', async () => {
      const admin = await createTestUser(database.db, { role: 'admin' })
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin.headers,
        payload: {
          email: 'Tech@Example.com',
          name: 'Tess Tech',
          role: 'technician',
          password: 'long enough pass',
        },
      })
      assert.equal(created.statusCode, 201, created.body)
      assert.equal(created.json().email, 'tech@example.com')
      const duplicate = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin.headers,
        payload: { email: 'tech@example.com', name: 'Again', role: 'technician' },
      })
      assert.equal(duplicate.statusCode, 409)
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin.headers,
        payload: { email: 'x@example.com', name: 'X', role: 'wizard' },
      })
      assert.equal(bad.statusCode, 400)
      assert.equal(bad.json().error.field, 'body.role')
      const dealerWithoutOrg = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin.headers,
        payload: { email: 'd@example.com', name: 'D', role: 'dealer' },
      })
      assert.equal(dealerWithoutOrg.statusCode, 400)
      assert.equal(dealerWithoutOrg.json().error.field, 'body.orgId')
      // Only a dealer acts for an organisation and only a customer for a customer: an account
      // of any other role tied to one would be read as acting for it; nothing is created.
      // A dealer user and a customer user bring an organisation and a registry customer along.
      const ties = async (role: 'dealer' | 'customer') =>
        database.db
          .selectFrom('users')
          .select(['org_id', 'customer_id'])
          .where('id', '=', (await createTestUser(database.db, { role })).userId)
          .executeTakeFirstOrThrow()
      const org = (await ties('dealer')).org_id ?? ''
      const customer = (await ties('customer')).customer_id ?? ''
      for (const [payload, field, key] of [
        [{ role: 'customer', customerId: customer, orgId: org }, 'body.orgId', 'auth.org-for-dealers'],
        [{ role: 'integration', orgId: org }, 'body.orgId', 'auth.org-for-dealers'],
        [{ role: 'support', customerId: customer }, 'body.customerId', 'auth.customer-for-customers'],
        [
          { role: 'dealer', orgId: org, customerId: customer },
          'body.customerId',
          'auth.customer-for-customers',
        ],
      ] as const) {
        const refused = await app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: admin.headers,
          payload: { email: 'tied@example.com', name: 'Tied', ...payload },
        })
        assert.equal(refused.statusCode, 400, refused.body)
        assert.deepEqual([refused.json().error.field, refused.json().error.messageKey], [field, key])
      }
      assert.equal(
        await database.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'tied@example.com')
          .executeTakeFirst(),
        undefined,
      )
      const list = await app.inject({
        method: 'GET',
        url: '/api/v1/users?role=technician',
        headers: admin.headers,
      })
      assert.equal(list.statusCode, 200)
      assert.ok(list.json().items.some((u: { email: string }) => u.email === 'tech@example.com'))
      assert.ok(list.json().items.every((u: { role: string }) => u.role === 'technician'))
      const signedIn = await signInWithPassword(app, 'tech@example.com', 'long enough pass')
      assert.ok(signedIn.cookie)
    })

    it('issues API keys to managers, authenticates with them, and stops them on revocation', async () => {
      const manager = await createTestUser(database.db, { role: 'manager' })
      const support = await createTestUser(database.db, { role: 'support' })
      const refused = await app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: support.headers,
        payload: { name: 'ERP' },
      })
      assert.equal(refused.statusCode, 403)
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: manager.headers,
        payload: { name: '' },
      })
      assert.equal(bad.statusCode, 400)
      assert.equal(bad.json().error.field, 'body.name')
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: manager.headers,
        payload: { name: 'ERP' },
      })
      assert.equal(created.statusCode, 201)
      const { id, key } = created.json() as { id: string; key: string }
      const keyHeaders = { authorization: `Bearer ${key}` }
      const me = await app.inject({ url: '/api/v1/auth/me', headers: keyHeaders })
      assert.equal(me.json().user.role, 'integration')
      assert.equal(me.json().via, 'api-key')
      const list = await app.inject({ url: '/api/v1/api-keys', headers: manager.headers })
      assert.ok(list.json().items.some((k: { id: string }) => k.id === id))
      assert.ok(!list.body.includes(key), 'the key itself is never listed')
      const revoked = await app.inject({
        method: 'DELETE',
        url: `/api/v1/api-keys/${id}`,
        headers: manager.headers,
      })
      assert.equal(revoked.statusCode, 204)
      assert.equal((await app.inject({ url: '/api/v1/auth/me', headers: keyHeaders })).statusCode, 401)
      const again = await app.inject({
        method: 'DELETE',
        url: `/api/v1/api-keys/${id}`,
        headers: manager.headers,
      })
      assert.equal(again.statusCode, 404)
    })

    it('signs a customer in by a one-time link read from the outbox', async () => {
      const email = `ada-${Math.random().toString(36).slice(2, 8)}@example.com`
      const customerId = await seedCustomer(database.db, email)
      const requested = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/link',
        payload: { email: email.toUpperCase(), locale: 'en' },
      })
      assert.equal(requested.statusCode, 202)
      const row = await database.db
        .selectFrom('outbox_messages')
        .selectAll()
        .where('recipient', '=', email)
        .where('topic', '=', 'auth.sign-in-link')
        .executeTakeFirstOrThrow()
      assert.equal(row.locale, 'en')
      const link = new URL(JSON.parse(row.payload).link as string)
      const token = link.searchParams.get('token')
      assert.ok(token)
      const consumed = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/link/consume',
        payload: { token },
      })
      assert.equal(consumed.statusCode, 200, consumed.body)
      assert.equal(consumed.json().user.customerId, customerId)
      const cookie = consumed.cookies.find((c) => c.name === 'aftercare_session')
      const me = await app.inject({
        url: '/api/v1/auth/me',
        headers: { cookie: `aftercare_session=${cookie?.value}` },
      })
      assert.equal(me.json().user.role, 'customer')
      const reused = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/link/consume',
        payload: { token },
      })
      assert.equal(reused.statusCode, 401, 'a link works once')
    })

    const signInLinkMail = (email: string) =>
      database.db
        .selectFrom('outbox_messages')
        .select(['id', 'locale'])
        .where('recipient', '=', email)
        .where('topic', '=', 'auth.sign-in-link')
        .executeTakeFirstOrThrow()
    const signInLinkLocales = async (email: string) =>
      (
        await database.db
          .selectFrom('outbox_messages')
          .select('locale')
          .where('recipient', '=', email)
          .where('topic', '=', 'auth.sign-in-link')
          .execute()
      )
        .map((r) => r.locale)
        .sort()

    for (const [account, browser] of [
      ['zh', 'en'],
      ['en', 'zh'],
    ] as const) {
      it(`writes the sign-in link in the account's language (${account}), not the browser's (${browser})`, async () => {
        const email = `lang-${account}-${Math.random().toString(36).slice(2, 8)}@example.com`
        await seedCustomer(database.db, email, account, true)
        const requested = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/link',
          payload: { email, locale: browser },
        })
        assert.equal(requested.statusCode, 202)
        const row = await signInLinkMail(email)
        assert.equal(row.locale, account)
        await deliverDueMessages(
          {
            db: database.db,
            engine: database.engine,
            config: loadConfig({}, { dataDir: database.dataDir, publicUrl: 'https://service.example.com' }),
          },
          { now: new Date(Date.now() + 60_000), workerId: 'lang-test', batchSize: 200 },
        )
        const mail = await simpleParser(
          fs.readFileSync(path.join(database.dataDir, 'outbox', `${row.id}.eml`)),
        )
        const chinese = /[\u4e00-\u9fff]/
        if (account === 'zh') assert.match(mail.subject ?? '', chinese)
        else assert.doesNotMatch(`${mail.subject}\n${mail.text}`, chinese)
        assert.match(String(mail.html), account === 'zh' ? /lang="zh-CN"/ : /lang="en"/)
      })
    }

    for (const browser of ['zh', 'en'] as const) {
      it(`writes the sign-in link in the browser's language (${browser}) to a customer who never chose one, until they choose`, async () => {
        const email = `unchosen-${browser}-${Math.random().toString(36).slice(2, 8)}@example.com`
        // Created by staff or an import without a language: stored as the default, English.
        await seedCustomer(database.db, email)
        const ask = () =>
          app.inject({ method: 'POST', url: '/api/v1/auth/link', payload: { email, locale: browser } })
        assert.equal((await ask()).statusCode, 202)
        const first = await database.db
          .selectFrom('outbox_messages')
          .select(['locale', 'payload'])
          .where('recipient', '=', email)
          .where('topic', '=', 'auth.sign-in-link')
          .executeTakeFirstOrThrow()
        assert.equal(first.locale, browser)
        const token = new URL(JSON.parse(first.payload).link as string).searchParams.get('token')
        const consumed = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/link/consume',
          payload: { token },
        })
        assert.equal(consumed.json().locale, null, 'the page keeps to the browser: the account never chose')
        const session = consumed.cookies.find((c) => c.name === 'aftercare_session')
        // The person now chooses the other language on their profile; links follow it from then on.
        const other = browser === 'zh' ? 'en' : 'zh'
        const chose = await app.inject({
          method: 'PATCH',
          url: '/api/v1/me/profile',
          headers: {
            cookie: `aftercare_session=${session?.value}`,
            'x-csrf-token': consumed.json().csrfToken,
          },
          payload: { locale: other },
        })
        assert.equal(chose.statusCode, 200, chose.body)
        assert.equal((await ask()).statusCode, 202)
        assert.deepEqual(await signInLinkLocales(email), [browser, other].sort())
      })
    }

    it('answers 202 to sign-in links asked for at once across instances, and only the newest works', async () => {
      const email = `race-${Math.random().toString(36).slice(2, 8)}@example.com`
      const customerId = await seedCustomer(database.db, email)
      const second = database.reopen()
      try {
        const apps = [
          await build({ rateLimits: false }),
          await buildApp(createTestContext({ ...database, db: second.db }), {
            webDir: null,
            rateLimits: false,
          }),
        ]
        try {
          const askAtOnce = () =>
            Promise.all(
              [0, 1, 2, 3, 4, 5].map((i) =>
                apps[i % 2]!.inject({ method: 'POST', url: '/api/v1/auth/link', payload: { email } }),
              ),
            )
          const validLinks = async () => {
            const rows = await database.db
              .selectFrom('sign_in_links as l')
              .innerJoin('users as u', 'u.id', 'l.user_id')
              .select('l.token_hash')
              .where('u.customer_id', '=', customerId)
              .where('l.used_at', 'is', null)
              .execute()
            return rows.length
          }
          // The customer never signed in: the first requests also make the user.
          const first = await askAtOnce()
          assert.deepEqual(
            first.map((r) => r.statusCode),
            [202, 202, 202, 202, 202, 202],
            first.map((r) => r.body).join('\n'),
          )
          const users = await database.db
            .selectFrom('users')
            .select('id')
            .where('email', '=', email)
            .execute()
          assert.equal(users.length, 1)
          assert.equal(await validLinks(), 1)
          const again = await askAtOnce()
          assert.ok(again.every((r) => r.statusCode === 202))
          assert.equal(await validLinks(), 1, 'only the newest link works')
        } finally {
          await apps[1]!.close()
        }
      } finally {
        await second.close()
      }
    })

    it('answers 202 without sending when the address belongs to a user who is not the customer', async () => {
      const email = await seedStaffWithPassword(database.db)
      await seedCustomer(database.db, email)
      const response = await app.inject({ method: 'POST', url: '/api/v1/auth/link', payload: { email } })
      assert.equal(response.statusCode, 202, response.body)
      assert.equal(await mailCountTo(email), 0)
    })

    it('takes an address with spaces around it alike for sign-in and sign-in links', async () => {
      const staff = await seedStaffWithPassword(database.db)
      const signedIn = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: `  ${staff.toUpperCase()} `, password: PASSWORD },
      })
      assert.equal(signedIn.statusCode, 200, signedIn.body)
      const customer = `padded-${Math.random().toString(36).slice(2, 8)}@example.com`
      await seedCustomer(database.db, customer)
      const linked = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/link',
        payload: { email: ` ${customer}  ` },
      })
      assert.equal(linked.statusCode, 202, linked.body)
      assert.equal(await mailCountTo(customer), 1)
    })

    it('answers 202 for an unknown address without sending anything', async () => {
      const email = 'stranger@example.com'
      const response = await app.inject({ method: 'POST', url: '/api/v1/auth/link', payload: { email } })
      assert.equal(response.statusCode, 202)
      assert.equal(await mailCountTo(email), 0)
      const bad = await app.inject({ method: 'POST', url: '/api/v1/auth/link', payload: { email: 'nope' } })
      assert.equal(bad.statusCode, 400)
      assert.equal(bad.json().error.field, 'body.email')
    })
  })
}
