import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  type ClaimsWorld,
  holdTransaction,
  openClaimBody,
  openClaimsWorld,
  seedPlayerOneUnit,
  waitForBlockedBy,
} from './claim-factories.ts'

/*
 * Whose a unit is decides who may claim on it. A claim opened while a transfer of the unit
 * is being written must judge the unit as the transfer leaves it: a former owner claiming at
 * that moment is answered as on a unit not theirs, and the claim never goes to them.
 */
for (const engine of testEngines()) {
  describe(`${engine}: a claim opened while the unit changes hands`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    const claimAsAlice = (serial: string) =>
      world.app.inject({
        method: 'POST',
        url: '/api/v1/claims',
        headers: world.customer.headers,
        payload: openClaimBody(serial),
      })

    test('the former owner is refused, as on a unit not theirs, and no claim is theirs', async () => {
      const serial = await seedPlayerOneUnit(world)
      const moveToBob = (db: typeof world.database.db) =>
        db.updateTable('units').set({ owner_customer_id: 'cus-bob' }).where('serial', '=', serial).execute()
      let claimed: Awaited<ReturnType<typeof claimAsAlice>>
      if (engine === 'postgres') {
        // The transfer has written the new owner and not yet committed.
        const transfer = await holdTransaction(world, moveToBob)
        let claiming: ReturnType<typeof claimAsAlice> | undefined
        try {
          claiming = claimAsAlice(serial)
          await waitForBlockedBy(world, transfer.pid)
        } finally {
          await transfer.release()
        }
        claimed = await claiming
      } else {
        // SQLite writes one transaction at a time: the claim comes after the transfer.
        await moveToBob(world.database.db)
        claimed = await claimAsAlice(serial)
      }
      assert.equal(claimed.statusCode, 400, claimed.body)
      assert.equal(claimed.json().error.field, 'body.files', claimed.body)
      const claims = await world.database.db
        .selectFrom('claims')
        .select('customer_id')
        .where('serial', '=', serial)
        .execute()
      assert.deepEqual(claims, [], 'no claim was opened on the unit')
    })
  })
}
