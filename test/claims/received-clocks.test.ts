import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  addDays,
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedShenzhenAgentUnit,
  TODAY,
} from './claim-factories.ts'

interface ClockJson {
  kind: string
  startedAt: string
  dueAt: string
}

for (const engine of testEngines()) {
  describe(`clocks started by a unit's arrival (${engine})`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(async () => world.close())

    test('a unit recorded days after it arrived counts from the day it arrived, not from when it was keyed in', async () => {
      const serial = await seedShenzhenAgentUnit(world)
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      await act(world, world.staff, opened.id, 'start-diagnosis')
      await act(world, world.staff, opened.id, 'authorize-return')
      // The parcel came on the day the claim was opened; staff record it three days later.
      world.clock.now = new Date(`${addDays(TODAY, 3)}T08:00:00.000Z`)
      try {
        await act(world, world.staff, opened.id, 'receive-unit', { receivedOn: TODAY })
      } finally {
        world.clock.now = new Date(`${TODAY}T08:00:00.000Z`)
      }
      const clocks = (
        await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${opened.id}/clocks`,
          headers: world.staff.headers,
        })
      ).json() as { items: ClockJson[] }
      // Seed 002 counts in Shanghai: the latest the parcel can have come is the end of that day there.
      const endOfArrivalDay = new Date(`${addDays(TODAY, 1)}T00:00:00+08:00`).toISOString()
      for (const kind of ['verify', 'forward']) {
        const clock = clocks.items.find((c) => c.kind === kind)
        assert.ok(clock, `${kind} started on the unit's arrival`)
        assert.equal(clock.startedAt, endOfArrivalDay, kind)
        assert.equal(Date.parse(clock.dueAt) - Date.parse(clock.startedAt), 12 * 3_600_000, kind)
      }
    })

    test("a day of arrival that ends, in the seller's zone, before the claim was opened counts from the opening", async () => {
      // Opened at 16:00 in Shanghai, the seller's zone, while it is still the day before west of
      // the date line: that day is accepted as the arrival (whoever keys it in may be there), but
      // in Shanghai it ended sixteen hours before the claim existed.
      const serial = await seedShenzhenAgentUnit(world)
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      const openedAt = world.clock.now.toISOString()
      await act(world, world.staff, opened.id, 'start-diagnosis')
      await act(world, world.staff, opened.id, 'authorize-return')
      world.clock.now = new Date(`${TODAY}T10:00:00.000Z`)
      try {
        await act(world, world.staff, opened.id, 'receive-unit', { receivedOn: addDays(TODAY, -1) })
      } finally {
        world.clock.now = new Date(`${TODAY}T08:00:00.000Z`)
      }
      const clocks = (
        await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${opened.id}/clocks`,
          headers: world.staff.headers,
        })
      ).json() as { items: ClockJson[] }
      for (const kind of ['verify', 'forward']) {
        const clock = clocks.items.find((c) => c.kind === kind)
        assert.ok(clock, `${kind} started on the unit's arrival`)
        assert.equal(clock.startedAt, openedAt, kind)
        assert.equal(Date.parse(clock.dueAt) - Date.parse(clock.startedAt), 12 * 3_600_000, kind)
      }
    })

    test('a unit recorded on the day it arrives counts from the moment it is recorded', async () => {
      const serial = await seedShenzhenAgentUnit(world)
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      await act(world, world.staff, opened.id, 'start-diagnosis')
      await act(world, world.staff, opened.id, 'authorize-return')
      await act(world, world.staff, opened.id, 'receive-unit', { receivedOn: TODAY })
      const clocks = (
        await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${opened.id}/clocks`,
          headers: world.staff.headers,
        })
      ).json() as { items: ClockJson[] }
      const verify = clocks.items.find((c) => c.kind === 'verify')
      assert.equal(verify?.startedAt, world.clock.now.toISOString())
    })
  })
}
