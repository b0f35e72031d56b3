import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { type ParsedMail, simpleParser } from 'mailparser'
import { createTestContext } from '../app/test-context.ts'
import { createUser } from '../auth/index.ts'
import { createTestUser } from '../auth/test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import { toCustomerRow } from '../registry/index.ts'
import { loadConfig } from '../shared/config.ts'
import { deliverDueMessages } from './deliver-outbox.ts'
import { unsubscribeKey } from './mail-preferences.store.ts'
import { enqueueEmail } from './outbox.ts'
import { readUnsubscribeToken, signUnsubscribeToken } from './unsubscribe-token.ts'

const reminder = (to: string, locale: 'en' | 'zh' = 'en') => ({
  to,
  template: 'quote.last-day-near',
  locale,
  claimId: 'claim-1',
  data: {
    claimNumber: 'C-1',
    quoteNumber: 'C-1-Q',
    currency: 'EUR',
    totalCustomerMinor: 4900,
    validUntil: '2026-12-08',
    serial: 'SN-1',
  },
})
const reliabilityAlert = (to: string) => ({
  to,
  template: 'reliability.warning',
  locale: 'en' as const,
  data: {
    modelId: 'm1',
    modelName: 'Model One',
    scope: 'model',
    month: '2026-11',
    level: 'caution',
    observed: 9,
    expected: 2.5,
    pValue: 0.01,
    reference: 'fitted curve',
  },
})
const infoRequest = (to: string) => ({
  to,
  template: 'info.requested',
  locale: 'en' as const,
  claimId: 'claim-1',
  data: { claimNumber: 'C-1', request: 'A photo of the label, please.' },
})

describe('unsubscribe tokens', () => {
  const key = Buffer.alloc(32, 7)
  it('reads back what was signed, for any address, kind and language', () => {
    fc.assert(
      fc.property(
        fc.emailAddress(),
        fc.constantFrom('quote-reminders', 'reliability-alerts' as const),
        fc.constantFrom('en', 'zh' as const),
        (address, kind, locale) => {
          const claim = readUnsubscribeToken(key, signUnsubscribeToken(key, { address, kind, locale }))
          assert.deepEqual(claim, { address: address.toLowerCase(), kind, locale })
        },
      ),
    )
  })
  it('refuses a token changed in any character, or signed with another key', () => {
    const token = signUnsubscribeToken(key, {
      address: 'a@example.com',
      kind: 'quote-reminders',
      locale: 'en',
    })
    assert.equal(readUnsubscribeToken(Buffer.alloc(32, 8), token), null)
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...'abcXYZ019-_.'), (at, replacement) => {
        fc.pre(token[at] !== replacement)
        const changed = token.slice(0, at) + replacement + token.slice(at + 1)
        const claim = readUnsubscribeToken(key, changed)
        // base64url has padding bits: a last character may change without changing the bytes.
        if (claim !== null) assert.deepEqual(claim, readUnsubscribeToken(key, token))
      }),
    )
  })
})

/** The `List-Unsubscribe` header as sent (unfolded); mailparser reads it into parts of its own. */
const rawHeader = (mail: ParsedMail, name: string): string =>
  (mail.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? '')
    .replace(new RegExp(`^${name}:\\s*`, 'i'), '')
    .replace(/\r?\n[ \t]+/g, '')
const listUnsubscribe = (mail: ParsedMail): string => rawHeader(mail, 'List-Unsubscribe')

for (const engine of testEngines()) {
  describe(`optional mail and unsubscribing (${engine})`, () => {
    let database: TestDatabase
    let app: HttpApp
    const config = () =>
      loadConfig({}, { dataDir: database.dataDir, publicUrl: 'https://service.example.com' })
    const deliverAndRead = async (id: string | null) => {
      assert.ok(id, 'the message was written to the outbox')
      await deliverDueMessages(
        { db: database.db, engine: database.engine, config: config() },
        { now: new Date(Date.now() + 60_000), workerId: 'prefs-test', batchSize: 200 },
      )
      return simpleParser(fs.readFileSync(path.join(database.dataDir, 'outbox', `${id}.eml`)))
    }
    const unsubscribe = (token: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/mail/unsubscribe?token=${encodeURIComponent(token)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      })
    before(async () => {
      database = await openTestDatabase(engine)
      app = await buildApp(createTestContext(database), { webDir: null })
    })
    after(async () => {
      await app.close()
      await database.dispose()
    })

    it('a reminder carries a one-click List-Unsubscribe that stops reminders, while claim mail still goes', async () => {
      const address = `Buyer-${Date.now()}@Example.com`
      const first = await deliverAndRead(await enqueueEmail(database.db, reminder(address, 'zh')))
      const header = listUnsubscribe(first)
      const oneClick = /^<(https:\/\/service\.example\.com\/api\/v1\/mail\/unsubscribe\?token=[^>]+)>$/.exec(
        header,
      )
      assert.ok(oneClick, header)
      assert.equal(rawHeader(first, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click')
      // The link at the foot opens the page, in the mail's language.
      assert.match(
        String(first.html),
        /href="https:\/\/service\.example\.com\/unsubscribe\?token=[^"]+&amp;lang=zh"/,
      )
      assert.match(first.text ?? '', /退订此类邮件/)

      const token = new URL(oneClick[1] as string).searchParams.get('token') as string
      const stopped = await unsubscribe(token)
      assert.equal(stopped.statusCode, 200, stopped.body)
      assert.deepEqual(stopped.json(), {
        kind: 'quote-reminders',
        address: address.toLowerCase(),
        locale: 'zh',
        stopped: true,
      })
      assert.equal((await unsubscribe(token)).statusCode, 200, 'a second click changes nothing')

      assert.equal(
        await enqueueEmail(database.db, reminder(address.toUpperCase())),
        null,
        'no more reminders',
      )
      const claimMail = await deliverAndRead(await enqueueEmail(database.db, infoRequest(address)))
      assert.equal(listUnsubscribe(claimMail), '', 'claim mail cannot be stopped')
      assert.match(claimMail.subject ?? '', /C-1/)
    })

    it('refuses a forged token, and one rewritten for another address, naming the field', async () => {
      const victim = `victim-${Date.now()}@example.com`
      const mail = await deliverAndRead(
        await enqueueEmail(database.db, reminder(`attacker-${Date.now()}@example.com`)),
      )
      const token = new URL(/<([^>]+)>/.exec(listUnsubscribe(mail))?.[1] as string).searchParams.get(
        'token',
      ) as string
      const [version, body, signature] = token.split('.')
      const claim = JSON.parse(Buffer.from(body as string, 'base64url').toString('utf8'))
      const rewritten = Buffer.from(JSON.stringify({ ...claim, a: victim })).toString('base64url')
      const otherKind = Buffer.from(JSON.stringify({ ...claim, k: 'reliability-alerts' })).toString(
        'base64url',
      )
      const forgedKey = signUnsubscribeToken(Buffer.alloc(32, 1), {
        address: victim,
        kind: 'quote-reminders',
        locale: 'en',
      })
      for (const bad of [
        `${version}.${rewritten}.${signature}`,
        `${version}.${otherKind}.${signature}`,
        forgedKey,
        'u1.garbage.garbage',
        token.slice(0, -3),
      ]) {
        const refused = await unsubscribe(bad)
        assert.equal(refused.statusCode, 400, bad)
        assert.match(refused.json().error.field, /(^|\.)token$/, refused.body)
      }
      assert.ok(await enqueueEmail(database.db, reminder(victim)), 'the victim still gets reminders')
    })

    const signInHeaders = async (email: string, password: string) => {
      const signIn = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email, password },
      })
      assert.equal(signIn.statusCode, 200, signIn.body)
      return {
        cookie: signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
        'x-csrf-token': (signIn.json() as { csrfToken: string }).csrfToken,
      }
    }
    const oneClickToken = (mail: ParsedMail) =>
      new URL(/<([^>]+)>/.exec(listUnsubscribe(mail))?.[1] as string).searchParams.get('token') as string
    const seedCustomer = async (email: string) => {
      const id = `cus-${Math.random().toString(36).slice(2, 10)}`
      await database.db
        .insertInto('customers')
        .values(toCustomerRow(id, { name: 'Li Wei', email }, new Date().toISOString()))
        .execute()
      return id
    }

    it("a customer's stopped reminders follow them to a new address, and stay stopped at the address the link reached", async () => {
      const stamp = Date.now()
      const oldAddress = `old-${stamp}@example.com`
      const newAddress = `new-${stamp}@example.com`
      const person = { customerId: `cus-moving-${stamp}` }
      const first = await deliverAndRead(await enqueueEmail(database.db, { ...reminder(oldAddress), person }))
      assert.equal((await unsubscribe(oneClickToken(first))).statusCode, 200)
      assert.equal(
        await enqueueEmail(database.db, { ...reminder(newAddress), person }),
        null,
        'the choice went with the customer to their new address',
      )
      // Whoever reads the old address now asked, through the link, for no more reminders there;
      // signed in as its holder they may turn them back on.
      assert.equal(
        await enqueueEmail(database.db, {
          ...reminder(oldAddress),
          person: { customerId: `cus-next-${stamp}` },
        }),
        null,
        'the address the link was sent to gets no more reminders, whoever they are for',
      )
    })

    it('a link stops optional mail at its address for whoever staff or a dealer typed the address for; mail about a claim still goes', async () => {
      const stamp = Date.now()
      const address = `shared-${stamp}@example.com`
      const firstBuyer = await seedCustomer(address)
      const first = await deliverAndRead(
        await enqueueEmail(database.db, { ...reminder(address), person: { customerId: firstBuyer } }),
      )
      assert.equal((await unsubscribe(oneClickToken(first))).statusCode, 200)
      // The first buyer moves; a dealer registers a second buyer under the address they left.
      await database.db
        .updateTable('customers')
        .set({ email: `moved-${stamp}@example.com` })
        .where('id', '=', firstBuyer)
        .execute()
      const secondBuyer = await seedCustomer(address.toUpperCase())
      assert.equal(
        await enqueueEmail(database.db, { ...reminder(address), person: { customerId: secondBuyer } }),
        null,
        'a reminder for the buyer the dealer typed the address for',
      )
      assert.equal(await enqueueEmail(database.db, reminder(address)), null, 'a reminder naming nobody')
      const claimMail = await deliverAndRead(await enqueueEmail(database.db, infoRequest(address)))
      assert.match(claimMail.subject ?? '', /C-1/, 'mail about a claim is not optional')
      assert.ok(
        await enqueueEmail(database.db, {
          ...reliabilityAlert(address),
          person: { userId: `user-${stamp}` },
        }),
        'only the kind the link stopped',
      )
    })

    it('the signed-in holder of an address sees a stop made there by link, and may lift it', async () => {
      const stamp = Date.now()
      const address = `holder-${stamp}@example.com`
      const first = await deliverAndRead(
        await enqueueEmail(database.db, {
          ...reminder(address),
          person: { customerId: `cus-gone-${stamp}` },
        }),
      )
      assert.equal((await unsubscribe(oneClickToken(first))).statusCode, 200)
      const password = 'a long enough password 1'
      await createUser(
        database.db,
        { email: address, name: 'Hal Holder', role: 'manager', password },
        new Date(),
      )
      const headers = await signInHeaders(address, password)
      const read = await app.inject({ url: '/api/v1/me/mail-preferences', headers })
      assert.deepEqual(read.json(), { 'quote-reminders': false, 'reliability-alerts': true })
      const back = await app.inject({
        method: 'PUT',
        url: '/api/v1/me/mail-preferences',
        headers,
        payload: { 'quote-reminders': true },
      })
      assert.deepEqual(back.json(), { 'quote-reminders': true, 'reliability-alerts': true })
      assert.ok(
        await enqueueEmail(database.db, {
          ...reminder(address),
          person: { customerId: `cus-next-${stamp}` },
        }),
        'the holder turned reminders back on at their address',
      )
    })

    it('a link sent before choices were kept by person stops the mail of the person the address belongs to', async () => {
      const stamp = Date.now()
      const address = `linked-${stamp}@example.com`
      const customerId = await seedCustomer(address)
      // Such a link names only the address.
      const token = signUnsubscribeToken(await unsubscribeKey(database.db), {
        address,
        kind: 'quote-reminders',
        locale: 'en',
      })
      assert.equal((await unsubscribe(token)).statusCode, 200)
      assert.equal(
        await enqueueEmail(database.db, {
          ...reminder(`moved-${stamp}@example.com`),
          person: { customerId },
        }),
        null,
      )
    })

    it('lets a signed-in person read and change their choices; API keys may not', async () => {
      const email = `manager-${Date.now()}@example.com`
      const password = 'a long enough password 1'
      await createUser(database.db, { email, name: 'Mia Manager', role: 'manager', password }, new Date())
      const signIn = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email, password },
      })
      assert.equal(signIn.statusCode, 200, signIn.body)
      const headers = {
        cookie: signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
        'x-csrf-token': (signIn.json() as { csrfToken: string }).csrfToken,
      }
      const read = await app.inject({ url: '/api/v1/me/mail-preferences', headers })
      assert.deepEqual(read.json(), { 'quote-reminders': true, 'reliability-alerts': true })
      const changed = await app.inject({
        method: 'PUT',
        url: '/api/v1/me/mail-preferences',
        headers,
        payload: { 'reliability-alerts': false },
      })
      assert.equal(changed.statusCode, 200, changed.body)
      assert.deepEqual(changed.json(), { 'quote-reminders': true, 'reliability-alerts': false })
      const alert = {
        to: email,
        template: 'reliability.warning',
        locale: 'en' as const,
        data: {
          modelId: 'm1',
          modelName: 'Model One',
          scope: 'model',
          month: '2026-11',
          level: 'caution',
          observed: 9,
          expected: 2.5,
          pValue: 0.01,
          reference: 'fitted curve',
        },
      }
      assert.equal(await enqueueEmail(database.db, alert), null)
      const bad = await app.inject({
        method: 'PUT',
        url: '/api/v1/me/mail-preferences',
        headers,
        payload: { 'reliability-alerts': 'no' },
      })
      assert.equal(bad.statusCode, 400, bad.body)
      const back = await app.inject({
        method: 'PUT',
        url: '/api/v1/me/mail-preferences',
        headers,
        payload: { 'reliability-alerts': true },
      })
      assert.deepEqual(back.json(), { 'quote-reminders': true, 'reliability-alerts': true })
      assert.ok(await enqueueEmail(database.db, alert), 'alerts come again once turned back on')

      const key = (await createTestUser(database.db, { role: 'customer' })).headers
      const byKey = await app.inject({ url: '/api/v1/me/mail-preferences', headers: key })
      assert.equal(byKey.statusCode, 403, byKey.body)
    })
  })
}
