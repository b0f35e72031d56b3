import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Actor } from '../../src/auth/actor.ts'
import { moveOpenClaimsToDealer } from '../../src/claims/index.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { act, type ClaimsWorld, ORG, openClaimsWorld } from '../claims/claim-factories.ts'
import { recoveriesOfClaim, seedDealerWarrantyRepair } from './recovery-factories.ts'

/** The seller's import, as the registry records it when a re-imported sale names another dealer. */
const REGISTRY_IMPORT: Actor = {
  userId: 'registry-import',
  role: 'admin',
  name: 'registry import',
  email: '',
  orgId: null,
  customerId: null,
  via: 'command-line',
}

/**
 * A cost line names its payer's role only ("dealer"): the dealer owed for it is the one that had
 * the claim when it was borne, not the one a later import of the sale moved the claim to.
 */
for (const engine of testEngines()) {
  describe(`${engine}: recovery lines of a claim that moved to another dealer`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('stay owed to the dealer that repaired the unit; the dealer the claim moved to is owed none of it', async () => {
      const claimId = await seedDealerWarrantyRepair(world)
      const owed = async () =>
        (await recoveriesOfClaim(world, claimId))
          .filter((r) => r.lines.length > 0)
          .map((r) => [r.creditor.id, r.lines.map((l) => [l.clause, l.amountMinor]).sort()])
      const repaired = await owed()
      assert.deepEqual(
        repaired.map(([creditor]) => creditor),
        [ORG.starlight],
      )
      const claim = await world.database.db
        .selectFrom('claims')
        .select('serial')
        .where('id', '=', claimId)
        .executeTakeFirstOrThrow()
      world.clock.now = new Date(world.clock.now.getTime() + 60 * 60 * 1000)
      const moved = await world.database.db.transaction().execute((trx) =>
        moveOpenClaimsToDealer(world.ctx, trx, {
          serial: claim.serial,
          dealer: { id: ORG.prairie, name: 'Prairie Sky Telescopes' },
          source: 'import',
          actor: REGISTRY_IMPORT,
          at: world.clock.now.toISOString(),
        }),
      )
      assert.equal(moved, 1)
      // The new dealer sends the unit home: the claim's recoveries are derived again.
      await act(world, world.otherDealer, claimId, 'ship-return', { carrier: 'DHL', trackingNumber: 'DHL77' })
      const shipped = await owed()
      assert.deepEqual(
        shipped.filter(([creditor]) => creditor === ORG.starlight),
        repaired,
        'the repairing dealer keeps what it bore',
      )
      for (const [creditor, lines] of shipped.filter(([creditor]) => creditor !== ORG.starlight))
        for (const [clause] of lines as Array<[string, number]>)
          assert.ok(
            !/parts|labour/.test(clause),
            `${creditor} is owed ${clause}, which the dealer before it did`,
          )
    })

    test('a sale the seller’s records make its own after the repair still owes the dealer the repair it did through its sale', async () => {
      const claimId = await seedDealerWarrantyRepair(world)
      const owed = async () =>
        (await recoveriesOfClaim(world, claimId))
          .filter((r) => r.lines.length > 0)
          .map((r) => [r.creditor.id, r.lines.map((l) => [l.clause, l.amountMinor]).sort()])
      const repaired = await owed()
      assert.deepEqual(
        repaired.map(([creditor]) => creditor),
        [ORG.starlight],
      )
      const db = world.database.db
      const { serial } = await db
        .selectFrom('claims')
        .select('serial')
        .where('id', '=', claimId)
        .executeTakeFirstOrThrow()
      world.clock.now = new Date(world.clock.now.getTime() + 60 * 60 * 1000)
      // The seller's file now names no dealer for the unit: the registry holds the seller's own sale.
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('units')
          .set({ channel: 'direct', dealer_org_id: null })
          .where('serial', '=', serial)
          .execute()
        await moveOpenClaimsToDealer(world.ctx, trx, {
          serial,
          dealer: null,
          source: 'import',
          actor: REGISTRY_IMPORT,
          at: world.clock.now.toISOString(),
        })
      })
      // The seller sends the unit home: the claim's recoveries are derived again.
      await act(world, world.staff, claimId, 'ship-return', { carrier: 'DHL', trackingNumber: 'DHL78' })
      assert.deepEqual(
        (await owed()).filter(([creditor]) => creditor === ORG.starlight),
        repaired,
        'the dealer that repaired the unit while the sale was its keeps what it is owed',
      )
    })
  })
}
