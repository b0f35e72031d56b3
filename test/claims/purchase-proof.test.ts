import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestUser } from '../../src/auth/test-support.ts'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  type ClaimJson,
  type ClaimsWorld,
  emailDataOf,
  holdUpload,
  inspectAndDecide,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  ownerOf,
  type Party,
  seedPlayerOneUnit,
  tryAct,
} from './claim-factories.ts'

type ErrorBody = { error: { code: string; field: string; message: string } }
type Purchase = { proofOfPurchase?: boolean; proofOfPurchasePending?: boolean }

const MODEL = 'player-one-poseidon-m-pro'

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

/** Bob's claim on a unit nobody owns, with the proof of purchase he attached. */
async function claimWithOfferedProof(world: ClaimsWorld) {
  const serial = await unprovenUnit(world)
  const proof = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
  const claim = await openClaimAs(world, world.otherCustomer, openClaimBody(serial, { files: [proof] }))
  return { serial, proof, claim }
}

async function purchaseOf(world: ClaimsWorld, claimId: string): Promise<Purchase> {
  const row = await world.database.db
    .selectFrom('claims')
    .select('case_json')
    .where('id', '=', claimId)
    .executeTakeFirstOrThrow()
  const { proofOfPurchase, proofOfPurchasePending } = (JSON.parse(row.case_json) as { purchase: Purchase })
    .purchase
  return { proofOfPurchase, ...(proofOfPurchasePending === undefined ? {} : { proofOfPurchasePending }) }
}

async function unitProof(world: ClaimsWorld, serial: string) {
  const unit = await world.database.db
    .selectFrom('units')
    .select('proof_of_purchase')
    .where('serial', '=', serial)
    .executeTakeFirstOrThrow()
  const files = await world.database.db
    .selectFrom('proofs_of_purchase')
    .select('file_id')
    .where('serial', '=', serial)
    .execute()
  return { flag: unit.proof_of_purchase, files: files.map((f) => f.file_id) }
}

async function eventData(world: ClaimsWorld, claimId: string, type: string) {
  const rows = await world.database.db
    .selectFrom('claim_events')
    .select('data')
    .where('claim_id', '=', claimId)
    .where('type', '=', type)
    .execute()
  return rows.map((r) => JSON.parse(r.data) as Record<string, unknown>)
}

const finalExclusions = (claim: ClaimJson) =>
  (claim.finalDecision as unknown as { exclusions: { code: string }[] }).exclusions.map((e) => e.code)

for (const engine of testEngines()) {
  describe(`${engine}: staff weigh the proof of purchase a claim carries`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('accepted, the proof is on the unit, the claimant owns it, the case is proven and the final decision has no "no proof of purchase"', async () => {
      const { serial, proof, claim } = await claimWithOfferedProof(world)
      assert.deepEqual(await purchaseOf(world, claim.id), {
        proofOfPurchase: false,
        proofOfPurchasePending: true,
      })
      const accepted = await act(world, world.support, claim.id, 'accept-purchase-proof', {
        fileId: proof,
        nameOwner: true,
      })
      assert.equal(accepted.state, claim.state, 'weighing a proof moves the claim nowhere')
      assert.deepEqual(await purchaseOf(world, claim.id), { proofOfPurchase: true })
      assert.deepEqual(await unitProof(world, serial), { flag: 1, files: [proof] })
      assert.equal(await ownerOf(world, serial), 'cus-bob')
      assert.deepEqual(await eventData(world, claim.id, 'purchase-proof.accepted'), [
        { fileId: proof, ownerCustomerId: 'cus-bob' },
      ])
      assert.ok((await emailDataOf(world, claim.id, 'purchase-proof.accepted')).claimNumber)

      const decided = await inspectAndDecide(world, claim.id, serial, MODEL)
      assert.ok(
        !finalExclusions(decided).includes('no-proof-of-purchase'),
        JSON.stringify(decided.finalDecision),
      )
      assert.equal(decided.finalDecision?.covered, true)
    })

    test('a proof weighed once answers 409: naming the file while another proof waits, saying none waits once the purchase is proven; a file that is no proof of this claim answers 400 naming it', async () => {
      const serial = await unprovenUnit(world)
      const first = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const second = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const claim = await openClaimAs(
        world,
        world.otherCustomer,
        openClaimBody(serial, { files: [first, second] }),
      )
      await act(world, world.support, claim.id, 'refuse-purchase-proof', {
        fileId: first,
        reason: 'Unreadable',
      })
      for (const [action, body] of [
        ['accept-purchase-proof', { fileId: first }],
        ['refuse-purchase-proof', { fileId: first, reason: 'Still unreadable' }],
      ] as const) {
        const again = await tryAct(world, world.support, claim.id, action, body)
        assert.equal(again.statusCode, 409, again.body)
        const { error } = again.json() as ErrorBody
        assert.equal(error.field, 'body.fileId')
        assert.match(error.message, /has already been refused/)
      }
      await act(world, world.support, claim.id, 'accept-purchase-proof', { fileId: second })
      const proven = await tryAct(world, world.support, claim.id, 'accept-purchase-proof', { fileId: second })
      assert.equal(proven.statusCode, 409, proven.body)
      assert.match((proven.json() as ErrorBody).error.message, /no proof of purchase .* waits to be weighed/)
      // Another claim's proof, a photo of the fault on this one and a made-up id are not this claim's proof.
      const other = await claimWithOfferedProof(world)
      const media = await holdUpload(world, world.otherCustomer, 'defect-media')
      await world.database.db
        .updateTable('files')
        .set({ claim_id: other.claim.id })
        .where('id', '=', media)
        .execute()
      for (const fileId of [first, media, 'no-such-file']) {
        const wrong = await tryAct(world, world.support, other.claim.id, 'accept-purchase-proof', { fileId })
        assert.equal(wrong.statusCode, 400, wrong.body)
        assert.equal((wrong.json() as ErrorBody).error.field, 'body.fileId')
      }
      assert.deepEqual(await purchaseOf(world, other.claim.id), {
        proofOfPurchase: false,
        proofOfPurchasePending: true,
      })
    })

    test('refused, the case stays unproven, the customer is told why and asked again in the thread; the next proof they send is offered and can be accepted', async () => {
      const { serial, proof, claim } = await claimWithOfferedProof(world)
      const missingReason = await tryAct(world, world.support, claim.id, 'refuse-purchase-proof', {
        fileId: proof,
      })
      assert.equal(missingReason.statusCode, 400, missingReason.body)
      assert.equal((missingReason.json() as ErrorBody).error.field, 'body.reason')

      const reason = 'The invoice names serial PO585C0001, not this unit.'
      const refused = await act(world, world.support, claim.id, 'refuse-purchase-proof', {
        fileId: proof,
        reason,
      })
      assert.equal(refused.state, 'awaiting-info', 'the customer is asked for another proof')
      assert.deepEqual(await purchaseOf(world, claim.id), { proofOfPurchase: false })
      assert.deepEqual(await unitProof(world, serial), { flag: 0, files: [] })
      assert.equal(await ownerOf(world, serial), null)
      assert.deepEqual(await eventData(world, claim.id, 'purchase-proof.refused'), [
        { fileId: proof, reason, stillOffered: false },
      ])
      assert.equal((await emailDataOf(world, claim.id, 'purchase-proof.refused')).reason, reason)

      const thread = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claim.id}/messages`,
        headers: world.otherCustomer.headers,
      })
      const turns = (thread.json() as { items: { kind: string; body: string }[] }).items
      assert.deepEqual(turns.at(-1), { ...turns.at(-1), kind: 'info-request', body: reason })

      const second = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const answer = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claim.id}/messages`,
        headers: world.otherCustomer.headers,
        payload: { body: 'The right invoice', fileIds: [second] },
      })
      assert.equal(answer.statusCode, 201, answer.body)
      assert.deepEqual(await purchaseOf(world, claim.id), {
        proofOfPurchase: false,
        proofOfPurchasePending: true,
      })
      await act(world, world.support, claim.id, 'accept-purchase-proof', { fileId: second })
      assert.deepEqual(await purchaseOf(world, claim.id), { proofOfPurchase: true })
      assert.deepEqual(await unitProof(world, serial), { flag: 1, files: [second] })
    })

    test('refused where the claim asks nothing more, the next proof sent in a plain message is offered for staff to weigh', async () => {
      const { serial, proof, claim } = await claimWithOfferedProof(world)
      // The first proof refused and the question answered without another, the claim is decided
      // without a proof and its repair quoted: a quoted claim asks nothing more.
      await act(world, world.support, claim.id, 'refuse-purchase-proof', {
        fileId: proof,
        reason: 'The receipt is for a different model.',
      })
      await act(world, world.otherCustomer, claim.id, 'provide-info', { answer: 'I will look for it.' })
      const decided = await inspectAndDecide(world, claim.id, serial, MODEL)
      assert.equal(decided.finalDecision?.covered, false)
      await act(world, world.staff, claim.id, 'send-quote', {
        lines: [{ kind: 'parts', description: 'Sensor board', quantity: 1, unitPriceMinor: 50000 }],
      })

      const post = async (party: Party, payload: Record<string, unknown>) => {
        const response = await world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${claim.id}/messages`,
          headers: party.headers,
          payload,
        })
        assert.equal(response.statusCode, 201, response.body)
      }
      const second = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      await post(world.otherCustomer, { body: 'Another receipt', fileIds: [second] })
      const refused = await act(world, world.support, claim.id, 'refuse-purchase-proof', {
        fileId: second,
        reason: 'The receipt is cut off at the date.',
      })
      assert.equal(refused.state, 'quoted', 'no question is asked while the quote waits for its answer')
      assert.deepEqual(await purchaseOf(world, claim.id), { proofOfPurchase: false })

      const third = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      await post(world.otherCustomer, { body: 'The whole receipt', fileIds: [third] })
      assert.deepEqual(await purchaseOf(world, claim.id), {
        proofOfPurchase: false,
        proofOfPurchasePending: true,
      })
      const posted = await eventData(world, claim.id, 'message.posted')
      assert.equal(posted.at(-1)?.proofOfPurchaseOffered, true)
      const accepted = await act(world, world.support, claim.id, 'accept-purchase-proof', { fileId: third })
      assert.deepEqual(await purchaseOf(world, claim.id), { proofOfPurchase: true })
      assert.deepEqual(await unitProof(world, serial), { flag: 1, files: [third] })
      // A quote was sent on the decision: it stands, and the proof accepted after it is in the history.
      assert.equal(accepted.state, 'quoted')
      assert.deepEqual(accepted.finalDecision, decided.finalDecision)
      assert.equal((await eventData(world, claim.id, 'decision.made')).length, 1)
    })

    test('a proof accepted after the claim was decided without it, before anything followed the decision, decides the claim again on the same inspection, and the customer is told', async () => {
      const { serial, proof, claim } = await claimWithOfferedProof(world)
      await act(world, world.support, claim.id, 'refuse-purchase-proof', {
        fileId: proof,
        reason: 'The receipt is for a different model.',
      })
      await act(world, world.otherCustomer, claim.id, 'provide-info', { answer: 'I will look for it.' })
      const decided = await inspectAndDecide(world, claim.id, serial, MODEL)
      assert.ok(finalExclusions(decided).includes('no-proof-of-purchase'))
      assert.ok(decided.allowedActions.includes('send-quote'))
      const mailsBefore = (await emailDataOf(world, claim.id, 'decision.made')).claimNumber

      const found = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const posted = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claim.id}/messages`,
        headers: world.otherCustomer.headers,
        payload: { body: 'Found the right receipt', fileIds: [found] },
      })
      assert.equal(posted.statusCode, 201, posted.body)
      const accepted = await act(world, world.support, claim.id, 'accept-purchase-proof', { fileId: found })

      assert.equal(accepted.state, 'decided')
      assert.equal(accepted.finalDecision?.covered, true, JSON.stringify(accepted.finalDecision))
      assert.ok(!finalExclusions(accepted).includes('no-proof-of-purchase'))
      assert.ok(accepted.allowedActions.includes('start-repair'), accepted.allowedActions.join())
      assert.ok(!accepted.allowedActions.includes('send-quote'))
      assert.equal(accepted.version, decided.version + 2, 'the acceptance and the decision made again')
      const decisions = await eventData(world, claim.id, 'decision.made')
      assert.equal(decisions.length, 2)
      assert.deepEqual(decisions[1], {
        decision: accepted.finalDecision,
        purchaseProofAccepted: { fileId: found },
      })
      const types = await world.database.db
        .selectFrom('claim_events')
        .select('type')
        .where('claim_id', '=', claim.id)
        .orderBy('seq', 'desc')
        .limit(2)
        .execute()
      assert.deepEqual(
        types.map((t) => t.type),
        ['decision.made', 'purchase-proof.accepted'],
      )
      const outbox = await world.database.db
        .selectFrom('outbox_messages')
        .select(['topic', 'payload'])
        .where('claim_id', '=', claim.id)
        .where('channel', '=', 'email')
        .where('topic', '=', 'decision.made')
        .orderBy('created_at')
        .execute()
      assert.ok(mailsBefore)
      const covered = outbox.map((m) => (JSON.parse(m.payload) as { covered?: boolean }).covered)
      assert.deepEqual(covered, [false, true], 'the customer is mailed the decision made again')

      const chain = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claim.id}/events`,
        headers: world.otherCustomer.headers,
      })
      const again = (chain.json() as { items: { type: string; data: Record<string, unknown> }[] }).items.at(
        -1,
      )
      assert.equal(again?.type, 'decision.made')
      assert.deepEqual(again?.data.purchaseProofAccepted, { fileId: found }, 'the customer reads why')
    })

    test('after a refusal the final decision excludes the claim for want of a proof, and the refusal with its reason is in the history', async () => {
      const { serial, proof, claim } = await claimWithOfferedProof(world)
      const reason = 'The receipt is for a different model.'
      await act(world, world.support, claim.id, 'refuse-purchase-proof', { fileId: proof, reason })
      await act(world, world.otherCustomer, claim.id, 'provide-info', { answer: 'I have no other receipt.' })
      const decided = await inspectAndDecide(world, claim.id, serial, MODEL)
      assert.ok(finalExclusions(decided).includes('no-proof-of-purchase'))
      assert.equal(decided.finalDecision?.covered, false)
      const history = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claim.id}/events`,
        headers: world.otherCustomer.headers,
      })
      const refusal = (
        history.json() as { items: { type: string; data: Record<string, unknown> }[] }
      ).items.find((e) => e.type === 'purchase-proof.refused')
      assert.equal(refusal?.data.reason, reason, 'the customer reads why in the history')
      assert.deepEqual(await eventData(world, claim.id, 'decision.made'), [
        { decision: decided.finalDecision, purchaseProofRefused: { fileId: proof, reason } },
      ])
    })

    test('two offered proofs: one refused, the other still waits and keeps the proof offered', async () => {
      const serial = await unprovenUnit(world)
      const first = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const second = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const claim = await openClaimAs(
        world,
        world.otherCustomer,
        openClaimBody(serial, { files: [first, second] }),
      )
      const refused = await act(world, world.support, claim.id, 'refuse-purchase-proof', {
        fileId: first,
        reason: 'Unreadable scan',
      })
      assert.equal(refused.state, claim.state, 'no question while another proof waits')
      assert.deepEqual(await purchaseOf(world, claim.id), {
        proofOfPurchase: false,
        proofOfPurchasePending: true,
      })
      await act(world, world.support, claim.id, 'accept-purchase-proof', { fileId: second })
      assert.deepEqual(await purchaseOf(world, claim.id), { proofOfPurchase: true })
    })

    test('naming the owner of a unit someone else owns is refused with 409 naming nameOwner, and nothing is written', async () => {
      const { serial, proof, claim } = await claimWithOfferedProof(world)
      await world.database.db
        .updateTable('units')
        .set({ owner_customer_id: 'cus-alice' })
        .where('serial', '=', serial)
        .execute()
      const refused = await tryAct(world, world.support, claim.id, 'accept-purchase-proof', {
        fileId: proof,
        nameOwner: true,
      })
      assert.equal(refused.statusCode, 409, refused.body)
      assert.equal((refused.json() as ErrorBody).error.field, 'body.nameOwner')
      assert.deepEqual(await unitProof(world, serial), { flag: 0, files: [] })
      assert.deepEqual(await purchaseOf(world, claim.id), {
        proofOfPurchase: false,
        proofOfPurchasePending: true,
      })
      assert.equal(await ownerOf(world, serial), 'cus-alice')
    })

    test('support, managers and admins weigh proofs; a technician, the customer, a dealer, an integration and the signed-out may not', async () => {
      const party = async (role: 'support' | 'manager' | 'admin' | 'integration'): Promise<Party> =>
        createTestUser(world.database.db, { role })
      const refusedBy: Array<[string, Party | undefined]> = [
        ['technician', world.staff],
        ['customer', world.otherCustomer],
        ['dealer', world.dealer],
        ['integration', await party('integration')],
        ['signed-out', undefined],
      ]
      const { proof, claim } = await claimWithOfferedProof(world)
      for (const [who, by] of refusedBy) {
        for (const [action, body] of [
          ['accept-purchase-proof', { fileId: proof, nameOwner: true }],
          ['refuse-purchase-proof', { fileId: proof, reason: 'Looks forged' }],
        ] as const) {
          const response = await tryAct(world, by ?? { userId: '', headers: {} }, claim.id, action, body)
          assert.ok([401, 403, 404].includes(response.statusCode), `${who} ${action}: ${response.body}`)
        }
      }
      // The technician sees the claim, so is told why: weighing a proof is not a technician's step.
      const byTechnician = await tryAct(world, world.staff, claim.id, 'accept-purchase-proof', {
        fileId: proof,
      })
      assert.equal(byTechnician.statusCode, 403, byTechnician.body)
      assert.equal(
        (byTechnician.json() as { error: { messageKey: string } }).error.messageKey,
        'lifecycle.role-may-not',
      )
      assert.deepEqual(await purchaseOf(world, claim.id), {
        proofOfPurchase: false,
        proofOfPurchasePending: true,
      })
      for (const role of ['support', 'manager', 'admin'] as const) {
        const next = await claimWithOfferedProof(world)
        await act(world, await party(role), next.claim.id, 'accept-purchase-proof', { fileId: next.proof })
      }
      const allowedTo = async (by: Party) => {
        const sees = await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${claim.id}`,
          headers: by.headers,
        })
        return (sees.json() as ClaimJson).allowedActions
      }
      const supportMay = await allowedTo(world.support)
      assert.ok(supportMay.includes('accept-purchase-proof') && supportMay.includes('refuse-purchase-proof'))
      const technicianMay = await allowedTo(world.staff)
      assert.ok(
        !technicianMay.includes('accept-purchase-proof') && !technicianMay.includes('refuse-purchase-proof'),
      )
      assert.ok(technicianMay.length > 0, "the technician keeps the claim's other steps")
      // A claim whose purchase the registry proves offers staff nothing to weigh.
      const proven = await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))
      assert.ok(!proven.allowedActions.includes('accept-purchase-proof'))
      assert.ok(!(await allowedTo(world.otherCustomer)).includes('accept-purchase-proof'))
    })
  })
}
