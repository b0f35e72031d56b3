import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { openClaimsWorld, seedClaimAwaitingQuote } from './claim-factories.ts'

for (const engine of testEngines()) {
  describe(engine, () => {
    test('a claim reaches the quote', async () => {
      const world = await openClaimsWorld(engine)
      try {
        const claim = await seedClaimAwaitingQuote(world)
        assert.equal(claim.state, 'decided')
        assert.equal(claim.finalDecision?.covered, false)
      } finally {
        await world.close()
      }
    })
  })
}
