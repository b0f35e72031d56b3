import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Actor } from '../../src/auth/index.ts'
import { claimView } from '../../src/claims/claim.schemas.ts'
import { findClaim } from '../../src/claims/claim.store.ts'
import { toClaimView } from '../../src/claims/claim-view.ts'
import { NO_EXPIRED_QUOTES } from '../../src/claims/quote-validity.ts'
import { testEngines } from '../../src/db/test-database.ts'
import {
  type ClaimsWorld,
  fullInspection,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  packageOf,
  seedPlayerOneUnit,
} from './claim-factories.ts'

const actorOf = (party: Party, role: Actor['role']): Actor => ({
  userId: party.userId,
  role,
  name: 'Test',
  email: 'test@example.com',
  orgId: party.orgId ?? null,
  customerId: party.customerId ?? null,
  via: 'session',
})

/** The claim's page as the route's schema writes the view of the row as stored now. */
async function pageOfStoredRow(world: ClaimsWorld, claimId: string, actor: Actor): Promise<string> {
  const row = await findClaim(world.ctx.db, claimId)
  assert.ok(row)
  return JSON.stringify(claimView.parse(toClaimView(row, actor, NO_EXPIRED_QUOTES)))
}

for (const engine of testEngines()) {
  describe(`${engine}: a claim's answer written as text`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('is, step by step, the view of the stored claim through the schema, its stored return and bench record included', async () => {
      const staff = actorOf(world.staff, 'technician')
      const serial = await seedPlayerOneUnit(world)
      const contents = await packageOf(world, 'player-one-poseidon-m-pro')
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
      let etag = '"0"'
      const steps: [string, Record<string, unknown>][] = [
        ['authorize-return', {}],
        ['receive-unit', {}],
        ['record-inspection', fullInspection(serial, contents)],
        ['make-decision', {}],
      ]
      for (const [action, body] of steps) {
        const current = await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${claim.id}`,
          headers: world.staff.headers,
        })
        etag = String(current.headers.etag)
        const answer = await world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${claim.id}/transitions/${action}`,
          headers: { ...world.staff.headers, 'if-match': etag },
          payload: body,
        })
        assert.equal(answer.statusCode, 200, `${action}: ${answer.body}`)
        assert.equal(answer.body, await pageOfStoredRow(world, claim.id, staff), action)
        // Asked twice, the same text: the second answer comes from what the first checked.
        const page = await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${claim.id}`,
          headers: world.staff.headers,
        })
        assert.equal(page.body, answer.body, `${action}, read again`)
      }
      const answered = JSON.parse(
        await pageOfStoredRow(world, claim.id, staff),
      ) as import('../../src/claims/claim.schemas.ts').ClaimView
      assert.equal(answered.inspection?.faultConfirmed, true)
      assert.ok(answered.rma, 'the claim has its return')

      // A stored return with a field its schema does not know (written by an older version, say)
      // is answered without it, as the schema writes it.
      const row = await findClaim(world.ctx.db, claim.id)
      assert.ok(row?.rma_json)
      const stored = { ...(JSON.parse(row.rma_json) as Record<string, unknown>), internalRoute: 'bay 4' }
      await world.ctx.db
        .updateTable('claims')
        .set({ rma_json: JSON.stringify(stored) })
        .where('id', '=', claim.id)
        .execute()
      const page = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claim.id}`,
        headers: world.staff.headers,
      })
      assert.equal(page.statusCode, 200)
      assert.doesNotMatch(page.body, /internalRoute/)
      assert.equal(page.body, await pageOfStoredRow(world, claim.id, staff))
    })
  })
}
