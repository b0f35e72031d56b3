import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { testEngines } from '../../src/db/test-database.ts'
import { nearLocalMidnight } from '../../src/shared/near-local-midnight.test-support.ts'
import {
  addDays,
  type ClaimsWorld,
  ORG,
  openClaimsWorld,
  seedUnit,
  TODAY,
} from '../claims/claim-factories.ts'

for (const engine of testEngines()) {
  describe(`${engine}: the day of a transfer recorded without one`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('is today in the zone of the unit’s policy, so a ToupTek unit passed on the day it was bought is not refused as before its purchase', async () => {
      let buyer = 0
      await fc.assert(
        fc.asyncProperty(
          nearLocalMidnight({ from: addDays(TODAY, -60), to: TODAY, zones: ['Asia/Shanghai'] }),
          async ({ at, localDay }) => {
            // The touptek policy counts its days in Asia/Shanghai.
            world.clock.now = at
            const serial = await seedUnit(world, {
              model: 'touptek-atr2600c',
              policy: 'touptek',
              sellerOrgId: ORG.touptek,
              purchasedOn: localDay,
              deliveredOn: localDay,
            })
            buyer += 1
            const response = await world.app.inject({
              method: 'POST',
              url: `/api/v1/units/${serial}/transfers`,
              headers: world.staff.headers,
              payload: { toEmail: `buyer.${buyer}@example.com`, toName: 'Second Buyer' },
            })
            assert.equal(response.statusCode, 201, `${at.toISOString()}: ${response.body}`)
            assert.equal((response.json() as { transferredOn: string }).transferredOn, localDay)
          },
        ),
        { numRuns: 15 },
      )
    })

    test('the day an offer was made, as its withdrawal e-mail names it, is its day in the zone of the unit’s policy', async () => {
      let buyer = 0
      await fc.assert(
        fc.asyncProperty(
          nearLocalMidnight({ from: addDays(TODAY, -60), to: TODAY, zones: ['Asia/Shanghai'] }),
          async ({ at, localDay }) => {
            world.clock.now = at
            const serial = await seedUnit(world, {
              model: 'touptek-atr2600c',
              policy: 'touptek',
              sellerOrgId: ORG.touptek,
              purchasedOn: addDays(localDay, -30),
            })
            buyer += 1
            const transfer = (headers: Record<string, string>, payload: Record<string, unknown>) =>
              world.app.inject({ method: 'POST', url: `/api/v1/units/${serial}/transfers`, headers, payload })
            const offered = await transfer(world.customer.headers, {
              toEmail: `offered.${buyer}@example.com`,
            })
            assert.equal(offered.statusCode, 201, offered.body)
            const moved = await transfer(world.staff.headers, { toEmail: `moved.${buyer}@example.com` })
            assert.equal(moved.statusCode, 201, moved.body)
            const [mail] = await world.database.db
              .selectFrom('outbox_messages')
              .select('payload')
              .where('topic', '=', 'unit.offer-withdrawn')
              .where('payload', 'like', `%${serial}%`)
              .execute()
            assert.ok(mail)
            assert.equal(JSON.parse(mail.payload).offeredOn, localDay, at.toISOString())
          },
        ),
        { numRuns: 10 },
      )
    })
  })

  describe(`${engine}: the day of a transfer after an earlier one`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('is never before the day the unit passed to its present owner: staff and the owner alike are refused, naming the day', async () => {
      let buyer = 0
      const purchasedOn = addDays(TODAY, -90)
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 90 }),
          fc.integer({ min: 0, max: 90 }),
          fc.boolean(),
          async (first, second, byOwner) => {
            const serial = await seedUnit(world, {
              model: 'player-one-zeus-455m-pro',
              policy: 'player-one',
              sellerOrgId: ORG.playerOne,
              purchasedOn,
            })
            buyer += 1
            const transfer = (headers: Record<string, string>, payload: Record<string, unknown>) =>
              world.app.inject({ method: 'POST', url: `/api/v1/units/${serial}/transfers`, headers, payload })
            const firstDay = addDays(purchasedOn, first)
            const toBob = await transfer(world.staff.headers, {
              toEmail: 'cus-bob@example.com',
              transferredOn: firstDay,
            })
            assert.equal(toBob.statusCode, 201, toBob.body)
            const secondDay = addDays(purchasedOn, second)
            const onward = await transfer(byOwner ? world.otherCustomer.headers : world.staff.headers, {
              toEmail: `onward.${buyer}@example.com`,
              transferredOn: secondDay,
            })
            if (secondDay < firstDay) {
              assert.equal(onward.statusCode, 400, onward.body)
              assert.equal(onward.json().error.field, 'body.transferredOn')
              assert.match(onward.json().error.message, new RegExp(firstDay))
            } else assert.equal(onward.statusCode, 201, onward.body)
            // The history of owners reads in the order the unit passed between them.
            const days = await world.database.db
              .selectFrom('ownership_transfers')
              .select('transferred_on')
              .where('serial', '=', serial)
              .orderBy('created_at')
              .execute()
            const recorded = days.map((d) => d.transferred_on)
            assert.deepEqual(recorded, [...recorded].sort())
          },
        ),
        { numRuns: 25 },
      )
    })
  })
}
