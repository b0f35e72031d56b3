import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { claimTimeZone, findClaimForUpdate } from '../../src/claims/index.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { deriveRecoveriesForClaim } from '../../src/recoveries/derive-recoveries.ts'
import { runRecoverySweep } from '../../src/recoveries/run-recovery-sweep.ts'
import type { ClaimsWorld } from '../claims/claim-factories.ts'
import { openClaimsWorld } from '../claims/claim-factories.ts'
import { seedDealerWarrantyRepair } from './recovery-factories.ts'

/** player-one-dealer pays at most 600.00 for one claim. */
const PER_CLAIM_CAP = 60000

// SQLite has one writer, so two derivations cannot overlap there; on PostgreSQL they can.
for (const engine of testEngines().filter((e) => e === 'postgres')) {
  describe(`${engine}: two derivations of one claim at once`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    const costLine = (claimId: string, id: string, unitPriceMinor: number, later: number) => ({
      id,
      claim_id: claimId,
      quote_id: null,
      kind: 'parts',
      description: `Part ${id}`,
      quantity: 1,
      unit_price_minor: unitPriceMinor,
      currency: 'USD',
      payer: 'dealer',
      created_at: new Date(world.clock.now.getTime() + later * 60_000).toISOString(),
    })

    test('the retry path waits on the claim row of a derivation in progress, and the per-claim cap holds', async () => {
      // 500.00 of parts and 60.00 of labour filed: 40.00 left under the cap.
      const claimId = await seedDealerWarrantyRepair(world, [
        { kind: 'parts', description: 'Sensor assembly', quantity: 1, unitPriceMinor: 50000 },
      ])
      // A cost recorded but not derived yet: what the retry path is there for.
      await world.database.db
        .insertInto('claim_cost_lines')
        .values(costLine(claimId, 'race-b', 3000, 1))
        .execute()

      // One connection: a claim step records another cost and derives, and stays open.
      let derived: (pid: number) => void = () => {}
      const derivedInA = new Promise<number>((resolve) => {
        derived = resolve
      })
      let release: () => void = () => {}
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      const held = world.ctx.db.transaction().execute(async (trx) => {
        const claim = await findClaimForUpdate(trx, claimId, true)
        assert.ok(claim)
        await trx
          .insertInto('claim_cost_lines')
          .values(costLine(claimId, 'race-a', 3000, 2))
          .execute()
        const result = await deriveRecoveriesForClaim(
          trx,
          { ...claim, timeZone: claimTimeZone(world.ctx.policies, claim) },
          world.clock.now.toISOString(),
        )
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
        derived(Number(rows[0]?.pid))
        await released
        return result
      })
      // Should the open transaction fail before it is held, the test fails instead of waiting.
      const holder = await Promise.race([
        derivedInA,
        held.then(() => assert.fail('the first derivation ended before it was held open')),
      ])

      // Another connection: the retry path derives the same claim meanwhile.
      let sweepDone = false
      const sweep = runRecoverySweep(world.ctx, { claimId }).finally(() => {
        sweepDone = true
      })
      try {
        const waiting = await waitForBlocked(world, holder)
        assert.equal(sweepDone, false)
        // It waits before it reads a single cost: on the claim row, not later on a draft or outcome row.
        assert.match(waiting, /from "claims".*for update/is)
      } finally {
        release()
      }
      const first = await held
      const second = await sweep
      assert.equal(first.linesWritten, 2)
      assert.equal(second.linesWritten, 0)
      const lines = await world.database.db
        .selectFrom('recovery_lines')
        .select(['line_key', 'amount_minor', 'cap_reason_code'])
        .where('claim_id', '=', claimId)
        .execute()
      assert.equal(new Set(lines.map((l) => l.line_key)).size, lines.length)
      assert.equal(
        lines.reduce((sum, l) => sum + Number(l.amount_minor), 0),
        PER_CLAIM_CAP,
      )
      assert.deepEqual(
        lines
          .filter((l) => l.line_key.includes('race-'))
          .map((l) => [Number(l.amount_minor), l.cap_reason_code])
          .sort(),
        [
          [1000, 'per-claim-cap'],
          [3000, null],
        ],
      )
    })
  })
}

/** The query another connection runs while it waits on a lock the holder has; fails after two seconds. */
async function waitForBlocked(world: ClaimsWorld, holder: number): Promise<string> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const { rows } = await sql<{ query: string }>`
      select query from pg_stat_activity where ${holder} = any(pg_blocking_pids(pid))
    `.execute(world.database.db)
    if (rows[0]) return rows[0].query
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  assert.fail('nothing waited on the claim being derived')
}
