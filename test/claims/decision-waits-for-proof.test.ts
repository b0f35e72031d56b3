import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  type ClaimJson,
  type ClaimsWorld,
  fullInspection,
  holdUpload,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  packageOf,
  seedPlayerOneUnit,
  tryAct,
} from './claim-factories.ts'

type Held = { action: string; reason: string }
type Steps = Pick<ClaimJson, 'id' | 'state' | 'allowedActions'> & { heldActions: Held[] }
type ErrorBody = { error: { messageKey: string; details?: { allowed?: string[] } } }

const MODEL = 'player-one-poseidon-m-pro'
const PROOF_WAITS: Held = { action: 'make-decision', reason: 'claims.decision.proof-waits' }

/** A unit on file that nobody owns and whose purchase the registry has no proof of. */
async function unprovenUnit(world: ClaimsWorld): Promise<string> {
  const serial = await seedPlayerOneUnit(world)
  await world.database.db
    .updateTable('units')
    .set({ owner_customer_id: null, proof_of_purchase: 0 })
    .where('serial', '=', serial)
    .execute()
  return serial
}

/**
 * A claim with the proofs of purchase its claimant attached (Bob, on a unit nobody owns), or
 * none (Alice, on her own unit), returned, received and inspected.
 */
async function inspectedClaim(world: ClaimsWorld, serial: string, proofs: number) {
  const claimant = proofs === 0 ? world.customer : world.otherCustomer
  const files: string[] = []
  for (let i = 0; i < proofs; i++) files.push(await holdUpload(world, claimant, 'proof-of-purchase'))
  const claim = await openClaimAs(world, claimant, openClaimBody(serial, { files }))
  await act(world, world.staff, claim.id, 'authorize-return')
  await act(world, world.staff, claim.id, 'receive-unit')
  await act(
    world,
    world.staff,
    claim.id,
    'record-inspection',
    fullInspection(serial, await packageOf(world, MODEL)),
  )
  return { claimId: claim.id, files }
}

/** The claim's page, and its row in the claims list, as this reader reads them. */
async function stepsOf(world: ClaimsWorld, party: Party, claimId: string, serial: string) {
  const page = await world.app.inject({
    method: 'GET',
    url: `/api/v1/claims/${claimId}`,
    headers: party.headers,
  })
  assert.equal(page.statusCode, 200, page.body)
  const list = await world.app.inject({
    method: 'GET',
    url: `/api/v1/claims?serial=${encodeURIComponent(serial)}`,
    headers: party.headers,
  })
  assert.equal(list.statusCode, 200, list.body)
  const row = (list.json() as { items: Steps[] }).items.find((item) => item.id === claimId)
  assert.ok(row, 'the claim is on the list')
  return { page: page.json() as Steps, row }
}

/** Asserts the page and the list row offer make-decision, or hold it for the proof, alike. */
async function assertDecision(
  world: ClaimsWorld,
  claimId: string,
  serial: string,
  expected: 'offered' | 'held',
) {
  const { page, row } = await stepsOf(world, world.staff, claimId, serial)
  for (const [where, view] of [
    ['page', page],
    ['list', row],
  ] as const) {
    assert.equal(
      view.allowedActions.includes('make-decision'),
      expected === 'offered',
      `${where}: ${view.allowedActions}`,
    )
    assert.deepEqual(view.heldActions, expected === 'held' ? [PROOF_WAITS] : [], where)
  }
}

for (const engine of testEngines()) {
  describe(`${engine}: the final decision is offered exactly when no proof of purchase waits for staff`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('with no proof waiting, make-decision is offered and nothing is held', async () => {
      const serial = await seedPlayerOneUnit(world)
      const { claimId } = await inspectedClaim(world, serial, 0)
      await assertDecision(world, claimId, serial, 'offered')
      assert.equal((await act(world, world.staff, claimId, 'make-decision')).state, 'decided')
    })

    test('while a proof waits, make-decision is held with claims.decision.proof-waits, not offered, and the server refuses it alike; accepted, it is offered again and taken', async () => {
      const serial = await unprovenUnit(world)
      const { claimId, files } = await inspectedClaim(world, serial, 1)
      await assertDecision(world, claimId, serial, 'held')
      const refused = await tryAct(world, world.staff, claimId, 'make-decision')
      assert.equal(refused.statusCode, 409, refused.body)
      const error = (refused.json() as ErrorBody).error
      assert.equal(error.messageKey, 'claims.decision.proof-waits')
      assert.ok(
        !error.details?.allowed?.includes('make-decision'),
        'the refusal lists what is allowed instead',
      )

      const accepted = (await act(world, world.support, claimId, 'accept-purchase-proof', {
        fileId: files[0],
      })) as unknown as Steps
      assert.ok(accepted.allowedActions.includes('make-decision'), 'the answer to the acceptance offers it')
      assert.deepEqual(accepted.heldActions, [])
      await assertDecision(world, claimId, serial, 'offered')
      assert.equal((await act(world, world.staff, claimId, 'make-decision')).state, 'decided')
    })

    test('refused, the proof holds it no more: held while another proof still waits, then the claim asks the customer, and their answer offers it again', async () => {
      const serial = await unprovenUnit(world)
      const { claimId, files } = await inspectedClaim(world, serial, 2)
      await assertDecision(world, claimId, serial, 'held')
      await act(world, world.support, claimId, 'refuse-purchase-proof', {
        fileId: files[0],
        reason: 'The receipt is for a different model.',
      })
      await assertDecision(world, claimId, serial, 'held')
      const asked = (await act(world, world.support, claimId, 'refuse-purchase-proof', {
        fileId: files[1],
        reason: 'The receipt is cut off at the date.',
      })) as unknown as Steps
      assert.equal(asked.state, 'awaiting-info', 'the customer is asked for another proof')
      assert.deepEqual(asked.heldActions, [], 'no proof holds the decision any more')
      const answered = (await act(world, world.otherCustomer, claimId, 'provide-info', {
        answer: 'I have no other receipt.',
      })) as unknown as Steps
      assert.equal(answered.state, 'inspected')
      await assertDecision(world, claimId, serial, 'offered')
      assert.equal((await act(world, world.staff, claimId, 'make-decision')).state, 'decided')
    })

    test('a unit whose registry proves the purchase does not hold the decision for a proof still waiting on the claim', async () => {
      const serial = await unprovenUnit(world)
      const { claimId } = await inspectedClaim(world, serial, 1)
      await assertDecision(world, claimId, serial, 'held')
      // A seller's file proves the purchase on the unit; the claimant's document is not weighed.
      await world.database.db
        .updateTable('units')
        .set({ proof_of_purchase: 1 })
        .where('serial', '=', serial)
        .execute()
      await assertDecision(world, claimId, serial, 'offered')
      assert.equal((await act(world, world.staff, claimId, 'make-decision')).state, 'decided')
    })

    test('a customer is offered no decision and shown none held', async () => {
      const serial = await unprovenUnit(world)
      const { claimId } = await inspectedClaim(world, serial, 1)
      const { page } = await stepsOf(world, world.otherCustomer, claimId, serial)
      assert.ok(!page.allowedActions.includes('make-decision'))
      assert.deepEqual(page.heldActions, [])
    })
  })
}
