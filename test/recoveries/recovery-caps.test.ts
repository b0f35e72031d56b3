import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import type { RecoveryView } from '../../src/recoveries/recovery.schemas.ts'
import { runRecoverySweep } from '../../src/recoveries/run-recovery-sweep.ts'
import { type ClaimsWorld, ORG, openClaimsWorld, type Party } from '../claims/claim-factories.ts'
import {
  listRecoveriesAs,
  orgUser,
  recoveriesOfClaim,
  seedDealerWarrantyRepair,
} from './recovery-factories.ts'

for (const engine of testEngines()) {
  describe(`${engine}: lines a recovery cap cut`, () => {
    let world: ClaimsWorld
    let playerOne: Party
    let aurora: Party
    let recoveryId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      playerOne = await orgUser(world, ORG.playerOne)
      aurora = await orgUser(world, ORG.aurora)
      // 580.00 of parts and 60.00 of standard labour against the 600.00 player-one-dealer pays
      // for one claim: the labour is cut to 20.00 and the courier back to nothing.
      const claimId = await seedDealerWarrantyRepair(world, [
        { kind: 'parts', description: 'Sensor assembly', quantity: 1, unitPriceMinor: 58000 },
        { kind: 'return-shipping', description: 'Courier back', quantity: 1, unitPriceMinor: 1500 },
      ])
      const [recovery] = await recoveriesOfClaim(world, claimId)
      assert.ok(recovery)
      recoveryId = recovery.id
    })
    after(() => world.close())

    const cuts = (view: RecoveryView | undefined) =>
      view?.lines
        .map((l) => [l.clause, l.cappedFromMinor, l.amountMinor, l.capReasonCode])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])))

    test('the creditor and the debtor both see each cut line with its reason and its amount before and after', async () => {
      const expected = [
        ['player-one-dealer#parts-at-cost', null, 58000, null],
        ['player-one-dealer#return-freight', 1500, 0, 'per-claim-cap'],
        ['player-one-dealer#standard-labour', 6000, 2000, 'per-claim-cap'],
      ]
      for (const party of [world.dealer, playerOne]) {
        const response = await world.app.inject({
          method: 'GET',
          url: `/api/v1/recoveries/${recoveryId}`,
          headers: party.headers,
        })
        assert.equal(response.statusCode, 200, response.body)
        const view = response.json() as RecoveryView
        assert.ok(view.creditor.id === ORG.starlight && view.debtor.id === ORG.playerOne)
        assert.deepEqual(cuts(view), expected)
        assert.equal(view.totals.claimedMinor, 60000)
        const listed = (await listRecoveriesAs(world, party)).items.find((r) => r.id === recoveryId)
        assert.deepEqual(cuts(listed), expected)
        const pdf = await world.app.inject({
          method: 'GET',
          url: `/api/v1/recoveries/${recoveryId}/statement.pdf`,
          headers: party.headers,
        })
        assert.equal(pdf.statusCode, 200, pdf.body)
        const csv = await world.app.inject({
          method: 'GET',
          url: `/api/v1/recoveries/${recoveryId}/statement.csv`,
          headers: party.headers,
        })
        assert.equal(csv.statusCode, 200, csv.body)
        const [header, ...rows] = csv.body.trim().split('\n')
        assert.match(header ?? '', /,capped_from_minor,cap_reason_code,local_description$/)
        assert.ok(
          rows.some(
            (r) => r.includes('player-one-dealer#return-freight') && r.includes(',0,,,1500,per-claim-cap,'),
          ),
          rows.join('\n'),
        )
      }
    })

    test('a cost recorded after lines were filed gets only what the per-claim cap left: filed lines are not re-priced', async () => {
      // A second claim at the cap: 580.00 of parts and labour cut from 60.00 to 20.00.
      const claimId = await seedDealerWarrantyRepair(world, [
        { kind: 'parts', description: 'Sensor assembly', quantity: 1, unitPriceMinor: 58000 },
      ])
      // Later the dealer records another 10.00 part it bore (a second repair, back from the maker).
      await world.database.db
        .insertInto('claim_cost_lines')
        .values({
          id: 'zz-later-part',
          claim_id: claimId,
          quote_id: null,
          kind: 'parts',
          description: 'Fan',
          quantity: 1,
          unit_price_minor: 1000,
          currency: 'USD',
          payer: 'dealer',
          created_at: new Date(world.clock.now.getTime() + 60_000).toISOString(),
        })
        .execute()
      const sweep = await runRecoverySweep(world.ctx, { claimId })
      assert.equal(sweep.linesWritten, 1)
      // Both claims' lines share the month's draft: read this claim's.
      const [recovery] = await recoveriesOfClaim(world, claimId)
      const own = recovery && { ...recovery, lines: recovery.lines.filter((l) => l.claimId === claimId) }
      assert.deepEqual(cuts(own), [
        ['player-one-dealer#parts-at-cost', null, 58000, null],
        ['player-one-dealer#parts-at-cost', 1000, 0, 'per-claim-cap'],
        ['player-one-dealer#standard-labour', 6000, 2000, 'per-claim-cap'],
      ])
      assert.equal(
        own?.lines.reduce((sum, l) => sum + l.amountMinor, 0),
        60000,
      )
    })

    test('no third party sees the cut lines: another dealer, another maker and the customer', async () => {
      for (const party of [world.otherDealer, aurora, world.customer]) {
        for (const url of [
          `/api/v1/recoveries/${recoveryId}`,
          `/api/v1/recoveries/${recoveryId}/statement.csv`,
          `/api/v1/recoveries/${recoveryId}/statement.pdf`,
        ]) {
          const response = await world.app.inject({ method: 'GET', url, headers: party.headers })
          assert.equal(response.statusCode, 404, `${url}: ${response.body}`)
          assert.doesNotMatch(response.body, /per-claim-cap/)
        }
        const listed = await listRecoveriesAs(world, party)
        assert.ok(!listed.items.some((r) => r.id === recoveryId))
        assert.doesNotMatch(JSON.stringify(listed), /per-claim-cap/)
      }
    })
  })
}
