import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  type ClaimsWorld,
  eventTypes,
  inspectAndDecide,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedTouptekDoaUnit,
  TODAY,
  tryAct,
} from './claim-factories.ts'

/** Seed 000: a ToupTek camera that arrived faulty, collected and found so, waiting for its new unit. */
async function claimAwaitingReplacement(world: ClaimsWorld) {
  const serial = await seedTouptekDoaUnit(world)
  const opened = await openClaimAs(world, world.customer, openClaimBody(serial, { preference: 'replace' }))
  await act(world, world.staff, opened.id, 'authorize-return')
  await act(world, world.staff, opened.id, 'schedule-pickup', {
    pickupOn: TODAY,
    window: '09:00-12:00',
    carrier: 'SF Express',
  })
  await inspectAndDecide(world, opened.id, serial, 'touptek-atr2600c', { from: 'receive-unit' })
  return { serial, claimId: opened.id }
}

for (const engine of testEngines()) {
  describe(`${engine}: the unit a replacement names`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    const unitsOf = (serials: string[]) =>
      world.database.db
        .selectFrom('units')
        .select(['serial', 'owner_customer_id', 'replaced_by_serial'])
        .where('serial', 'in', serials)
        .orderBy('serial')
        .execute()

    test("is never another customer's unit: refused naming newSerial, in either language, and nothing is written", async () => {
      const { serial, claimId } = await claimAwaitingReplacement(world)
      const bobs = await seedTouptekDoaUnit(world)
      await world.database.db
        .updateTable('units')
        .set({ owner_customer_id: 'cus-bob' })
        .where('serial', '=', bobs)
        .execute()
      const before = await unitsOf([serial, bobs])
      const eventsBefore = await eventTypes(world, claimId)
      for (const locale of ['en', 'zh'] as const) {
        const refused = await tryAct(
          world,
          { ...world.staff, headers: { ...world.staff.headers, 'accept-language': locale } },
          claimId,
          'issue-replacement',
          { newSerial: bobs },
        )
        assert.equal(refused.statusCode, 400, refused.body)
        assert.equal(refused.json().error.field, 'body.newSerial')
        assert.match(refused.json().error.message, locale === 'en' ? /another customer/ : /另一位客户/)
      }
      assert.deepEqual(await unitsOf([serial, bobs]), before)
      assert.deepEqual(await eventTypes(world, claimId), eventsBefore)
    })

    test("may be a unit of stock on file, or the customer's own, of the same model", async () => {
      const { serial, claimId } = await claimAwaitingReplacement(world)
      const stock = await seedTouptekDoaUnit(world)
      await world.database.db
        .updateTable('units')
        .set({ owner_customer_id: null })
        .where('serial', '=', stock)
        .execute()
      const replaced = await act(world, world.staff, claimId, 'issue-replacement', { newSerial: stock })
      assert.equal(replaced.replacementSerial, stock)
      assert.equal((await unitsOf([serial]))[0]?.replaced_by_serial, stock)
    })
  })
}
