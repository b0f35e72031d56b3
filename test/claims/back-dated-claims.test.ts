import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  addDays,
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedShenzhenAgentUnit,
  TODAY,
} from './claim-factories.ts'

interface ClockJson {
  kind: string
  startedAt: string
}

for (const engine of testEngines()) {
  describe(`a claim dated earlier than it was keyed in (${engine})`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(async () => world.close())

    const firstResponse = async (claimId: string) => {
      const clocks = (
        await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${claimId}/clocks`,
          headers: world.staff.headers,
        })
      ).json() as { items: ClockJson[] }
      const clock = clocks.items.find((c) => c.kind === 'first-response')
      assert.ok(clock, 'a first-response clock')
      return clock
    }
    const claimedOnOf = async (claimId: string) => {
      const events = (
        await world.app.inject({ url: `/api/v1/claims/${claimId}/events`, headers: world.staff.headers })
      ).json() as { items: { type: string; data: { case: { claimedOn: string } } }[] }
      return events.items.find((e) => e.type === 'claim.opened')?.data.case.claimedOn
    }
    const open = async (party: Party, extra: Record<string, unknown> = {}) =>
      openClaimAs(world, party, openClaimBody(await seedShenzhenAgentUnit(world), extra))

    test('staff entering a claim the customer made two days ago by e-mail start its first response from that day', async () => {
      const claim = await open(world.staff, {
        claimedOn: addDays(TODAY, -2),
        claimedOnReason: 'The customer e-mailed us that day; the message is on file',
      })
      assert.equal(await claimedOnOf(claim.id), addDays(TODAY, -2))
      // Seed 002 counts in Shanghai: the latest the contact can have been is the end of that day there.
      const clock = await firstResponse(claim.id)
      assert.equal(clock.startedAt, new Date(`${addDays(TODAY, -1)}T00:00:00+08:00`).toISOString())
    })

    test('a claim opened today counts from the moment it is opened', async () => {
      const claim = await open(world.staff)
      assert.equal(await claimedOnOf(claim.id), TODAY)
      assert.equal((await firstResponse(claim.id)).startedAt, world.clock.now.toISOString())
    })

    test("the day a customer sends dates nothing: yesterday in the policy's zone, still today somewhere else", async () => {
      // 08:00 UTC: 16:00 in Shanghai, where the policy counts days, and still yesterday at UTC-12.
      const yesterday = addDays(TODAY, -1)
      const claim = await open(world.customer, { claimedOn: yesterday })
      assert.equal(await claimedOnOf(claim.id), TODAY)
      assert.equal((await firstResponse(claim.id)).startedAt, world.clock.now.toISOString())
      // Staff too need a reason to date a claim earlier than the policy's today.
      const noReason = await open(world.staff, { claimedOn: yesterday })
      assert.equal(await claimedOnOf(noReason.id), TODAY)
      assert.equal((await firstResponse(noReason.id)).startedAt, world.clock.now.toISOString())
    })
  })
}
