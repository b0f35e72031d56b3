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
}
