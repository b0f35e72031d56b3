import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { listRecoveryEvents } from '../../src/recoveries/recovery.store.ts'
import { verifyRecoveryChain } from '../../src/recoveries/recovery-history.ts'
import {
  act,
  type ClaimsWorld,
  fullInspection,
  ORG,
  openClaimsWorld,
  packageOf,
} from '../claims/claim-factories.ts'
import { listRecoveriesAs, recoveriesOfClaim, seedForwardedAgentUnit, step } from './recovery-factories.ts'

const MOUNT = 'aurora-mounts-aurora-am5-harmonic-mount'

/** The maker sends the forwarded mount back, found damaged by its user, and the claim is decided again. */
async function findDamage(world: ClaimsWorld, claimId: string) {
  await act(world, world.staff, claimId, 'return-from-maker')
  const serial = (
    await world.database.db
      .selectFrom('claims')
      .select('serial')
      .where('id', '=', claimId)
      .executeTakeFirstOrThrow()
  ).serial
  await act(
    world,
    world.staff,
    claimId,
    'record-inspection',
    fullInspection(serial, await packageOf(world, MOUNT), {
      findings: ['physical-damage'],
      manufacturingDefect: false,
    }),
  )
  return act(world, world.staff, claimId, 'make-decision')
}

/** A forwarded mount whose line is filed, then found damaged by its user and decided again as not covered. */
async function forwardThenFindDamage(world: ClaimsWorld): Promise<{ claimId: string; draftId: string }> {
  const claimId = await seedForwardedAgentUnit(world)
  const [filed] = await recoveriesOfClaim(world, claimId)
  assert.ok(filed)
  assert.deepEqual(
    filed?.lines.map((l) => [l.clause, l.amountMinor]),
    [['aurora-agent-freight#forward-leg', 12000]],
  )
  const decided = await findDamage(world, claimId)
  assert.equal(decided.finalDecision?.covered, false)
  return { claimId, draftId: filed.id }
}

/**
 * A decision that changes after work was filed: the maker finds the mount it was sent
 * damaged by its user, and the claim is decided again as not covered. Aurora's terms never
 * pay the forward leg of a unit out of warranty, so a draft must not go on asking for it.
 */
for (const engine of testEngines()) {
  describe(`${engine}: a recovery after the decision changed`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    /** The customer declines the paid repair the changed decision offers, so the unit goes back unrepaired. */
    async function declineRepair(claimId: string) {
      const quoted = await act(world, world.staff, claimId, 'send-quote', {
        lines: [{ kind: 'parts', description: 'Harmonic drive', quantity: 1, unitPriceMinor: 88000 }],
      })
      await act(world, world.customer, claimId, 'decline-quote', { quoteId: quoted.quote?.id })
    }

    test('a draft line whose decision no longer gives it to the debtor is withdrawn, with the reason kept', async () => {
      const { claimId, draftId } = await forwardThenFindDamage(world)
      await declineRepair(claimId)
      await act(world, world.staff, claimId, 'ship-return', { carrier: 'SF', trackingNumber: 'SF-2' })
      const recoveries = await recoveriesOfClaim(world, claimId)
      assert.deepEqual(
        recoveries.flatMap((r) => r.lines.map((l) => l.clause)),
        [],
        'the maker is still asked for the forward leg of a unit out of warranty',
      )
      const response = await world.app.inject({
        method: 'GET',
        url: `/api/v1/recoveries/outcomes/${claimId}`,
        headers: world.staff.headers,
      })
      assert.equal(response.statusCode, 200, response.body)
      const outcome = response.json() as { outcome: string; reasons: { code: string; clause?: string }[] }
      assert.equal(outcome.outcome, 'none')
      assert.deepEqual(
        outcome.reasons.map((r) => [r.code, r.clause]),
        [['never-paid', 'aurora-agent-freight#out-of-warranty']],
      )
      const events = await listRecoveryEvents(world.database.db, draftId)
      const withdrawn = events.find((e) => e.type === 'recovery.lines-withdrawn')
      assert.deepEqual(JSON.parse(withdrawn?.data ?? 'null')?.lines, [
        {
          lineKey: `${claimId}:aurora-agent-freight:forward-leg:forward@org-shenzhen-distributor`,
          clause: 'aurora-agent-freight#forward-leg',
          amountMinor: 12000,
        },
      ])
      assert.equal(await verifyRecoveryChain(world.database.db, draftId), null)
    })

    test('the line leaves the draft when the claim is decided again, before any further work', async () => {
      const { claimId } = await forwardThenFindDamage(world)
      assert.deepEqual(
        (await recoveriesOfClaim(world, claimId)).flatMap((r) =>
          r.lines.filter((l) => l.claimId === claimId).map((l) => l.clause),
        ),
        [],
        'the creditor can submit the forward leg between the new decision and the next work',
      )
    })

    test('a line already submitted stays for the debtor to answer: what was asked is not taken back unseen', async () => {
      const claimId = await seedForwardedAgentUnit(world)
      const [filed] = await recoveriesOfClaim(world, claimId)
      assert.ok(filed)
      await step(world, world.staff, filed.id, 'submit')
      await findDamage(world, claimId)
      await declineRepair(claimId)
      await act(world, world.staff, claimId, 'ship-return', { carrier: 'SF', trackingNumber: 'SF-3' })
      const [after, ...rest] = await recoveriesOfClaim(world, claimId)
      assert.equal(rest.length, 0)
      assert.equal(after?.state, 'submitted')
      assert.equal(after?.debtor.id, ORG.aurora)
      assert.deepEqual(
        after?.lines.filter((l) => l.claimId === claimId).map((l) => l.clause),
        ['aurora-agent-freight#forward-leg'],
      )
    })
  })
}

for (const engine of testEngines()) {
  describe(`${engine}: a draft all of whose lines were withdrawn`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('is withdrawn from every view and cannot be submitted, and comes back when a line is filed in it again', async () => {
      const { draftId } = await forwardThenFindDamage(world)
      const get = (url: string) => world.app.inject({ method: 'GET', url, headers: world.staff.headers })
      const listed = async (query = '') =>
        (await listRecoveriesAs(world, world.staff, query)).items.map((r) => r.id)
      assert.ok(!(await listed()).includes(draftId), 'an empty draft is still listed')
      assert.ok(
        !(await listed('?state=draft')).includes(draftId),
        'an empty draft is still listed as a draft',
      )
      for (const path of ['', '/events', '/statement.csv'])
        assert.equal((await get(`/api/v1/recoveries/${draftId}${path}`)).statusCode, 404, path)
      const summary = (await get('/api/v1/recoveries/summary')).json() as {
        items: { counterparty: { id: string } }[]
      }
      assert.deepEqual(summary.items, [], 'the empty draft is no money owed to anyone')
      const { version } = await world.database.db
        .selectFrom('recovery_claims')
        .select('version')
        .where('id', '=', draftId)
        .executeTakeFirstOrThrow()
      const submit = await world.app.inject({
        method: 'POST',
        url: `/api/v1/recoveries/${draftId}/submit`,
        headers: { ...world.staff.headers, 'if-match': `"${version}"` },
        payload: {},
      })
      assert.equal(submit.statusCode, 404, submit.body)

      // Another forwarded mount of the same month is filed in the same draft: it is back.
      const claimId = await seedForwardedAgentUnit(world)
      const [back] = await recoveriesOfClaim(world, claimId)
      assert.equal(back?.id, draftId)
      assert.equal(back?.state, 'draft')
      assert.equal(back?.lines.length, 1)
      assert.ok((await listed('?state=draft')).includes(draftId))
      assert.equal((await step(world, world.staff, draftId, 'submit')).state, 'submitted')
    })
  })
}
