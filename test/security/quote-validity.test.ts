import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  type ClaimJson,
  type ClaimsWorld,
  openClaimsWorld,
  type Party,
  seedClaimAwaitingQuote,
  tryAct,
} from '../claims/claim-factories.ts'

const DAY = 86_400_000

for (const engine of testEngines()) {
  describe(`${engine}: a quote holds until the day it says`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    /** A quote valid for `validDays`, read again `laterDays` after it was sent. */
    async function quoteRead(validDays: number, laterDays: number) {
      const decided = await seedClaimAwaitingQuote(world)
      const quoted = await act(world, world.staff, decided.id, 'send-quote', {
        lines: [{ kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 50000 }],
        validDays,
      })
      world.clock.now = new Date(world.clock.now.getTime() + laterDays * DAY)
      return { claimId: quoted.id, quoteId: quoted.quote?.id }
    }

    let sentAt: Date
    before(() => {
      sentAt = world.clock.now
    })
    // Each test moves the clock on; the next starts from the same day again.
    const rewind = () => {
      world.clock.now = sentAt
    }

    test('the customer cannot accept a quote past its last day; nothing is written', async () => {
      try {
        const { claimId, quoteId } = await quoteRead(7, 10)
        const late = await tryAct(world, world.customer, claimId, 'accept-quote', { quoteId })
        assert.equal(late.statusCode, 409, late.body)
        assert.equal(late.json().error.field, 'body.quoteId')
        const stored = await world.database.db
          .selectFrom('claim_quotes')
          .select(['status', 'responded_at'])
          .where('claim_id', '=', claimId)
          .executeTakeFirstOrThrow()
        assert.deepEqual(stored, { status: 'sent', responded_at: null })
        // Declining an expired quote costs the seller nothing, and staff may still honour it.
        const declined = await tryAct(world, world.customer, claimId, 'decline-quote', { quoteId })
        assert.equal(declined.statusCode, 200, declined.body)
      } finally {
        rewind()
      }
    })

    test('on its last day the quote is still accepted by the customer', async () => {
      try {
        const { claimId, quoteId } = await quoteRead(7, 7)
        const onTime = await tryAct(world, world.customer, claimId, 'accept-quote', { quoteId })
        assert.equal(onTime.statusCode, 200, onTime.body)
      } finally {
        rewind()
      }
    })

    test("the quote's last day is on its view, and it reads expired from the day after, for every party", async () => {
      try {
        const { claimId } = await quoteRead(7, 7)
        const read = async (party: Party) => {
          const response = await world.app.inject({
            method: 'GET',
            url: `/api/v1/claims/${claimId}/quotes`,
            headers: party.headers,
          })
          assert.equal(response.statusCode, 200, response.body)
          const quote = (
            response.json() as { items: { validUntil: string | null; expired: boolean }[] }
          ).items.at(-1)
          return { validUntil: quote?.validUntil, expired: quote?.expired }
        }
        const onLastDay = await read(world.customer)
        assert.match(onLastDay.validUntil ?? '', /^\d{4}-\d{2}-\d{2}$/)
        assert.equal(onLastDay.expired, false)
        world.clock.now = new Date(world.clock.now.getTime() + DAY)
        for (const party of [world.customer, world.staff])
          assert.deepEqual(await read(party), { validUntil: onLastDay.validUntil, expired: true })
      } finally {
        rewind()
      }
    })

    /** What the party is offered on the claim's page, and on its row in their claim list. */
    async function offered(party: Party, claimId: string) {
      const page = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claimId}`,
        headers: party.headers,
      })
      assert.equal(page.statusCode, 200, page.body)
      const list = await world.app.inject({
        method: 'GET',
        url: '/api/v1/claims?limit=200',
        headers: party.headers,
      })
      assert.equal(list.statusCode, 200, list.body)
      const row = (list.json().items as ClaimJson[]).find((item) => item.id === claimId)
      assert.ok(row, `${claimId} is in the list`)
      return { page: (page.json() as ClaimJson).allowedActions, list: row.allowedActions }
    }

    test('the claim offers the customer acceptance only while the quote holds', async () => {
      try {
        const onTime = await quoteRead(7, 7)
        assert.deepEqual(await offered(world.customer, onTime.claimId), {
          page: ['accept-quote', 'decline-quote'],
          list: ['accept-quote', 'decline-quote'],
        })
        rewind()
        const late = await quoteRead(7, 10)
        // Accepting would only be refused (claims.quote.expired); declining still costs nothing.
        assert.deepEqual(await offered(world.customer, late.claimId), {
          page: ['decline-quote'],
          list: ['decline-quote'],
        })
        // Staff may still record an acceptance the customer gave in time.
        assert.deepEqual((await offered(world.staff, late.claimId)).page, ['accept-quote', 'decline-quote'])
      } finally {
        rewind()
      }
    })

    test('staff may record the customer’s acceptance of an expired quote, saying how', async () => {
      try {
        const { claimId, quoteId } = await quoteRead(7, 30)
        const honoured = await tryAct(world, world.staff, claimId, 'accept-quote', {
          quoteId,
          note: 'Customer accepted by phone within the validity; recorded late',
        })
        assert.equal(honoured.statusCode, 200, honoured.body)
      } finally {
        rewind()
      }
    })
  })
}
