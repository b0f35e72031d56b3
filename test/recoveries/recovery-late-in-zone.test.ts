import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { addDays, type ClaimsWorld, openClaimsWorld } from '../claims/claim-factories.ts'
import { recoveriesOfClaim, seedForwardedAgentUnit, step } from './recovery-factories.ts'

for (const engine of testEngines()) {
  describe(`${engine}: a recovery deadline is a day of the claim's zone`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('a Shenzhen distributor submitting at 07:30 Beijing time the day after the deadline is late, though it is still the deadline day in UTC', async () => {
      // The shenzhen-service policy counts its days in Asia/Shanghai.
      const forwarded = await seedForwardedAgentUnit(world)
      const [recovery] = await recoveriesOfClaim(world, forwarded)
      assert.ok(recovery)
      world.clock.now = new Date(`${addDays(recovery.deadline, 1)}T07:30:00+08:00`)
      const submitted = await step(world, world.staff, recovery.id, 'submit')
      assert.equal(submitted.late, true)
    })
  })
}
