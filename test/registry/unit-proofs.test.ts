import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestUser } from '../../src/auth/test-support.ts'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  addDays,
  type ClaimsWorld,
  holdUpload,
  newSerial,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  ownerOf,
  type Party,
  seedPlayerOneUnit,
  TODAY,
  tryAct,
} from '../claims/claim-factories.ts'

type ErrorBody = { error: { code: string; field: string; message: string; messageKey: string } }
type UnitProof = { fileId: string; status: string; reason: string | null }
type WeighedProof = UnitProof & { weighedAt: string | null; weighedBy?: { id: string; name: string } | null }
type QueueItem = { serial: string; fileId: string; customer: { id: string } | null; openClaims: unknown[] }

const MODEL = 'player-one-poseidon-m-pro'

/** A customer's own registration of a serial not on file, with the proof of purchase they uploaded. */
async function registerWithProof(world: ClaimsWorld, party: Party) {
  const serial = newSerial('UPR')
  const fileId = await holdUpload(world, party, 'proof-of-purchase')
  const response = await world.app.inject({
    method: 'POST',
    url: '/api/v1/units',
    headers: party.headers,
    payload: {
      serial,
      model: MODEL,
      channel: 'direct',
      purchasedOn: addDays(TODAY, -60),
      proofFileId: fileId,
    },
  })
  assert.equal(response.statusCode, 201, response.body)
  return {
    serial,
    fileId,
    unit: response.json() as { proofOfPurchase: boolean; purchaseProofs: UnitProof[] },
  }
}

const weigh = (
  world: ClaimsWorld,
  by: Party,
  serial: string,
  verdict: 'accept' | 'refuse',
  body: Record<string, unknown>,
  language = 'en',
) =>
  world.app.inject({
    method: 'POST',
    url: `/api/v1/units/${encodeURIComponent(serial)}/purchase-proof/${verdict}`,
    headers: { ...by.headers, 'accept-language': language },
    payload: body,
  })

const queue = (world: ClaimsWorld, by: Party, query = '') =>
  world.app.inject({ method: 'GET', url: `/api/v1/unit-proofs${query}`, headers: by.headers })

async function unitFlag(world: ClaimsWorld, serial: string): Promise<number> {
  const row = await world.database.db
    .selectFrom('units')
    .select('proof_of_purchase')
    .where('serial', '=', serial)
    .executeTakeFirstOrThrow()
  return Number(row.proof_of_purchase)
}

async function proofRow(world: ClaimsWorld, serial: string, fileId: string) {
  return world.database.db
    .selectFrom('proofs_of_purchase')
    .select(['status', 'weighed_by_user_id', 'weighed_at', 'refusal_reason'])
    .where('serial', '=', serial)
    .where('file_id', '=', fileId)
    .executeTakeFirstOrThrow()
}

/** The unit mails to this address, by template, oldest first. */
async function unitMails(world: ClaimsWorld, to: string, topic: string) {
  const rows = await world.database.db
    .selectFrom('outbox_messages')
    .select(['payload', 'locale'])
    .where('recipient', '=', to)
    .where('topic', '=', topic)
    .orderBy('created_at')
    .execute()
  return rows.map((row) => ({ locale: row.locale, data: JSON.parse(row.payload) as Record<string, unknown> }))
}

async function emailOf(world: ClaimsWorld, customerId: string): Promise<string> {
  const row = await world.database.db
    .selectFrom('customers')
    .select('email')
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow()
  return row.email
}

async function claimPurchase(world: ClaimsWorld, claimId: string) {
  const row = await world.database.db
    .selectFrom('claims')
    .select('case_json')
    .where('id', '=', claimId)
    .executeTakeFirstOrThrow()
  return (
    JSON.parse(row.case_json) as { purchase: { proofOfPurchase?: boolean; proofOfPurchasePending?: boolean } }
  ).purchase
}

async function queuedFiles(world: ClaimsWorld): Promise<string[]> {
  const response = await queue(world, world.support, '?limit=200')
  assert.equal(response.statusCode, 200, response.body)
  return (response.json() as { items: QueueItem[] }).items.map((item) => item.fileId)
}

for (const engine of testEngines()) {
  describe(`${engine}: staff weigh the proof of purchase a customer files with their own registration`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('registered with a proof, the unit is not proven: the proof waits in the queue; accepted, the unit is proven, the owner is mailed, and a second weighing answers 409 naming fileId', async () => {
      const { serial, fileId, unit } = await registerWithProof(world, world.otherCustomer)
      assert.equal(unit.proofOfPurchase, false, "a customer's document is their word until staff weigh it")
      assert.deepEqual(
        unit.purchaseProofs.map((p) => [p.fileId, p.status]),
        [[fileId, 'offered']],
      )
      assert.equal(await unitFlag(world, serial), 0)
      const waiting = (await queue(world, world.support)).json() as { items: QueueItem[] }
      const item = waiting.items.find((i) => i.fileId === fileId)
      assert.deepEqual([item?.serial, item?.customer?.id, item?.openClaims], [serial, 'cus-bob', []])

      const accepted = await weigh(world, world.support, serial, 'accept', { fileId })
      assert.equal(accepted.statusCode, 200, accepted.body)
      assert.deepEqual(accepted.json(), { serial, fileId, status: 'accepted', proofOfPurchase: true })
      assert.equal(await unitFlag(world, serial), 1)
      const row = await proofRow(world, serial, fileId)
      assert.deepEqual(
        [row.status, row.weighed_by_user_id, row.refusal_reason],
        ['accepted', world.support.userId, null],
      )
      assert.ok(row.weighed_at)
      const mails = await unitMails(world, await emailOf(world, 'cus-bob'), 'unit.proof-accepted')
      assert.equal(mails.at(-1)?.data.serial, serial)
      assert.ok(!(await queuedFiles(world)).includes(fileId), 'weighed, it leaves the queue')

      for (const [verdict, body] of [
        ['accept', { fileId }],
        ['refuse', { fileId, reason: 'Changed my mind' }],
      ] as const) {
        const again = await weigh(world, world.support, serial, verdict, body)
        assert.equal(again.statusCode, 409, again.body)
        const { error } = again.json() as ErrorBody
        assert.equal(error.field, 'body.fileId')
        assert.match(error.message, /has already been accepted/)
      }
      const notItsProof = await weigh(world, world.support, serial, 'accept', { fileId: 'no-such-file' })
      assert.equal(notItsProof.statusCode, 400, notItsProof.body)
      assert.equal((notItsProof.json() as ErrorBody).error.field, 'body.fileId')
    })

    test('refused, the unit stays unproven and the owner is mailed the reason in their language; the owner reads the reason on the unit', async () => {
      await world.database.db
        .updateTable('customers')
        .set({ locale: 'zh', locale_chosen_at: new Date().toISOString() })
        .where('id', '=', 'cus-bob')
        .execute()
      const { serial, fileId } = await registerWithProof(world, world.otherCustomer)
      const noReason = await weigh(world, world.support, serial, 'refuse', { fileId })
      assert.equal(noReason.statusCode, 400, noReason.body)
      assert.equal((noReason.json() as ErrorBody).error.field, 'body.reason')

      const reason = '发票上的序列号与此设备不符。'
      const refused = await weigh(world, world.support, serial, 'refuse', { fileId, reason })
      assert.equal(refused.statusCode, 200, refused.body)
      assert.deepEqual(refused.json(), { serial, fileId, status: 'refused', proofOfPurchase: false })
      assert.equal(await unitFlag(world, serial), 0)
      assert.equal((await proofRow(world, serial, fileId)).refusal_reason, reason)
      const mails = await unitMails(world, await emailOf(world, 'cus-bob'), 'unit.proof-refused')
      const mail = mails.find((m) => m.data.serial === serial)
      assert.deepEqual([mail?.locale, mail?.data.reason], ['zh', reason])

      const seen = await world.app.inject({
        method: 'GET',
        url: `/api/v1/units/${encodeURIComponent(serial)}`,
        headers: world.otherCustomer.headers,
      })
      assert.deepEqual(
        (seen.json() as { purchaseProofs: UnitProof[] }).purchaseProofs.map((p) => [p.status, p.reason]),
        [['refused', reason]],
      )
      const manager = await createTestUser(world.database.db, { role: 'manager' })
      const again = await weigh(world, manager, serial, 'accept', { fileId })
      assert.equal(again.statusCode, 409, again.body)
      assert.match((again.json() as ErrorBody).error.message, /has already been refused/)
      await world.database.db
        .updateTable('customers')
        .set({ locale: 'en', locale_chosen_at: null })
        .where('id', '=', 'cus-bob')
        .execute()
    })

    test('the unit read by staff names who weighed each proof and when; its owner reads what was found, not by whom', async () => {
      const { serial, fileId } = await registerWithProof(world, world.otherCustomer)
      const staffRead = async () => {
        const read = await world.app.inject({
          method: 'GET',
          url: `/api/v1/units/${encodeURIComponent(serial)}`,
          headers: world.support.headers,
        })
        assert.equal(read.statusCode, 200, read.body)
        return (read.json() as { purchaseProofs: WeighedProof[] }).purchaseProofs
      }
      const [waiting] = await staffRead()
      assert.deepEqual(
        [waiting?.status, waiting?.weighedAt, waiting?.weighedBy],
        ['offered', null, null],
        'nobody has weighed it yet',
      )

      const weigher = await createTestUser(world.database.db, { role: 'manager', name: 'Mei Lin' })
      const reason = 'The receipt names another serial.'
      const refused = await weigh(world, weigher, serial, 'refuse', { fileId, reason })
      assert.equal(refused.statusCode, 200, refused.body)
      // The customer files another document, as a second registration of the unit would.
      const second = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      await world.database.db
        .insertInto('proofs_of_purchase')
        .values({
          id: `pop-${second}`,
          serial,
          file_id: second,
          kind: 'invoice',
          document_number: null,
          issued_on: null,
          added_by_user_id: null,
          created_at: new Date().toISOString(),
          status: 'offered',
        })
        .execute()
      assert.equal((await weigh(world, world.support, serial, 'accept', { fileId: second })).statusCode, 200)

      const proofs = await staffRead()
      assert.deepEqual(
        proofs.map((p) => [p.fileId, p.status, p.reason, p.weighedBy]),
        [
          [fileId, 'refused', reason, { id: weigher.userId, name: 'Mei Lin' }],
          [second, 'accepted', null, { id: world.support.userId, name: proofs[1]?.weighedBy?.name }],
        ],
      )
      assert.ok(proofs.every((p) => p.weighedAt !== null))
      assert.match(proofs[1]?.weighedBy?.name ?? '', /^Test support /)

      const owner = await world.app.inject({
        method: 'GET',
        url: `/api/v1/units/${encodeURIComponent(serial)}`,
        headers: world.otherCustomer.headers,
      })
      const owned = (owner.json() as { purchaseProofs: WeighedProof[] }).purchaseProofs
      assert.deepEqual(
        owned.map((p) => [p.status, p.reason, 'weighedBy' in p]),
        [
          ['refused', reason, false],
          ['accepted', null, false],
        ],
      )
    })

    test('a technician, the owner, another customer and a dealer may not weigh proofs nor read the queue; support, managers and admins may', async () => {
      const { serial, fileId } = await registerWithProof(world, world.otherCustomer)
      const refusedBy: Array<[string, Party]> = [
        ['technician', world.staff],
        ['the owner', world.otherCustomer],
        ['another customer', world.customer],
        ['a dealer', world.dealer],
      ]
      for (const [who, by] of refusedBy) {
        const list = await queue(world, by)
        assert.equal(list.statusCode, 403, `${who} reads the queue: ${list.body}`)
        for (const [verdict, body] of [
          ['accept', { fileId }],
          ['refuse', { fileId, reason: 'Looks forged' }],
        ] as const) {
          const response = await weigh(world, by, serial, verdict, body)
          assert.equal(response.statusCode, 403, `${who} ${verdict}: ${response.body}`)
        }
      }
      const signedOut = await world.app.inject({ method: 'GET', url: '/api/v1/unit-proofs' })
      assert.equal(signedOut.statusCode, 401)
      assert.equal(await unitFlag(world, serial), 0)
      assert.equal((await proofRow(world, serial, fileId)).status, 'offered')
      const seenByOther = await world.app.inject({
        method: 'GET',
        url: `/api/v1/units/${encodeURIComponent(serial)}`,
        headers: world.customer.headers,
      })
      assert.equal(seenByOther.statusCode, 404, "another customer learns nothing of the unit's proof")
      for (const role of ['manager', 'admin'] as const) {
        const by = await createTestUser(world.database.db, { role })
        assert.equal((await queue(world, by)).statusCode, 200)
      }
      const admin = await createTestUser(world.database.db, { role: 'admin' })
      assert.equal((await weigh(world, admin, serial, 'accept', { fileId })).statusCode, 200)
    })

    test('taking over a unit the seller recorded with no owner and no proof, the customer becomes its owner and their proof waits like any other', async () => {
      const serial = await seedPlayerOneUnit(world)
      await world.database.db
        .updateTable('units')
        .set({ owner_customer_id: null, proof_of_purchase: 0 })
        .where('serial', '=', serial)
        .execute()
      const fileId = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const taken = await world.app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: world.otherCustomer.headers,
        payload: {
          serial,
          model: MODEL,
          channel: 'direct',
          purchasedOn: addDays(TODAY, -300),
          proofFileId: fileId,
        },
      })
      assert.equal(taken.statusCode, 201, taken.body)
      assert.equal(await ownerOf(world, serial), 'cus-bob')
      assert.equal(await unitFlag(world, serial), 0, 'the owner now, the purchase still to be proven')
      assert.equal((await proofRow(world, serial, fileId)).status, 'offered')
      assert.ok((await queuedFiles(world)).includes(fileId))
    })

    test('a sale staff record with a proof proves the purchase at once, as before', async () => {
      const fileId = await holdUpload(world, world.support, 'proof-of-purchase')
      const serial = newSerial('UPS')
      const recorded = await world.app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: world.support.headers,
        payload: {
          serial,
          model: MODEL,
          channel: 'direct',
          purchasedOn: addDays(TODAY, -30),
          proofFileId: fileId,
        },
      })
      assert.equal(recorded.statusCode, 201, recorded.body)
      assert.equal((recorded.json() as { proofOfPurchase: boolean }).proofOfPurchase, true)
      assert.equal((await proofRow(world, serial, fileId)).status, 'accepted')
      assert.ok(!(await queuedFiles(world)).includes(fileId))
    })

    test('a claim on a unit whose proof waits says it waits; accepted through the claim, the unit is proven and the queue answers 409 for the same file', async () => {
      const { serial, fileId } = await registerWithProof(world, world.otherCustomer)
      const claim = await openClaimAs(world, world.otherCustomer, openClaimBody(serial))
      assert.deepEqual(await claimPurchase(world, claim.id), {
        ...(await claimPurchase(world, claim.id)),
        proofOfPurchase: false,
        proofOfPurchasePending: true,
      })
      const exclusions = (claim.provisionalDecision as unknown as { exclusions: { code: string }[] })
        .exclusions
      assert.ok(
        !exclusions.some((e) => e.code === 'no-proof-of-purchase'),
        'the decision weighs the proof as waiting, not as missing',
      )
      const queued = (await queue(world, world.support, '?limit=200')).json() as { items: QueueItem[] }
      assert.equal(queued.items.find((i) => i.fileId === fileId)?.openClaims.length, 1)
      assert.ok(claim.allowedActions.length > 0)

      await act(world, world.support, claim.id, 'accept-purchase-proof', { fileId })
      assert.equal((await claimPurchase(world, claim.id)).proofOfPurchase, true)
      assert.equal(await unitFlag(world, serial), 1)
      assert.equal((await proofRow(world, serial, fileId)).status, 'accepted')
      const second = await weigh(world, world.support, serial, 'refuse', { fileId, reason: 'Too late' })
      assert.equal(second.statusCode, 409, second.body)
      assert.equal((second.json() as ErrorBody).error.field, 'body.fileId')
      const files = await world.database.db
        .selectFrom('proofs_of_purchase')
        .select('id')
        .where('serial', '=', serial)
        .execute()
      assert.equal(files.length, 1, 'one proof, one outcome: the claim does not file it a second time')
    })

    test('two claims open on the unit wait on its proof: weighed through one, the other records the same outcome', async () => {
      const { serial, fileId } = await registerWithProof(world, world.otherCustomer)
      const first = await openClaimAs(world, world.otherCustomer, openClaimBody(serial))
      const second = await openClaimAs(
        world,
        world.support,
        openClaimBody(serial, {
          customerId: 'cus-bob',
          duplicateOverride: { reason: 'A second fault, kept apart' },
        }),
      )
      assert.equal((await claimPurchase(world, second.id)).proofOfPurchasePending, true)
      await act(world, world.support, first.id, 'accept-purchase-proof', { fileId })
      assert.equal((await claimPurchase(world, second.id)).proofOfPurchase, true)
      const told = await world.database.db
        .selectFrom('claim_events')
        .select('data')
        .where('claim_id', '=', second.id)
        .where('type', '=', 'purchase-proof.accepted')
        .execute()
      assert.deepEqual(
        told.map((e) => JSON.parse(e.data)),
        [{ fileId }],
      )
      const again = await tryAct(world, world.support, second.id, 'refuse-purchase-proof', {
        fileId,
        reason: 'No',
      })
      assert.ok([403, 409].includes(again.statusCode), again.body)
      assert.equal(await unitFlag(world, serial), 1)
    })

    test('refused in the queue while a claim waits on it, the claim records the refusal and its own step answers 409 for the same file', async () => {
      const { serial, fileId } = await registerWithProof(world, world.otherCustomer)
      const claim = await openClaimAs(world, world.otherCustomer, openClaimBody(serial))
      const reason = 'The receipt is for another model.'
      const refused = await weigh(world, world.support, serial, 'refuse', { fileId, reason })
      assert.equal(refused.statusCode, 200, refused.body)
      const purchase = await claimPurchase(world, claim.id)
      assert.deepEqual([purchase.proofOfPurchase, purchase.proofOfPurchasePending], [false, undefined])
      const events = await world.database.db
        .selectFrom('claim_events')
        .select('data')
        .where('claim_id', '=', claim.id)
        .where('type', '=', 'purchase-proof.refused')
        .execute()
      assert.deepEqual(
        events.map((e) => JSON.parse(e.data)),
        [{ fileId, reason, stillOffered: false }],
      )
      const onClaim = await tryAct(world, world.support, claim.id, 'accept-purchase-proof', { fileId })
      assert.equal(onClaim.statusCode, 409, onClaim.body)
      assert.equal(await unitFlag(world, serial), 0)
    })

    test('the queue is paged, oldest first by default and newest first when asked', async () => {
      const filed: string[] = []
      for (let i = 0; i < 3; i++) {
        world.clock.now = new Date(world.clock.now.getTime() + 60_000)
        filed.push((await registerWithProof(world, world.otherCustomer)).fileId)
      }
      const walk = async (order: string) => {
        const seen: string[] = []
        let cursor: string | null = null
        do {
          const page = await queue(
            world,
            world.support,
            `?order=${order}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          )
          assert.equal(page.statusCode, 200, page.body)
          const body = page.json() as { items: QueueItem[]; next: string | null }
          seen.push(...body.items.map((item) => item.fileId))
          cursor = body.next
        } while (cursor)
        return seen.filter((id) => filed.includes(id))
      }
      assert.deepEqual(await walk('oldest'), filed)
      assert.deepEqual(await walk('newest'), [...filed].reverse())
      const bad = await queue(world, world.support, '?cursor=nonsense')
      assert.equal(bad.statusCode, 400, bad.body)
    })
  })
}
