import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { simpleParser } from 'mailparser'
import { remindQuotesNearLastDay } from '../../src/claims/quote-reminders.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { deliverDueMessages } from '../../src/notify/deliver-outbox.ts'
import { enqueueEmail } from '../../src/notify/index.ts'
import {
  act,
  addDays,
  type ClaimJson,
  type ClaimsWorld,
  inspectAndDecide,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedClaimAwaitingQuote,
  TODAY,
} from './claim-factories.ts'

const IST_MODEL = 'beijing-ist-ist-obspc-mini'
/** Noon, UTC, of a day: the same day in every zone the shipped policies count in. */
const noonOf = (day: string) => new Date(`${day}T12:00:00.000Z`)

/**
 * A stop made by the unsubscribe link of a mail holds at the address it reached, whoever is
 * written to there later: a buyer staff record a sale to under that address, in whatever case
 * they type it, gets no reminder, while mail about their claim itself still goes. A reminder
 * already waiting in the outbox when the link was followed is not sent either.
 */
for (const engine of testEngines()) {
  describe(`${engine}: an unsubscribe link stops reminders to the address for a buyer staff type in after it`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    const deliver = () =>
      deliverDueMessages(
        { db: world.database.db, engine: world.database.engine, config: world.ctx.config },
        { now: new Date(Date.now() + 60_000), workerId: 'stop-test', batchSize: 200 },
      )
    const reminderRows = (claimId: string) =>
      world.database.db
        .selectFrom('outbox_messages')
        .select(['id', 'recipient', 'status', 'last_error'])
        .where('claim_id', '=', claimId)
        .where('topic', '=', 'quote.last-day-near')
        .execute()

    async function quote(claim: ClaimJson) {
      await act(world, world.staff, claim.id, 'send-quote', {
        lines: [{ kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 50000 }],
        validDays: 7,
      })
      const stored = await world.database.db
        .selectFrom('claim_quotes')
        .select('valid_until')
        .where('claim_id', '=', claim.id)
        .executeTakeFirstOrThrow()
      assert.ok(stored.valid_until)
      return stored.valid_until
    }

    test('the link from a reminder stops reminders at its address; a buyer staff later type in there gets none, and a waiting one is not sent', async () => {
      const address = 'cus-alice@example.com'
      const first = await seedClaimAwaitingQuote(world)
      const lastDay = await quote(first)
      await remindQuotesNearLastDay(world.ctx, noonOf(addDays(lastDay, -1)))
      const [reminder] = await reminderRows(first.id)
      assert.equal(reminder?.recipient, address)
      // Another reminder to the address waits in the outbox while its reader follows the link.
      const waiting = await enqueueEmail(world.database.db, {
        to: address,
        person: { customerId: 'cus-alice' },
        template: 'quote.last-day-near',
        locale: 'en',
        claimId: 'claim-waiting',
        data: {
          claimNumber: 'C-2',
          quoteNumber: 'C-2-Q',
          currency: 'CNY',
          totalCustomerMinor: 4900,
          validUntil: lastDay,
          serial: 'SN-2',
        },
      })
      assert.ok(waiting)
      await world.database.db
        .updateTable('outbox_messages')
        .set({ next_attempt_at: new Date(Date.now() + 3_600_000).toISOString() })
        .where('id', '=', waiting)
        .execute()
      await deliver()
      const mail = await simpleParser(
        fs.readFileSync(path.join(world.ctx.config.dataDir, 'outbox', `${reminder?.id}.eml`)),
      )
      // The link at the foot of the mail, as its reader follows it: the page it opens confirms
      // by posting the link's token.
      const link = /href="([^"]*\/unsubscribe\?token=[^"]+)"/.exec(String(mail.html))?.[1]
      assert.ok(link, 'the reminder carries an unsubscribe link')
      const token = new URL(link.replaceAll('&amp;', '&')).searchParams.get('token') as string
      const stopped = await world.app.inject({
        method: 'POST',
        url: `/api/v1/mail/unsubscribe?token=${encodeURIComponent(token)}`,
      })
      assert.equal(stopped.statusCode, 200, stopped.body)

      // The waiting reminder is not sent now that its time comes.
      await world.database.db
        .updateTable('outbox_messages')
        .set({ next_attempt_at: new Date().toISOString() })
        .where('id', '=', waiting)
        .execute()
      await deliver()
      const held = await world.database.db
        .selectFrom('outbox_messages')
        .select(['status', 'last_error'])
        .where('id', '=', waiting)
        .executeTakeFirstOrThrow()
      assert.equal(held.status, 'failed')
      assert.match(held.last_error ?? '', /stopped/)
      assert.ok(!fs.existsSync(path.join(world.ctx.config.dataDir, 'outbox', `${waiting}.eml`)))

      // Alice moves; staff record a sale to a new buyer, typing the address she left.
      await world.database.db
        .updateTable('customers')
        .set({ email: 'alice-moved@example.com' })
        .where('id', '=', 'cus-alice')
        .execute()
      const serial = `IST-TYPED-${engine}`
      const sale = await world.app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: world.staff.headers,
        payload: {
          serial,
          model: IST_MODEL,
          purchasedOn: addDays(TODAY, -700),
          channel: 'direct',
          ownerEmail: address.toUpperCase(),
        },
      })
      assert.equal(sale.statusCode, 201, sale.body)
      const buyer = (sale.json() as { ownerCustomerId: string }).ownerCustomerId
      assert.ok(buyer && buyer !== 'cus-alice', 'a new customer, typed in by staff')
      const opened = await openClaimAs(world, world.staff, { ...openClaimBody(serial), customerId: buyer })
      const decided = await inspectAndDecide(world, opened.id, serial, IST_MODEL)
      const buyersLastDay = await quote(decided)
      const quoteMail = await world.database.db
        .selectFrom('outbox_messages')
        .select('recipient')
        .where('claim_id', '=', decided.id)
        .where('topic', '=', 'quote.sent')
        .execute()
      assert.equal(quoteMail.length, 1, 'the quote itself, mail about their claim, still goes')
      await remindQuotesNearLastDay(world.ctx, noonOf(addDays(buyersLastDay, -1)))
      assert.deepEqual(await reminderRows(decided.id), [], 'no reminder to the address the link stopped')
    })
  })
}
