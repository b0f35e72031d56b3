import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedShenzhenAgentUnit,
  TODAY,
} from './claim-factories.ts'

const HOUR = 3_600_000

interface ClockJson {
  kind: string
  status: string
  startedAt: string
  dueAt: string
  pausedAt: string | null
  pausedTotalMs: number
  timeLeftMs: number | null
  colour: string | null
}

for (const engine of testEngines()) {
  describe(`a clock paused while the claim waits on the customer, as staff see it (${engine})`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(async () => world.close())

    const at = (hours: number) => new Date(Date.parse(`${TODAY}T08:00:00.000Z`) + hours * HOUR)
    const get = async <T>(url: string): Promise<T> => {
      const response = await world.app.inject({ method: 'GET', url, headers: world.staff.headers })
      assert.equal(response.statusCode, 200, `${url}: ${response.body}`)
      return response.json() as T
    }
    const verifyOf = async (claimId: string) => {
      const { items } = await get<{ items: ClockJson[] }>(`/api/v1/claims/${claimId}/clocks`)
      const verify = items.find((c) => c.kind === 'verify')
      assert.ok(verify, 'the unit’s arrival started verify')
      return verify
    }
    const queued = async (claimId: string, status: string) => {
      const { items } = await get<{ items: (ClockJson & { claimId: string })[] }>(
        `/api/v1/queues/sla?kind=verify&status=${status}&limit=100`,
      )
      return items.find((c) => c.claimId === claimId)
    }
    const claimQueueDue = async (claimId: string) => {
      const { items } = await get<{ items: { id: string; due: { status: string; dueAt: string } | null }[] }>(
        '/api/v1/claim-queue?limit=200',
      )
      return items.find((c) => c.id === claimId)?.due
    }

    test('time left stands still while paused and is the same on resuming; the due moment moves by the pause', async () => {
      // Seed 002, in Shanghai: verify within 12 hours of receipt, counted in clock hours.
      world.clock.now = at(0)
      try {
        const serial = await seedShenzhenAgentUnit(world)
        const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
        await act(world, world.staff, opened.id, 'authorize-return')
        await act(world, world.staff, opened.id, 'receive-unit')
        world.clock.now = at(2)
        await act(world, world.staff, opened.id, 'request-info', { request: 'Which driver version?' })

        world.clock.now = at(7)
        const paused = await verifyOf(opened.id)
        assert.equal(paused.status, 'paused')
        assert.equal(paused.pausedAt, at(2).toISOString())
        assert.equal(paused.dueAt, at(12).toISOString(), 'the due moment waits for the resumption')
        assert.equal(paused.timeLeftMs, 10 * HOUR, 'frozen at the pause, not counted on to now')
        assert.equal(paused.colour, 'green')
        assert.equal(paused.pausedTotalMs, 0)
        assert.deepEqual(await queued(opened.id, 'paused'), { ...paused, claimId: opened.id })
        assert.equal(await queued(opened.id, 'running'), undefined)
        assert.equal((await claimQueueDue(opened.id))?.status, 'paused')

        // Past the planned due moment the paused clock is still not late.
        world.clock.now = at(13)
        assert.equal((await verifyOf(opened.id)).colour, 'green')
        const posted = await world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${opened.id}/messages`,
          headers: world.customer.headers,
          payload: { body: 'Version 3.2.' },
        })
        assert.equal(posted.statusCode, 201, posted.body)

        const resumed = await verifyOf(opened.id)
        assert.equal(resumed.status, 'running')
        assert.equal(resumed.pausedAt, null)
        assert.equal(resumed.pausedTotalMs, 11 * HOUR)
        assert.equal(resumed.dueAt, at(23).toISOString())
        assert.equal(resumed.timeLeftMs, 10 * HOUR, 'no time lost, none gained')
        assert.deepEqual(await queued(opened.id, 'running'), { ...resumed, claimId: opened.id })
        assert.equal(await queued(opened.id, 'paused'), undefined)
        assert.deepEqual(await claimQueueDue(opened.id).then((d) => d && [d.status, d.dueAt]), [
          'running',
          at(23).toISOString(),
        ])
        world.clock.now = at(20)
        const later = await verifyOf(opened.id)
        assert.equal(later.timeLeftMs, 3 * HOUR)
        assert.equal(later.colour, 'red')
      } finally {
        world.clock.now = new Date(`${TODAY}T08:00:00.000Z`)
      }
    })
  })
}
