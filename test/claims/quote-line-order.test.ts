import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { act, type ClaimsWorld, openClaimsWorld, seedClaimAwaitingQuote } from './claim-factories.ts'

/**
 * A quote's lines are written in one instant, so they share their `created_at`: they come back
 * in the order staff gave them, read after read, not in the order of their random ids.
 */
for (const engine of testEngines()) {
  describe(`${engine}: the lines of a quote`, () => {
    let world: ClaimsWorld
    let claimId: string
    const given = Array.from({ length: 12 }, (_, i) => `line ${String.fromCharCode(76 - i)}`)
    before(async () => {
      world = await openClaimsWorld(engine)
      claimId = (await seedClaimAwaitingQuote(world)).id
    })
    after(() => world.close())

    test('come back in the order they were given, on every read', async () => {
      await act(world, world.staff, claimId, 'send-quote', {
        lines: given.map((description, i) => ({
          kind: i % 2 ? 'labour' : 'parts',
          description,
          quantity: 1,
          unitPriceMinor: 1000 + i,
          payer: 'customer',
        })),
      })
      const stored = await world.database.db
        .selectFrom('claim_cost_lines')
        .select('created_at')
        .distinct()
        .where('claim_id', '=', claimId)
        .execute()
      assert.equal(stored.length, 1, 'the lines share one instant')
      for (const party of [world.staff, world.customer, world.staff]) {
        const quotes = await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${claimId}/quotes`,
          headers: party.headers,
        })
        assert.equal(quotes.statusCode, 200, quotes.body)
        const [quote] = (quotes.json() as { items: { lines: { description: string }[] }[] }).items
        assert.deepEqual(
          quote?.lines.map((l) => l.description),
          given,
        )
      }
    })
  })
}
