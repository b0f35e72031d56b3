import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createApiKey } from '../../src/auth/create-api-key.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import { testEngines } from '../../src/db/test-database.ts'
import type { RecoveryView } from '../../src/recoveries/recovery.schemas.ts'
import { type ClaimsWorld, ORG, openClaimsWorld, type Party } from '../claims/claim-factories.ts'
import {
  listRecoveriesAs,
  orgUser,
  recoveriesOfClaim,
  seedDealerWarrantyRepair,
  tryStep,
} from './recovery-factories.ts'

/**
 * An account the admin tied to an organisation without making it one of the organisation's
 * users (a customer who works at the dealer, an integration account) does not act for the
 * organisation: its recovery claims, their amounts and their steps belong to the organisation's
 * dealer users, as its claims do.
 */
for (const engine of testEngines()) {
  describe(`${engine}: accounts tied to an organisation that are not its users`, () => {
    let world: ClaimsWorld
    let recovery: RecoveryView
    let customerAtDealer: Party
    let integrationAtMaker: Party
    let makerUser: Party
    before(async () => {
      world = await openClaimsWorld(engine)
      makerUser = await orgUser(world, ORG.playerOne)
      const [found] = await recoveriesOfClaim(world, await seedDealerWarrantyRepair(world))
      assert.ok(found)
      recovery = found
      const admin = await createTestUser(world.database.db, { role: 'admin' })
      // Made as the admin makes them, then tied to the organisation as accounts made before
      // such a tie was refused (`auth.org-for-dealers`) may still be, and signed in with a key.
      const create = async (payload: Record<string, unknown>, orgId: string): Promise<Party> => {
        const made = await world.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: admin.headers,
          payload,
        })
        assert.equal(made.statusCode, 201, made.body)
        const userId = (made.json() as { id: string }).id
        await world.database.db.updateTable('users').set({ org_id: orgId }).where('id', '=', userId).execute()
        const { key } = await createApiKey(
          world.database.db,
          { name: `key of ${userId}`, userId, createdBy: null },
          new Date(),
        )
        return { userId, headers: { authorization: `Bearer ${key}` }, orgId }
      }
      customerAtDealer = await create(
        {
          email: 'bench@customer.example',
          name: 'Customer at the dealer',
          role: 'customer',
          customerId: 'cus-alice',
        },
        ORG.starlight,
      )
      integrationAtMaker = await create(
        { email: 'erp@maker.example', name: 'Maker ERP', role: 'integration' },
        ORG.playerOne,
      )
    })
    after(() => world.close())

    test('a customer account tied to the dealer neither lists, reads, sums nor submits its recovery claims', async () => {
      assert.deepEqual((await listRecoveriesAs(world, customerAtDealer)).items, [])
      const read = await world.app.inject({
        method: 'GET',
        url: `/api/v1/recoveries/${recovery.id}`,
        headers: customerAtDealer.headers,
      })
      assert.equal(read.statusCode, 404, read.body)
      const summary = await world.app.inject({
        method: 'GET',
        url: '/api/v1/recoveries/summary',
        headers: customerAtDealer.headers,
      })
      assert.deepEqual(summary.json(), { items: [] })
      const submit = await tryStep(world, customerAtDealer, recovery.id, 'submit')
      assert.equal(submit.statusCode, 404, submit.body)
      const [unchanged] = await recoveriesOfClaim(world, recovery.lines[0]?.claimId ?? '')
      assert.equal(unchanged?.state, 'draft')
    })

    test('an integration account tied to the maker reads, as integrations do, but does not answer for the maker', async () => {
      const submitted = await tryStep(world, world.dealer, recovery.id, 'submit')
      assert.equal(submitted.statusCode, 200, submitted.body)
      const read = await world.app.inject({
        method: 'GET',
        url: `/api/v1/recoveries/${recovery.id}`,
        headers: integrationAtMaker.headers,
      })
      assert.equal(read.statusCode, 200, read.body)
      assert.equal((read.json() as RecoveryView).yourSide, null)
      assert.deepEqual((read.json() as RecoveryView).allowedActions, [])
      const accept = await tryStep(world, integrationAtMaker, recovery.id, 'accept')
      assert.equal(accept.statusCode, 403, accept.body)
      // The maker's own user still answers.
      const accepted = await tryStep(world, makerUser, recovery.id, 'accept')
      assert.equal(accepted.statusCode, 200, accepted.body)
    })
  })
}

/**
 * A debtor is on the installation when one of its users could answer here: an active dealer
 * user, the one a submission is mailed to. Counted by any account tied to it, a debtor whose
 * only user was disabled (or who had only a customer account tied to it) lost the statement
 * links it must be sent, though nobody was told of the submission and nobody could answer it.
 */
for (const engine of testEngines()) {
  describe(`${engine}: a debtor with nobody who can answer here`, () => {
    let world: ClaimsWorld
    let recoveryId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      const [found] = await recoveriesOfClaim(world, await seedDealerWarrantyRepair(world))
      assert.ok(found)
      recoveryId = found.id
    })
    after(() => world.close())

    const debtorAsStaffSees = async () => {
      const response = await world.app.inject({
        method: 'GET',
        url: `/api/v1/recoveries/${recoveryId}`,
        headers: world.staff.headers,
      })
      assert.equal(response.statusCode, 200, response.body)
      return (response.json() as RecoveryView).debtor
    }

    test('is outside while its only accounts are a disabled user and a customer tied to it, and inside once a user is active', async () => {
      assert.equal((await debtorAsStaffSees()).onInstallation, false)
      const gone = await orgUser(world, ORG.playerOne)
      await world.database.db
        .updateTable('users')
        .set({ disabled: 1 })
        .where('id', '=', gone.userId)
        .execute()
      const tied = await createTestUser(world.database.db, { role: 'customer' })
      await world.database.db
        .updateTable('users')
        .set({ org_id: ORG.playerOne })
        .where('id', '=', tied.userId)
        .execute()
      assert.equal((await debtorAsStaffSees()).onInstallation, false)
      await orgUser(world, ORG.playerOne)
      assert.equal((await debtorAsStaffSees()).onInstallation, true)
    })
  })
}
