import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { remindQuotesNearLastDay } from '../../src/claims/quote-reminders.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { act, addDays, type ClaimsWorld, openClaimsWorld, seedClaimAwaitingQuote } from './claim-factories.ts'

/** Noon, UTC, of a day: the same day in every zone the shipped policies count in. */
const noonOf = (day: string) => new Date(`${day}T12:00:00.000Z`)

for (const engine of testEngines()) {
  describe(`${engine}: the customer is reminded once before a quote's last day`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    async function quoted(validDays: number) {
      const decided = await seedClaimAwaitingQuote(world)
      const claim = await act(world, world.staff, decided.id, 'send-quote', {
        lines: [{ kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 50000 }],
        validDays,
      })
      const stored = await world.database.db
        .selectFrom('claim_quotes')
        .select(['id', 'valid_until'])
        .where('claim_id', '=', claim.id)
        .executeTakeFirstOrThrow()
      assert.ok(stored.valid_until)
      return { claim, quoteId: stored.id, lastDay: stored.valid_until }
    }

    const reminders = (claimId: string) =>
      world.database.db
        .selectFrom('outbox_messages')
        .select(['recipient', 'locale', 'payload'])
        .where('claim_id', '=', claimId)
        .where('topic', '=', 'quote.last-day-near')
        .execute()

    const remindAt = (at: Date) => remindQuotesNearLastDay(world.ctx, at)

    test('on the day before the last day, not before it, and never twice', async () => {
      const sentAt = world.clock.now
      const { claim, lastDay } = await quoted(7)
      await remindAt(sentAt)
      await remindAt(noonOf(addDays(lastDay, -2)))
      assert.equal((await reminders(claim.id)).length, 0, 'not while the quote has days to run')

      await remindAt(noonOf(addDays(lastDay, -1)))
      const sent = await reminders(claim.id)
      assert.equal(sent.length, 1)
      const customer = await world.database.db
        .selectFrom('customers')
        .select(['email', 'locale'])
        .where('id', '=', 'cus-alice')
        .executeTakeFirstOrThrow()
      assert.equal(sent[0]?.recipient, customer.email)
      const data = JSON.parse(sent[0]?.payload ?? '{}') as Record<string, unknown>
      assert.equal(data.validUntil, lastDay)
      assert.equal(data.totalCustomerMinor, 50000)

      await remindAt(noonOf(addDays(lastDay, -1)))
      await remindAt(noonOf(lastDay))
      assert.equal((await reminders(claim.id)).length, 1, 'once')
    })

    test('a quote sent for a single day is reminded on its last day, not on the day it was sent', async () => {
      const { claim, lastDay } = await quoted(1)
      const sentDay = (
        await world.database.db
          .selectFrom('claim_quotes')
          .select('sent_at')
          .where('claim_id', '=', claim.id)
          .executeTakeFirstOrThrow()
      ).sent_at
      await remindAt(new Date(sentDay))
      assert.equal((await reminders(claim.id)).length, 0)
      await remindAt(noonOf(lastDay))
      assert.equal((await reminders(claim.id)).length, 1)
    })

    test('an answered quote, or one past its last day, is not reminded', async () => {
      const accepted = await quoted(7)
      await act(world, world.customer, accepted.claim.id, 'accept-quote', { quoteId: accepted.quoteId })
      await remindAt(noonOf(addDays(accepted.lastDay, -1)))
      assert.equal((await reminders(accepted.claim.id)).length, 0, 'accepted')

      const expired = await quoted(7)
      await remindAt(noonOf(addDays(expired.lastDay, 1)))
      assert.equal((await reminders(expired.claim.id)).length, 0, 'past its last day')
    })

    test('two sweeps at once send one reminder', async () => {
      const { claim, lastDay } = await quoted(7)
      const at = noonOf(addDays(lastDay, -1))
      const counts = await Promise.all([remindAt(at), remindAt(at), remindAt(at)])
      assert.equal((await reminders(claim.id)).length, 1)
      assert.ok(counts.reduce((a, b) => a + b, 0) >= 1)
    })
  })
}
