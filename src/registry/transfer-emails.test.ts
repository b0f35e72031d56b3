import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { uploadProofOfPurchase } from '../files/proof-upload.test-support.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import { renderEmail } from '../notify/domain/render-email.ts'
import type { AppContext } from '../shared/app-context.ts'
import { ORG } from './demo-catalogue.ts'
import { seedDemoRegistry } from './demo-seed.ts'

const TODAY = new Date('2025-06-15T10:00:00Z')

/** A Player One camera sold directly on 2 January 2025. */
function aSale(serial: string, overrides: Record<string, unknown> = {}) {
  return { serial, model: 'ares-mpro', purchasedOn: '2025-01-02', channel: 'direct', ...overrides }
}

/**
 * The e-mails a staff transfer queues: the new owner is told the unit is theirs, and the buyer
 * of an offer the transfer clears is told, in their own language, that it can no longer be
 * accepted, without a word of who has the unit now.
 */
for (const engine of testEngines()) {
  describe(`staff transfer e-mails (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    let app: HttpApp
    let staff: Record<string, string>

    before(async () => {
      database = await openTestDatabase(engine)
      ctx = createTestContext(database, { now: () => TODAY })
      await seedDemoRegistry(ctx)
      app = await buildApp(ctx)
      staff = (await createTestUser(ctx.db, { role: 'technician' })).headers
    })
    after(async () => {
      await app.close()
      await database.dispose()
    })

    const post = (url: string, headers: Record<string, string>, payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url, headers, payload })

    /** A customer who owns a unit registered for this test, and their sign-in. */
    async function anOwner(serial: string, name: string) {
      const { headers } = await createTestUser(ctx.db, { role: 'customer', customerId: `cus-${serial}` })
      await ctx.db.updateTable('customers').set({ name }).where('id', '=', `cus-${serial}`).execute()
      const proofFileId = await uploadProofOfPurchase(app, headers)
      const registered = await post('/api/v1/units', headers, aSale(serial, { proofFileId }))
      assert.equal(registered.statusCode, 201, registered.body)
      return { id: `cus-${serial}`, headers }
    }

    // Set on the customer's profile: their own choice, which their mail follows.
    const setLocale = (email: string, locale: 'en' | 'zh') =>
      ctx.db
        .updateTable('customers')
        .set({ locale, locale_chosen_at: new Date().toISOString() })
        .where('email', '=', email)
        .execute()

    const mailOf = (serial: string, topic: string) =>
      ctx.db
        .selectFrom('outbox_messages')
        .select(['recipient', 'locale', 'payload', 'claim_id'])
        .where('topic', '=', topic)
        .where('payload', 'like', `%${serial}%`)
        .execute()

    /** The message as its recipient reads it, subject and body. */
    const readMail = (
      row: { payload: string; locale: string | null },
      template: 'unit.offer-withdrawn' | 'unit.transferred-away' = 'unit.offer-withdrawn',
    ) => {
      const mail = renderEmail(template, row.locale === 'zh' ? 'zh' : 'en', JSON.parse(row.payload), {
        publicUrl: 'https://service.example.com',
        claimId: null,
      })
      return `${mail.subject}\n${mail.text}\n${mail.html}`
    }

    test('the buyer of a cleared offer is told once, in Chinese, naming no new owner; the new owner is told the unit is theirs', async () => {
      const serial = 'PO-MAIL-ZH'
      const owner = await anOwner(serial, 'Wang Fang')
      const offered = await post(`/api/v1/units/${serial}/transfers`, owner.headers, {
        toEmail: 'zh.buyer@example.com',
        toName: 'Li Wei',
      })
      assert.equal(offered.statusCode, 201, offered.body)
      // The buyer reads their mail in Chinese (set on their profile after the offer came).
      await setLocale('zh.buyer@example.com', 'zh')

      const moved = await post(`/api/v1/units/${serial}/transfers`, staff, {
        toEmail: 'Third.Party@Example.com',
        toName: 'Zhao Gang',
        transferredOn: '2025-06-01',
        fromCustomerId: owner.id,
      })
      assert.equal(moved.statusCode, 201, moved.body)
      const newOwnerId = moved.json().toCustomerId as string

      const withdrawn = await mailOf(serial, 'unit.offer-withdrawn')
      assert.equal(withdrawn.length, 1, 'queued once')
      const [mail] = withdrawn
      assert.ok(mail)
      assert.equal(mail.recipient, 'zh.buyer@example.com', 'to the buyer who was offered the unit')
      assert.equal(mail.locale, 'zh', 'in the buyer’s language')
      assert.equal(mail.claim_id, null)
      const payload = JSON.parse(mail.payload)
      assert.equal(payload.offerKind, 'second-hand')
      assert.equal(payload.offeredBy, 'Wang Fang', 'the owner who made the offer, whom the buyer knows')
      assert.equal(payload.serial, serial)
      const text = readMail(mail)
      assert.match(text, /已登记该设备的所有者变更/)
      assert.match(text, /Wang Fang/)
      for (const leak of ['third.party@example.com', 'Third.Party', 'Zhao Gang', newOwnerId, '2025-06-01'])
        assert.ok(!mail.payload.includes(leak) && !text.includes(leak), `the e-mail says nothing of ${leak}`)
      assert.ok(!text.includes('2025年6月1日'), 'nor the day the unit changed hands')

      const toNewOwner = await mailOf(serial, 'unit.transferred')
      assert.equal(toNewOwner.length, 1, 'the new owner is told once')
      assert.equal(toNewOwner[0]?.recipient, 'third.party@example.com')
      assert.equal(
        toNewOwner[0]?.locale,
        'en',
        'a customer made now, with nothing of their own to go by, reads English: the seller’s country says nothing of theirs',
      )
      const told = JSON.parse(toNewOwner[0]?.payload ?? '{}')
      assert.equal(told.transferredOn, '2025-06-01')
      assert.equal(told.recipientName, 'Zhao Gang')
      assert.ok(!(toNewOwner[0]?.payload ?? '').includes('Wang Fang'), 'the former owner is not named')
      const unit = await app.inject({ url: `/api/v1/units/${serial}`, headers: staff })
      assert.equal(unit.json().pendingOffer, null)
    })

    test('an English buyer is told in English; a refused transfer queues nothing', async () => {
      const serial = 'PO-MAIL-EN'
      const owner = await anOwner(serial, 'Anna Berg')
      assert.equal(
        (
          await post(`/api/v1/units/${serial}/transfers`, owner.headers, {
            toEmail: 'en.buyer@example.com',
            toLocale: 'en',
          })
        ).statusCode,
        201,
      )
      // A clerk working from a page that showed another owner moves nothing and tells nobody.
      const stale = await post(`/api/v1/units/${serial}/transfers`, staff, {
        toEmail: 'other.owner@example.com',
        fromCustomerId: 'cus-someone-else',
      })
      assert.equal(stale.statusCode, 409, stale.body)
      assert.equal(stale.json().error.messageKey, 'registry.transfer.owner-changed')
      assert.deepEqual(await mailOf(serial, 'unit.offer-withdrawn'), [])
      assert.deepEqual(await mailOf(serial, 'unit.transferred'), [])

      const moved = await post(`/api/v1/units/${serial}/transfers`, staff, {
        toEmail: 'other.owner@example.com',
        toName: 'Olga Owner',
        fromCustomerId: owner.id,
      })
      assert.equal(moved.statusCode, 201, moved.body)
      const withdrawn = await mailOf(serial, 'unit.offer-withdrawn')
      assert.deepEqual(
        withdrawn.map((m) => [m.recipient, m.locale]),
        [['en.buyer@example.com', 'en']],
      )
      const text = readMail(withdrawn[0] as { payload: string; locale: string })
      assert.match(
        text,
        /On 15 June 2025, Anna Berg offered to pass on an? \S.* \(serial PO-MAIL-EN\) to you\./,
      )
      assert.match(text, /has recorded a change of owner for this unit, so it can no longer be accepted/)
      for (const leak of ['other.owner@example.com', 'Olga Owner', moved.json().toCustomerId])
        assert.ok(!withdrawn[0]?.payload.includes(leak) && !text.includes(leak), leak)
      // A second click from the same page is refused and tells nobody again.
      const again = await post(`/api/v1/units/${serial}/transfers`, staff, {
        toEmail: 'other.owner@example.com',
        fromCustomerId: owner.id,
      })
      assert.equal(again.statusCode, 409)
      assert.equal((await mailOf(serial, 'unit.offer-withdrawn')).length, 1)
      assert.equal((await mailOf(serial, 'unit.transferred')).length, 1)
    })

    test('staff recording the offered buyer as owner tell them the unit is theirs, not that the offer went', async () => {
      const serial = 'PO-MAIL-SAME'
      const owner = await anOwner(serial, 'Ben Seller')
      await post(`/api/v1/units/${serial}/transfers`, owner.headers, { toEmail: 'same.buyer@example.com' })
      await setLocale('same.buyer@example.com', 'zh')
      const moved = await post(`/api/v1/units/${serial}/transfers`, staff, {
        toEmail: 'same.buyer@example.com',
        fromCustomerId: owner.id,
      })
      assert.equal(moved.statusCode, 201, moved.body)
      assert.deepEqual(await mailOf(serial, 'unit.offer-withdrawn'), [])
      const told = await mailOf(serial, 'unit.transferred')
      assert.deepEqual(
        told.map((m) => [m.recipient, m.locale]),
        [['same.buyer@example.com', 'zh']],
      )
    })

    test('the buyer a dealer recorded a sale to is told the dealer’s offer went when staff give the unit to someone else', async () => {
      const serial = 'PO-MAIL-DLR'
      const dealer = (await createTestUser(ctx.db, { role: 'dealer', orgId: ORG.starlight })).headers
      const sold = await post('/api/v1/units', dealer, {
        ...aSale(serial, { channel: 'dealer' }),
        ownerEmail: 'dealer.buyer@example.com',
      })
      assert.equal(sold.statusCode, 201, sold.body)
      const moved = await post(`/api/v1/units/${serial}/transfers`, staff, {
        toEmail: 'real.owner@example.com',
        fromCustomerId: null,
      })
      assert.equal(moved.statusCode, 201, moved.body)
      const withdrawn = await mailOf(serial, 'unit.offer-withdrawn')
      assert.deepEqual(
        withdrawn.map((m) => m.recipient),
        ['dealer.buyer@example.com'],
      )
      const payload = JSON.parse(withdrawn[0]?.payload ?? '{}')
      assert.equal(payload.offerKind, 'sale')
      assert.equal(payload.offeredBy, sold.json().dealer.name)
      assert.ok(!withdrawn[0]?.payload.includes('real.owner'))
    })

    test('the former owner is told, in their language, the day the unit left them, and nothing of who has it', async () => {
      const serial = 'PO-MAIL-AWAY'
      const owner = await anOwner(serial, 'Chen Jing')
      const ownerEmail = (
        await ctx.db
          .selectFrom('customers')
          .select('email')
          .where('id', '=', owner.id)
          .executeTakeFirstOrThrow()
      ).email
      await setLocale(ownerEmail, 'zh')
      const moved = await post(`/api/v1/units/${serial}/transfers`, staff, {
        toEmail: 'next.owner@example.com',
        toName: 'Olaf Next',
        transferredOn: '2025-06-10',
        fromCustomerId: owner.id,
      })
      assert.equal(moved.statusCode, 201, moved.body)
      const away = await mailOf(serial, 'unit.transferred-away')
      assert.deepEqual(
        away.map((m) => [m.recipient, m.locale]),
        [[ownerEmail, 'zh']],
      )
      const text = readMail(away[0] as { payload: string; locale: string }, 'unit.transferred-away')
      assert.match(text, /已于2025年6月10日转给新的所有者/)
      for (const leak of ['next.owner@example.com', 'Olaf Next', moved.json().toCustomerId])
        assert.ok(
          !away[0]?.payload.includes(leak) && !text.includes(leak),
          `the e-mail says nothing of ${leak}`,
        )
      // A unit that had no owner leaves nobody to tell.
      const unowned = 'PO-MAIL-NOBODY'
      const sold = await post('/api/v1/units', staff, aSale(unowned))
      assert.equal(sold.statusCode, 201, sold.body)
      const first = await post(`/api/v1/units/${unowned}/transfers`, staff, {
        toEmail: 'first.owner@example.com',
        fromCustomerId: null,
      })
      assert.equal(first.statusCode, 201, first.body)
      assert.deepEqual(await mailOf(unowned, 'unit.transferred-away'), [])
    })

    test('an offer withdrawn by its owner, or by staff, is told to its buyer once; nothing to withdraw tells nobody', async () => {
      const serial = 'PO-MAIL-BACK'
      const owner = await anOwner(serial, 'Dora Owner')
      const offer = () =>
        post(`/api/v1/units/${serial}/transfers`, owner.headers, { toEmail: 'wait.buyer@example.com' })
      const withdraw = (headers: Record<string, string>) =>
        app.inject({ method: 'DELETE', url: `/api/v1/units/${serial}/transfers/pending`, headers })
      assert.equal((await offer()).statusCode, 201)
      await setLocale('wait.buyer@example.com', 'zh')
      assert.equal((await withdraw(owner.headers)).statusCode, 204)
      let told = await mailOf(serial, 'unit.offer-withdrawn')
      assert.deepEqual(
        told.map((m) => [m.recipient, m.locale]),
        [['wait.buyer@example.com', 'zh']],
      )
      assert.equal(JSON.parse(told[0]?.payload ?? '{}').reason, 'withdrawn')
      const text = readMail(told[0] as { payload: string; locale: string })
      assert.match(text, /该转让已撤回，因此无法再接受/)
      assert.doesNotMatch(text, /所有者变更/, 'no change of owner is claimed: the owner kept the unit')

      assert.equal((await withdraw(owner.headers)).statusCode, 404, 'nothing left to withdraw')
      assert.equal((await mailOf(serial, 'unit.offer-withdrawn')).length, 1, 'and nobody told twice')

      assert.equal((await offer()).statusCode, 201)
      assert.equal((await withdraw(staff)).statusCode, 204)
      told = await mailOf(serial, 'unit.offer-withdrawn')
      assert.equal(told.length, 2, 'staff withdrawing it tell the buyer too')
    })

    test("an owner who names no language offers the unit in their own: a Chinese owner's buyer new to us is written to in Chinese", async () => {
      const serial = 'PO-MAIL-OWNLANG'
      const owner = await anOwner(serial, '王芳')
      await ctx.db
        .updateTable('customers')
        .set({ locale: 'zh', locale_chosen_at: new Date().toISOString() })
        .where('id', '=', owner.id)
        .execute()
      // The web's pass-on form asks for the buyer's address and name only.
      const offered = await post(`/api/v1/units/${serial}/transfers`, owner.headers, {
        toEmail: 'ownlang.buyer@example.com',
      })
      assert.equal(offered.statusCode, 201, offered.body)
      const mails = await mailOf(serial, 'unit.offered')
      assert.deepEqual(
        mails.map((m) => [m.recipient, m.locale]),
        [['ownlang.buyer@example.com', 'zh']],
      )
      const buyer = await ctx.db
        .selectFrom('customers')
        .select(['locale', 'locale_chosen_at'])
        .where('email', '=', 'ownlang.buyer@example.com')
        .executeTakeFirstOrThrow()
      assert.equal(buyer.locale, 'zh', 'and so is the rest of their mail')
      // A guess from the owner's language, not the buyer's choice: their sign-in link follows their browser.
      assert.equal(buyer.locale_chosen_at, null)
    })

    test('the new owner reads their mail in the language given when the transfer makes them a customer; one we know keeps theirs', async () => {
      const serial = 'PO-MAIL-LANG'
      const owner = await anOwner(serial, 'Lin Owner')
      // The owner's offer to someone new: the offer itself is read in the language given.
      const offered = await post(`/api/v1/units/${serial}/transfers`, owner.headers, {
        toEmail: 'lang.buyer@example.com',
        toLocale: 'zh',
      })
      assert.equal(offered.statusCode, 201, offered.body)
      const offerMail = await ctx.db
        .selectFrom('outbox_messages')
        .select(['recipient', 'locale'])
        .where('topic', '=', 'unit.offered')
        .where('recipient', '=', 'lang.buyer@example.com')
        .execute()
      assert.deepEqual(
        offerMail.map((m) => m.locale),
        ['zh'],
      )
      const named = await ctx.db
        .selectFrom('customers')
        .select(['locale_chosen_at', 'locale_guessed_at'])
        .where('email', '=', 'lang.buyer@example.com')
        .executeTakeFirstOrThrow()
      // The owner's word for the buyer, not the buyer's own: a guess their choice replaces.
      assert.equal(named.locale_chosen_at, null)
      assert.ok(named.locale_guessed_at)
      assert.equal(
        (
          await app.inject({
            method: 'DELETE',
            url: `/api/v1/units/${serial}/transfers/pending`,
            headers: staff,
          })
        ).statusCode,
        204,
      )
      // Staff give it to someone new in Chinese, then on to a customer we know, who chose English.
      const first = await post(`/api/v1/units/${serial}/transfers`, staff, {
        toEmail: 'lang.new@example.com',
        toLocale: 'zh',
        fromCustomerId: owner.id,
      })
      assert.equal(first.statusCode, 201, first.body)
      const second = await post(`/api/v1/units/${serial}/transfers`, staff, {
        toEmail: 'lang.buyer@example.com',
        toLocale: 'en',
        fromCustomerId: first.json().toCustomerId,
      })
      assert.equal(second.statusCode, 201, second.body)
      const back = await post(`/api/v1/units/${serial}/transfers`, staff, {
        toEmail: 'lang.new@example.com',
        toLocale: 'en',
        fromCustomerId: second.json().toCustomerId,
      })
      assert.equal(back.statusCode, 201, back.body)
      assert.deepEqual(
        (await mailOf(serial, 'unit.transferred')).map((m) => [m.recipient, m.locale]),
        [
          ['lang.new@example.com', 'zh'],
          ['lang.buyer@example.com', 'zh'],
          ['lang.new@example.com', 'zh'],
        ],
        'made a customer in Chinese, each keeps Chinese whatever a later transfer says',
      )
      const refused = await post(`/api/v1/units/${serial}/transfers`, staff, {
        toEmail: 'lang.other@example.com',
        toLocale: 'fr',
      })
      assert.equal(refused.statusCode, 400)
      assert.equal(refused.json().error.field, 'body.toLocale')
    })
  })
}
