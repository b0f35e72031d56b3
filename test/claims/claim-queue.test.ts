import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { seedDemoClaims } from '../../src/claims/demo-seed.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { seedDemoRegistry } from '../../src/registry/demo-seed.ts'
import { dueTimesOfClaims } from '../../src/sla/claim-due.ts'
import {
  act,
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedIstExpiredUnit,
  seedPlayerOneDealerUnit,
  seedPlayerOneUnit,
  seedShenzhenAgentUnit,
  tryAct,
} from './claim-factories.ts'

interface QueueJson {
  items: {
    id: string
    number: string
    state: string
    serial: string
    customer: { name: string; email: string } | null
    assignee: { id: string; name: string } | null
    due: { kind: string; dueAt: string; open: boolean } | null
  }[]
  next: string | null
}

async function queue(world: ClaimsWorld, party: Party, query: string) {
  const response = await world.app.inject({
    method: 'GET',
    url: `/api/v1/claim-queue?${query}`,
    headers: party.headers,
  })
  return { status: response.statusCode, body: response.json() as QueueJson & { error?: { field: string } } }
}

for (const engine of testEngines()) {
  describe(`work queue (${engine})`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(async () => world.close())

    test('no open claim of the demo lacks a due time', { timeout: 180_000 }, async () => {
      const registry = await seedDemoRegistry(world.ctx)
      await seedDemoClaims(world.ctx, registry)
      const open = await world.database.db
        .selectFrom('claims')
        .select(['id', 'policy_id', 'state'])
        .where('state', 'not in', ['closed', 'cancelled'])
        .execute()
      assert.ok(open.length > 10)
      const dues = await dueTimesOfClaims(
        world.database.db,
        open.map((c) => c.id),
        world.ctx.now(),
      )
      const without = open.filter((c) => !dues.has(c.id))
      assert.deepEqual(without, [], 'every open claim has a clock with a due time')
      // Every policy gets a first-response clock on its own calendar, not only those whose terms name one.
      const policies = new Set(open.map((c) => c.policy_id))
      const firstResponse = await world.database.db
        .selectFrom('sla_clocks')
        .innerJoin('claims', 'claims.id', 'sla_clocks.claim_id')
        .select('claims.policy_id')
        .where('sla_clocks.kind', '=', 'first-response')
        .execute()
      for (const policy of policies)
        assert.ok(
          firstResponse.some((r) => r.policy_id === policy),
          `${policy} claims get a first-response clock`,
        )
    })

    test('search by number, serial, customer name and e-mail; "open" means neither closed nor cancelled', async () => {
      const serial = await seedPlayerOneUnit(world)
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
      const cancelledSerial = await seedIstExpiredUnit(world)
      const cancelled = await openClaimAs(world, world.customer, openClaimBody(cancelledSerial))
      await act(world, world.staff, cancelled.id, 'cancel', { reason: 'Opened by mistake' })

      const number = (await queue(world, world.staff, `q=${encodeURIComponent(serial)}`)).body.items
      assert.deepEqual(
        number.map((i) => i.id),
        [claim.id],
      )
      const item = number[0]
      assert.equal(item?.customer?.name, 'Customer cus-alice')
      assert.ok(item?.due?.open, 'a new claim has a running first-response clock')
      for (const q of [item?.number ?? '', 'customer CUS-ALICE', 'cus-alice@example', serial.slice(2, 12)]) {
        const found = await queue(world, world.staff, `q=${encodeURIComponent(q)}&limit=200`)
        assert.ok(
          found.body.items.some((i) => i.id === claim.id),
          `found by ${q}`,
        )
      }
      const open = await queue(world, world.staff, `q=cus-alice&limit=200`)
      assert.ok(!open.body.items.some((i) => i.id === cancelled.id), 'open leaves the cancelled claim out')
      assert.ok(open.body.items.every((i) => i.state !== 'closed' && i.state !== 'cancelled'))
      const closed = await queue(world, world.staff, `q=cus-alice&status=closed&limit=200`)
      assert.ok(closed.body.items.some((i) => i.id === cancelled.id))
      // Wildcards are searched for, not expanded.
      assert.equal((await queue(world, world.staff, 'q=%25')).body.items.length, 0)
      // Others see only their own.
      const stranger = await queue(world, world.otherCustomer, `q=${encodeURIComponent(serial)}`)
      assert.equal(stranger.body.items.length, 0)
    })

    test('sorted by due time, the pages together are the whole queue in the order it is worked', async () => {
      // Claims opened an hour apart: the first opened is due first, so opened-newest-first puts
      // it last and a page of the newest would never show it.
      const opened: string[] = []
      const start = world.clock.now
      try {
        for (let i = 0; i < 5; i++) {
          world.clock.now = new Date(start.getTime() + i * 3_600_000)
          opened.push(
            (await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))).id,
          )
        }
      } finally {
        world.clock.now = start
      }
      // One is answered with a question: its first-response clock has stopped, and with no clock
      // left open it comes after every claim still waiting for one.
      await act(world, world.staff, opened[1] ?? '', 'request-info', {
        request: 'Please send a photo of the label.',
      })

      const pages = async (query: string) => {
        const items: QueueJson['items'] = []
        let cursor: string | null = ''
        while (cursor !== null) {
          const page = await queue(world, world.staff, `${query}${cursor ? `&cursor=${cursor}` : ''}`)
          assert.equal(page.status, 200)
          items.push(...page.body.items)
          cursor = page.body.next
        }
        return items
      }
      const byDue = await pages('sort=due&limit=3')
      const whole = await pages('limit=200')
      assert.deepEqual(
        byDue.map((i) => i.id).sort(),
        whole.map((i) => i.id).sort(),
        'every open claim once, none twice',
      )
      // The key a queue is worked by, from what each row shows.
      const key = (i: QueueJson['items'][number] & { openedAt?: string; due: { status?: string } | null }) =>
        i.due?.open ? `${i.due.status === 'paused' ? 1 : 0}${i.due.dueAt}` : `2${i.openedAt}`
      const keys = byDue.map(key)
      assert.deepEqual(keys, [...keys].sort(), 'the pages come in the order of the clock each row shows')
      const ours = byDue.filter((i) => opened.includes(i.id)).map((i) => i.id)
      assert.deepEqual(ours, [opened[0], opened[2], opened[3], opened[4], opened[1]])
      assert.equal(byDue.find((i) => i.id === opened[1])?.due?.open, false)
      assert.equal((await queue(world, world.staff, 'sort=soonest')).status, 400)
    })

    test('a claim whose conversation ends with the customer is marked and found, closed or open', async () => {
      const write = async (party: Party, claimId: string, body: string, internal = false) => {
        world.clock.now = new Date(world.clock.now.getTime() + 60_000)
        const posted = await world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${claimId}/messages`,
          headers: party.headers,
          payload: { body, internal },
        })
        assert.equal(posted.statusCode, 201, posted.body)
      }
      const unanswered = async () =>
        (await queue(world, world.staff, 'status=all&unanswered=true&limit=200')).body.items.map((i) => i.id)
      const rowOf = async (id: string) =>
        (await queue(world, world.staff, 'status=all&limit=200')).body.items.find((i) => i.id === id) as
          | (QueueJson['items'][number] & { customerWroteAt: string | null })
          | undefined

      const claim = await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))
      assert.equal((await rowOf(claim.id))?.customerWroteAt, null)
      await write(world.customer, claim.id, 'Is there any news?')
      assert.ok((await rowOf(claim.id))?.customerWroteAt, 'the customer’s message waits for a reply')
      assert.ok((await unanswered()).includes(claim.id))
      // A staff note to colleagues is not an answer to the customer.
      await write(world.staff, claim.id, 'Waiting on the part.', true)
      assert.ok((await unanswered()).includes(claim.id))
      await write(world.staff, claim.id, 'The part arrives on Friday.')
      assert.equal((await rowOf(claim.id))?.customerWroteAt, null)
      assert.ok(!(await unanswered()).includes(claim.id))

      // Written on after it was closed, the claim is found among the unanswered, not lost.
      await act(world, world.staff, claim.id, 'cancel', { reason: 'Resolved by phone.' })
      await write(world.customer, claim.id, 'It failed again this morning.')
      assert.ok((await unanswered()).includes(claim.id))
      const openOnly = (await queue(world, world.staff, 'unanswered=true&limit=200')).body.items
      assert.ok(!openOnly.some((i) => i.id === claim.id), 'with the default status only open claims')
      // Another customer's queue shows nothing of it.
      const stranger = await queue(world, world.otherCustomer, 'status=all&unanswered=true&limit=200')
      assert.ok(!stranger.body.items.some((i) => i.id === claim.id))
    })

    test('assignment to a technician and "my cases"', async () => {
      const serial = await seedPlayerOneDealerUnit(world)
      const claim = await openClaimAs(world, world.dealer, openClaimBody(serial))
      const assign = (party: Party, userId: string | null) =>
        world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${claim.id}/assignment`,
          headers: party.headers,
          payload: { userId },
        })
      assert.equal((await assign(world.dealer, world.staff.userId)).statusCode, 404)
      const toCustomer = await assign(world.staff, world.customer.userId)
      assert.equal(toCustomer.statusCode, 400)
      assert.equal((toCustomer.json() as { error: { field: string } }).error.field, 'body.userId')
      const assigned = await assign(world.staff, world.staff.userId)
      assert.equal(assigned.statusCode, 200, assigned.body)
      const mine = await queue(world, world.staff, 'assignee=me&limit=200')
      assert.ok(mine.body.items.some((i) => i.id === claim.id && i.assignee?.id === world.staff.userId))
      const unassigned = await queue(world, world.staff, 'assignee=unassigned&limit=200')
      assert.ok(!unassigned.body.items.some((i) => i.id === claim.id))
      // The dealer sees its claim in its queue but not who works it internally, and cannot filter by it.
      assert.equal((await queue(world, world.dealer, 'assignee=me')).status, 400)
      for (const party of [world.dealer, world.customer]) {
        const row = (await queue(world, party, 'limit=200')).body.items.find((i) => i.id === claim.id)
        assert.ok(row, 'the claim is in its party’s queue')
        assert.equal(row.assignee, null, 'a party outside the service team is not told who works the case')
      }
      const timeline = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claim.id}/events`,
        headers: world.dealer.headers,
      })
      assert.ok(!timeline.body.includes('claim.assigned'))
      // Assignment does not change the version: a step based on the earlier read still applies.
      const before = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claim.id}`,
        headers: world.staff.headers,
      })
      assert.equal((await assign(world.staff, null)).statusCode, 200)
      const after = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claim.id}`,
        headers: world.staff.headers,
      })
      assert.equal(after.headers.etag, before.headers.etag)
    })

    test('self-checks come per product line and the answers stay on the claim', async () => {
      const camera = await seedPlayerOneUnit(world)
      const checks = async (serial: string) =>
        world.app.inject({ method: 'GET', url: `/api/v1/self-checks?serial=${encodeURIComponent(serial)}` })
      const forCamera = (await checks(camera)).json() as {
        list: { id: string; checks: { id: string; remedy?: string }[] } | null
      }
      assert.equal(forCamera.list?.id, 'player-one-cooled-camera')
      const mount = await seedShenzhenAgentUnit(world)
      const forMount = await checks(mount)
      assert.equal(forMount.statusCode, 200)
      assert.equal((forMount.json() as { list: unknown }).list, null, 'a mount gets no camera steps')
      assert.equal((await checks('NO-SUCH-SERIAL')).statusCode, 404)

      const claim = await openClaimAs(world, world.customer, openClaimBody(camera))
      await act(world, world.customer, claim.id, 'record-selfcheck', {
        checklist: 'player-one-cooled-camera',
        results: [
          { checkId: 'usb3-link', passed: true },
          { checkId: 'download-bandwidth', passed: false, note: 'Downloads stop at 60%.' },
        ],
      })
      const timeline = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claim.id}/events`,
        headers: world.staff.headers,
      })
      const recorded = (
        timeline.json() as { items: { type: string; data: { results?: unknown[] } }[] }
      ).items.find((e) => e.type === 'selfcheck.recorded')
      assert.deepEqual(recorded?.data.results?.[1], {
        checkId: 'download-bandwidth',
        passed: false,
        note: 'Downloads stop at 60%.',
      })

      // Answers go to the checks of the unit's own list, or the general advice, each once.
      const onMount = await openClaimAs(world, world.customer, openClaimBody(mount))
      const refused = async (body: Record<string, unknown>) => {
        const response = await tryAct(world, world.customer, onMount.id, 'record-selfcheck', body)
        assert.equal(response.statusCode, 400, response.body)
        return (response.json() as { error: { field?: string } }).error.field
      }
      assert.equal(
        await refused({
          checklist: 'player-one-cooled-camera',
          results: [{ checkId: 'usb3-link', passed: true }],
        }),
        'body.checklist',
        "a camera's steps are no answer for a mount",
      )
      assert.equal(
        await refused({ checklist: 'cooled-camera', results: [{ checkId: 'usb3-port', passed: true }] }),
        'body.checklist',
      )
      assert.equal(
        await refused({
          checklist: 'generic',
          results: [
            { checkId: 'power-cables', passed: true },
            { checkId: 'power-cables', passed: false },
          ],
        }),
        'body.results.1.checkId',
      )
      await act(world, world.customer, onMount.id, 'record-selfcheck', {
        checklist: 'generic',
        results: [{ checkId: 'power-cables', passed: true }],
      })
    })
  })
}
