import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { findClaim, insertClaim } from '../../src/claims/claim.store.ts'
import { claimNumberOf } from '../../src/contracts/claim-number.ts'
import { testEngines } from '../../src/db/test-database.ts'
import {
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedPlayerOneDealerUnit,
} from './claim-factories.ts'

for (const engine of testEngines()) {
  describe(`${engine}: a claim found by the number its customer reads`, () => {
    let world: ClaimsWorld
    let claimId: string
    let number: string
    before(async () => {
      world = await openClaimsWorld(engine)
      const serial = await seedPlayerOneDealerUnit(world)
      claimId = (await openClaimAs(world, world.customer, openClaimBody(serial))).id
      number = claimNumberOf(claimId)
    })
    after(() => world.close())

    const read = (party: Party, idOrNumber: string) =>
      world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${encodeURIComponent(idOrNumber)}`,
        headers: party.headers,
      })

    test('its customer, its dealer and staff read it by its number in any case, spaces around it ignored', async () => {
      for (const party of [world.customer, world.dealer, world.staff]) {
        const byId = await read(party, claimId)
        for (const typed of [number, number.toLowerCase(), `  ${number} `]) {
          const response = await read(party, typed)
          assert.equal(response.statusCode, 200, `${typed}: ${response.body}`)
          assert.equal((response.json() as { id: string }).id, claimId)
          assert.equal(response.headers.etag, byId.headers.etag)
        }
      }
    })

    test("another party's number answers as a number nobody has", async () => {
      // A number no claim of the run starts with: ids are hex and this one is not any claim's.
      const unknown = claimId.startsWith('f') ? 'C-00000000' : 'C-FFFFFFFF'
      for (const party of [world.otherCustomer, world.otherDealer]) {
        const theirs = await read(party, number)
        const nobodys = await read(party, unknown)
        assert.equal(theirs.statusCode, 404, theirs.body)
        assert.equal(nobodys.statusCode, 404, nobodys.body)
        assert.deepEqual(theirs.json(), JSON.parse(nobodys.body.replaceAll(unknown, number)))
      }
    })

    test("a refusal says the claim was not found or is not the reader's, by its number, never by its id", async () => {
      const byNumber = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${encodeURIComponent(` ${number.toLowerCase()} `)}`,
        headers: { ...world.otherCustomer.headers, 'accept-language': 'zh' },
      })
      assert.equal(byNumber.statusCode, 404, byNumber.body)
      assert.equal(byNumber.json().error.message, `找不到申请 ${number}，或者您无权查看`)
      const byId = await read(world.otherDealer, claimId)
      assert.equal(byId.statusCode, 404, byId.body)
      assert.equal(byId.json().error.message, 'This claim was not found, or it is not one you may see')
      assert.ok(!byId.json().error.message.includes(claimId.slice(0, 8)), byId.body)
    })

    test('two claims that share a number: each party reads its own, staff are asked to choose', async () => {
      const row = await findClaim(world.database.db, claimId)
      assert.ok(row)
      // The number is the id's first eight digits; a second claim that shares them is rare but possible.
      const twinId = `${claimId.slice(0, 9)}ffff-4fff-8fff-ffffffffffff`
      await insertClaim(world.database.db, {
        ...row,
        id: twinId,
        customer_id: 'cus-bob',
        dealer_org_id: null,
        rma_number: null,
      })
      const mine = await read(world.customer, number)
      assert.equal((mine.json() as { id: string }).id, claimId)
      const theirs = await read(world.otherCustomer, number)
      assert.equal(theirs.statusCode, 200, theirs.body)
      assert.equal((theirs.json() as { id: string }).id, twinId)
      const staff = await read(world.staff, number)
      assert.equal(staff.statusCode, 409, staff.body)
      const body = staff.json() as { error: { details?: { claimIds?: string[] } } }
      assert.deepEqual(body.error.details?.claimIds?.toSorted(), [claimId, twinId].toSorted())
    })
  })
}
