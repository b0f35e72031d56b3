import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { createTestUser } from '../../src/auth/test-support.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { importUnits } from '../../src/registry/import-units.ts'
import { translate } from '../../src/shared/messages/translate.ts'
import {
  act,
  type ClaimsWorld,
  fullInspection,
  holdUpload,
  inspectAndDecide,
  newSerial,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  ownerOf,
  type Party,
  packageOf,
  seedPlayerOneDealerUnit,
  seedPlayerOneUnit,
  tryAct,
} from './claim-factories.ts'

type ErrorBody = { error: { field: string; message: string; details?: Record<string, unknown> } }

const OWNERS = { alice: 'cus-alice', bob: 'cus-bob' } as const

async function setOwner(world: ClaimsWorld, serial: string, owner: string | null): Promise<void> {
  await world.database.db
    .updateTable('units')
    .set({ owner_customer_id: owner })
    .where('serial', '=', serial)
    .execute()
}

/**
 * A claim `party` backs with evidence of the fault alone is refused at `files`, asking in
 * English and Chinese for a proof of purchase: the fault's evidence is not the purchase's.
 */
async function assertProofAsked(
  world: ClaimsWorld,
  party: Party,
  body: (files: string[]) => Record<string, unknown>,
  says: { en: RegExp; zh: RegExp },
): Promise<void> {
  for (const language of ['en', 'zh'] as const) {
    const media = await holdUpload(world, party, 'defect-media')
    const refused = await world.app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      headers: { ...party.headers, 'accept-language': language },
      payload: body([media]),
    })
    assert.equal(refused.statusCode, 400, refused.body)
    const { error } = refused.json() as ErrorBody
    assert.equal(error.field, 'body.files')
    assert.match(error.message, says[language])
  }
}

const claimsOn = async (world: ClaimsWorld, serial: string) =>
  world.database.db.selectFrom('claims').select(['id', 'customer_id']).where('serial', '=', serial).execute()

describe('sqlite: a customer claiming on a unit nobody owns', () => {
  let world: ClaimsWorld
  before(async () => {
    world = await openClaimsWorld('sqlite')
  })
  after(() => world.close())

  test('a serial not on file is registered by the claim only with their proof of purchase, in English and Chinese, and the claim makes nobody its owner, as on a unit on file nobody owns', async () => {
    const serial = newSerial('NEW')
    const body = (files: string[]) =>
      openClaimBody(serial, {
        files,
        unit: { model: 'player-one-poseidon-m-pro', purchasedOn: '2025-12-01', proofOfPurchase: true },
      })
    await assertProofAsked(world, world.otherCustomer, body, {
      en: /not registered to you.*proof of purchase/,
      zh: /未登记在您名下.*购买凭证/,
    })
    const registered = await world.database.db
      .selectFrom('units')
      .select('serial')
      .where('serial', '=', serial)
      .execute()
    assert.deepEqual(registered, [], 'a refused claim registers nothing')
    const proof = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
    const claim = await openClaimAs(world, world.otherCustomer, body([proof]))
    assert.deepEqual(await claimsOn(world, serial), [{ id: claim.id, customer_id: OWNERS.bob }])
    assert.equal(await ownerOf(world, serial), null, 'staff, weighing the proof, name the owner')
  })

  test('a claimant without a proof of purchase is asked for it before learning that a claim is open on the unit', async () => {
    const serial = await seedPlayerOneUnit(world)
    await openClaimAs(world, world.customer, openClaimBody(serial))
    await setOwner(world, serial, null)
    const withoutProof = await world.app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      headers: world.otherCustomer.headers,
      payload: openClaimBody(serial),
    })
    assert.equal(withoutProof.statusCode, 400, withoutProof.body)
    assert.equal((withoutProof.json() as ErrorBody).error.field, 'body.files')
    assert.doesNotMatch(withoutProof.body, /open claim/)
    // With the proof, the service team is who sorts out the claim already open.
    const proof = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
    const withProof = await world.app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      headers: world.otherCustomer.headers,
      payload: openClaimBody(serial, { files: [proof] }),
    })
    assert.equal(withProof.statusCode, 409, withProof.body)
    assert.match(withProof.body, /open claim that is not yours/)
  })
})

for (const engine of testEngines()) {
  describe(`${engine}: who may claim a unit`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('a unit with no registered owner is claimed only with a proof of purchase, in English and Chinese, and the claim does not make its claimant the owner', async () => {
      const serial = await seedPlayerOneUnit(world)
      await setOwner(world, serial, null)
      await assertProofAsked(world, world.otherCustomer, (files) => openClaimBody(serial, { files }), {
        en: /not registered to you.*proof of purchase/,
        zh: /未登记在您名下.*购买凭证/,
      })
      assert.deepEqual(await claimsOn(world, serial), [], 'a refused claim leaves nothing')

      const proof = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const claim = await openClaimAs(world, world.otherCustomer, openClaimBody(serial, { files: [proof] }))
      assert.deepEqual(await claimsOn(world, serial), [{ id: claim.id, customer_id: OWNERS.bob }])
      assert.equal(await ownerOf(world, serial), null, 'staff, not the claim, decide who owns it')
    })

    test('the first decision on a serial not on file weighs the proof of purchase the customer attached as offered, while the unit waits for staff to weigh it', async () => {
      const serial = newSerial('PROVEN')
      const proof = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const claim = await openClaimAs(
        world,
        world.otherCustomer,
        openClaimBody(serial, {
          files: [proof],
          unit: { model: 'player-one-poseidon-m-pro', purchasedOn: '2025-12-01', proofOfPurchase: true },
        }),
      )
      const events = await world.database.db
        .selectFrom('claim_events')
        .select(['type', 'data'])
        .where('claim_id', '=', claim.id)
        .where('type', '=', 'decision.provisional')
        .execute()
      const { decision } = JSON.parse(events[0]?.data ?? '{}') as {
        decision: { covered: boolean; exclusions: Array<{ code: string }>; explanation: { en: string } }
      }
      assert.deepEqual(
        decision.exclusions.map((e) => e.code),
        [],
        'no exclusion for a proof the customer supplied',
      )
      assert.equal(decision.covered, true)
      assert.doesNotMatch(decision.explanation.en, /proof of purchase/i)
      const stored = await world.database.db
        .selectFrom('claims')
        .select('case_json')
        .where('id', '=', claim.id)
        .executeTakeFirstOrThrow()
      const { purchase } = JSON.parse(stored.case_json) as { purchase: Record<string, unknown> }
      assert.deepEqual(
        [purchase.proofOfPurchase, purchase.proofOfPurchasePending],
        [false, true],
        'the case says the proof is offered, not that it was found valid',
      )
      const unit = await world.database.db
        .selectFrom('units')
        .select('proof_of_purchase')
        .where('serial', '=', serial)
        .executeTakeFirstOrThrow()
      assert.equal(unit.proof_of_purchase, 0, 'staff, weighing the proof, record it on the unit')
    })

    test("the final decision goes by the proof recorded on the unit: recorded since the claim opened, the purchase is proven; the claimant's proof still waiting to be weighed, no final decision is made", async () => {
      const MODEL = 'player-one-poseidon-m-pro'
      /** Bob's claim, with his proof, on a unit nobody owns and the registry holds no proof of. */
      const claimOnUnprovenUnit = async () => {
        const serial = await seedPlayerOneUnit(world)
        await setOwner(world, serial, null)
        await world.database.db
          .updateTable('units')
          .set({ proof_of_purchase: 0 })
          .where('serial', '=', serial)
          .execute()
        const proof = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
        const claim = await openClaimAs(world, world.otherCustomer, openClaimBody(serial, { files: [proof] }))
        return { serial, claim }
      }

      const recorded = await claimOnUnprovenUnit()
      // The seller's records prove the purchase since the claim opened (an import, say).
      await world.database.db
        .updateTable('units')
        .set({ proof_of_purchase: 1 })
        .where('serial', '=', recorded.serial)
        .execute()
      await inspectAndDecide(world, recorded.claim.id, recorded.serial, MODEL)
      const stored = await world.database.db
        .selectFrom('claims')
        .select(['case_json', 'final_decision'])
        .where('id', '=', recorded.claim.id)
        .executeTakeFirstOrThrow()
      const { purchase } = JSON.parse(stored.case_json) as { purchase: Record<string, unknown> }
      const decision = JSON.parse(stored.final_decision ?? 'null') as {
        covered: boolean
        exclusions: Array<{ code: string }>
      }
      assert.deepEqual(decision.exclusions, [])
      assert.equal(decision.covered, true)
      assert.deepEqual(
        [purchase.proofOfPurchase, purchase.proofOfPurchasePending],
        [true, undefined],
        'the case decided on says the proof was found valid',
      )

      // Nobody has weighed Bob's document: a decision now would call his purchase unproven.
      const waiting = await claimOnUnprovenUnit()
      await act(world, world.staff, waiting.claim.id, 'authorize-return')
      await act(world, world.staff, waiting.claim.id, 'receive-unit')
      await act(
        world,
        world.staff,
        waiting.claim.id,
        'record-inspection',
        fullInspection(waiting.serial, await packageOf(world, MODEL)),
      )
      const refused = await tryAct(world, world.staff, waiting.claim.id, 'make-decision')
      assert.equal(refused.statusCode, 409, refused.body)
      assert.match(
        (refused.json() as { error: { message: string } }).error.message,
        /proof of purchase the claimant sent waits to be weighed/,
      )
      const claimNow = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${waiting.claim.id}`,
        headers: world.staff.headers,
      })
      assert.equal((claimNow.json() as { state: string; finalDecision: unknown }).state, 'inspected')
      assert.equal((claimNow.json() as { finalDecision: unknown }).finalDecision, null)
    })

    test('a dealer naming a customer on a unit nobody owns shows that customer’s proof of purchase, in English and Chinese; the named customer then has the claim', async () => {
      // Alice is one of the dealer's customers, by another unit she bought through it.
      await seedPlayerOneDealerUnit(world)
      const serial = await seedPlayerOneDealerUnit(world)
      await setOwner(world, serial, null)
      await assertProofAsked(
        world,
        world.dealer,
        (files) => openClaimBody(serial, { files: files, customerId: OWNERS.alice }),
        {
          en: /no registered owner.*proof of purchase/,
          zh: /没有登记的所有者.*购买凭证/,
        },
      )
      assert.deepEqual(await claimsOn(world, serial), [], 'a refused claim leaves nothing')
      const proof = await holdUpload(world, world.dealer, 'proof-of-purchase')
      const claim = await openClaimAs(
        world,
        world.dealer,
        openClaimBody(serial, { files: [proof], customerId: OWNERS.alice }),
      )
      assert.deepEqual(await claimsOn(world, serial), [{ id: claim.id, customer_id: OWNERS.alice }])
      assert.equal(await ownerOf(world, serial), null, 'staff, not the claim, decide who owns it')
    })

    test('a dealer naming a customer on a serial not on file registers the unit without an owner, and shows that customer’s proof of purchase as for a unit on file nobody owns', async () => {
      // Alice is one of the dealer's customers, by another unit she bought through it.
      await seedPlayerOneDealerUnit(world)
      const serial = newSerial('DLR')
      const body = (files: string[]) =>
        openClaimBody(serial, {
          files,
          customerId: OWNERS.alice,
          unit: { model: 'player-one-zeus-455m-pro', purchasedOn: '2025-12-01', proofOfPurchase: true },
        })
      await assertProofAsked(world, world.dealer, body, {
        en: /no registered owner.*proof of purchase/,
        zh: /没有登记的所有者.*购买凭证/,
      })
      const registered = await world.database.db
        .selectFrom('units')
        .select('serial')
        .where('serial', '=', serial)
        .execute()
      assert.deepEqual(registered, [], 'a refused claim registers nothing')
      const proof = await holdUpload(world, world.dealer, 'proof-of-purchase')
      const claim = await openClaimAs(world, world.dealer, body([proof]))
      assert.deepEqual(await claimsOn(world, serial), [{ id: claim.id, customer_id: OWNERS.alice }])
      assert.equal(await ownerOf(world, serial), null, 'staff, not the dealer’s claim, decide who owns it')
    })

    test('property: a customer claims a unit only if it is theirs, or has no owner and they show a proof of purchase; a unit of someone else is answered as a serial not on file, its owner unnamed', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<keyof typeof OWNERS>('alice', 'bob'),
          fc.constantFrom<keyof typeof OWNERS | null>('alice', 'bob', null),
          fc.boolean(),
          async (claimant, owner, withProof) => {
            const party = claimant === 'alice' ? world.customer : world.otherCustomer
            const serial = await seedPlayerOneUnit(world)
            await setOwner(world, serial, owner === null ? null : OWNERS[owner])
            const files = withProof ? [await holdUpload(world, party, 'proof-of-purchase')] : []
            const response = await world.app.inject({
              method: 'POST',
              url: '/api/v1/claims',
              headers: party.headers,
              payload: openClaimBody(serial, { files }),
            })
            const mayClaim = owner === claimant || (owner === null && withProof)
            assert.equal(response.statusCode, mayClaim ? 201 : 400, response.body)
            if (owner !== null && owner !== claimant) {
              const { error } = response.json() as ErrorBody
              // Without a proof, asked for one, as of a serial not on file.
              assert.equal(error.field, withProof ? 'body.unit' : 'body.files')
              assert.doesNotMatch(response.body, /cus-|Customer |@example/, 'the owner is not named')
            }
            const claims = await claimsOn(world, serial)
            assert.deepEqual(
              claims.map((c) => c.customer_id),
              mayClaim ? [OWNERS[claimant]] : [],
            )
            assert.equal(await ownerOf(world, serial), owner === null ? null : OWNERS[owner])
          },
        ),
        { numRuns: 12 },
      )
    })
  })

  describe(`${engine}: staff name the customer of a claim`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('only its owner, when the unit has one, in English and Chinese: another customer would see a claim on a unit they never owned', async () => {
      const serial = await seedPlayerOneUnit(world)
      for (const [language, says] of [
        ['en', /registered to another customer; record its transfer first/],
        ['zh', /登记在另一位客户名下；请先办理转让登记/],
      ] as const) {
        const refused = await world.app.inject({
          method: 'POST',
          url: '/api/v1/claims',
          headers: { ...world.staff.headers, 'accept-language': language },
          payload: openClaimBody(serial, { customerId: OWNERS.bob }),
        })
        assert.equal(refused.statusCode, 400, refused.body)
        const { error } = refused.json() as ErrorBody
        assert.equal(error.field, 'body.customerId')
        assert.match(error.message, says)
      }
      assert.deepEqual(await claimsOn(world, serial), [])
      const forOwner = await openClaimAs(
        world,
        world.staff,
        openClaimBody(serial, { customerId: OWNERS.alice }),
      )
      assert.deepEqual(await claimsOn(world, serial), [{ id: forOwner.id, customer_id: OWNERS.alice }])
      // A unit nobody owns may be claimed for the customer who brought it in.
      const unowned = await seedPlayerOneUnit(world)
      await setOwner(world, unowned, null)
      const forCaller = await openClaimAs(
        world,
        world.staff,
        openClaimBody(unowned, { customerId: OWNERS.bob }),
      )
      assert.deepEqual(await claimsOn(world, unowned), [{ id: forCaller.id, customer_id: OWNERS.bob }])
    })
  })

  describe(`${engine}: registering a unit sold without an owner`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    const register = (party: Party, serial: string, extra: Record<string, unknown>, language = 'en') =>
      world.app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: { ...party.headers, 'accept-language': language },
        payload: {
          serial,
          model: 'player-one-poseidon-m-pro',
          channel: 'direct',
          purchasedOn: '2025-12-01',
          ...extra,
        },
      })

    test('asks a proof of purchase of a customer nobody offered it to, in English and Chinese, so the serial alone does not make them its owner and claimant', async () => {
      const serial = await seedPlayerOneUnit(world)
      await setOwner(world, serial, null)
      for (const [language, says] of [
        // Asked as for any serial, not told the unit was sold without an owner.
        ['en', /attach your proof of purchase.*register unit/],
        ['zh', /请附上您本人上传的购买凭证/],
      ] as const) {
        const refused = await register(world.otherCustomer, serial, {}, language)
        assert.equal(refused.statusCode, 400, refused.body)
        const { error } = refused.json() as ErrorBody
        assert.equal(error.field, 'body.proofFileId')
        assert.match(error.message, says)
      }
      assert.equal(await ownerOf(world, serial), null)
      const proofFileId = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const registered = await register(world.otherCustomer, serial, { proofFileId })
      assert.equal(registered.statusCode, 201, registered.body)
      assert.equal(await ownerOf(world, serial), OWNERS.bob)
    })
  })

  describe(`${engine}: a unit does not change hands while a claim on it is open`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    const transfer = (party: Party, serial: string, toEmail: string, language = 'en') =>
      world.app.inject({
        method: 'POST',
        url: `/api/v1/units/${serial}/transfers`,
        headers: { ...party.headers, 'accept-language': language },
        payload: { toEmail, toName: 'Second Buyer' },
      })

    const transfersOf = async (serial: string) =>
      (
        await world.database.db
          .selectFrom('ownership_transfers')
          .select('id')
          .where('serial', '=', serial)
          .execute()
      ).length

    test('staff and the owner are refused, naming the claim to whoever may see it, in English and Chinese; once it is cancelled the unit moves', async () => {
      const serial = await seedPlayerOneUnit(world)
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
      for (const party of [world.staff, world.customer]) {
        for (const [language, says] of [
          ['en', /open claim \(.+\).*closed or cancelled/],
          ['zh', /未结申请（.+）.*才能转让/],
        ] as const) {
          const refused = await transfer(party, serial, 'next.owner@example.com', language)
          assert.equal(refused.statusCode, 409, refused.body)
          const { error } = refused.json() as ErrorBody
          assert.equal(error.field, 'params.serial')
          assert.match(error.message, says)
          assert.equal(error.details?.openClaimId, claim.id)
        }
      }
      assert.equal(await ownerOf(world, serial), OWNERS.alice)
      assert.equal(await transfersOf(serial), 0)
      const offers = await world.database.db
        .selectFrom('unit_ownership_offers')
        .select('serial')
        .where('serial', '=', serial)
        .execute()
      assert.deepEqual(offers, [], 'no offer is left waiting')

      const cancelled = await tryAct(world, world.customer, claim.id, 'cancel', { reason: 'sold it' })
      assert.equal(cancelled.statusCode, 200, cancelled.body)
      const moved = await transfer(world.staff, serial, 'next.owner@example.com')
      assert.equal(moved.statusCode, 201, moved.body)
      assert.notEqual(await ownerOf(world, serial), OWNERS.alice)
    })

    test('a units import does not give a unit under an open claim another owner, nor clear it; the row is rejected naming the customer column, in English and Chinese, and the other rows go in', async () => {
      const held = await seedPlayerOneUnit(world)
      const heldCleared = await seedPlayerOneUnit(world)
      const heldSame = await seedPlayerOneUnit(world)
      const free = await seedPlayerOneUnit(world)
      for (const serial of [held, heldCleared, heldSame])
        await openClaimAs(world, world.customer, openClaimBody(serial))
      const sale = await world.database.db
        .selectFrom('units as u')
        .innerJoin('product_models as m', 'm.id', 'u.model_id')
        .select(['m.name', 'u.purchased_on', 'u.shipped_on', 'u.delivered_on'])
        .where('u.serial', '=', held)
        .executeTakeFirstOrThrow()
      const row = (serial: string, customer: string) =>
        [
          serial,
          sale.name,
          sale.purchased_on,
          sale.shipped_on,
          sale.delivered_on,
          'direct',
          '',
          customer,
        ].join(',')
      const file = path.join(world.database.dataDir, 'owners-under-claim.csv')
      fs.writeFileSync(
        file,
        `${[
          'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer,customer',
          row(held, `${OWNERS.bob}@example.com`),
          row(heldCleared, ''),
          row(heldSame, `${OWNERS.alice}@example.com`),
          row(free, `${OWNERS.bob}@example.com`),
        ].join('\n')}\n`,
      )
      const summary = await importUnits(world.ctx, { file })
      assert.equal(summary.rejected, 2)
      const rejects = parse(fs.readFileSync(file.replace(/\.csv$/, '.rejects.csv')), {
        bom: true,
        columns: true,
      }) as Array<Record<string, string>>
      assert.deepEqual(
        rejects.map((r) => [r.serial, r.field, r.errorKey]),
        [
          [held, 'customer', 'import.open-claim'],
          [heldCleared, 'customer', 'import.open-claim'],
        ],
      )
      assert.match(translate('en', 'import.open-claim', { serial: held }), /open claim.*closed or cancelled/)
      assert.match(translate('zh', 'import.open-claim', { serial: held }), /未结申请.*结案或撤销后/)
      for (const serial of [held, heldCleared, heldSame])
        assert.equal(await ownerOf(world, serial), OWNERS.alice)
      assert.equal(
        await ownerOf(world, free),
        OWNERS.bob,
        'a unit with no open claim takes the owner the file names',
      )
    })

    test('property: whatever customers claim and staff transfer or cancel, an open claim is always its unit’s owner’s, or on a unit nobody owns', async () => {
      type Step =
        | { kind: 'claim'; who: keyof typeof OWNERS; proof: boolean }
        | { kind: 'transfer'; to: keyof typeof OWNERS }
        | { kind: 'cancel' }
      const who = fc.constantFrom<keyof typeof OWNERS>('alice', 'bob')
      const step: fc.Arbitrary<Step> = fc.oneof(
        fc.record({ kind: fc.constant('claim' as const), who, proof: fc.boolean() }),
        fc.record({ kind: fc.constant('transfer' as const), to: who }),
        fc.record({ kind: fc.constant('cancel' as const) }),
      )
      await fc.assert(
        fc.asyncProperty(
          fc.boolean(),
          fc.array(step, { minLength: 1, maxLength: 6 }),
          async (owned, steps) => {
            const serial = await seedPlayerOneUnit(world)
            if (!owned) await setOwner(world, serial, null)
            for (const next of steps) {
              if (next.kind === 'claim') {
                const party = next.who === 'alice' ? world.customer : world.otherCustomer
                const files = next.proof ? [await holdUpload(world, party, 'proof-of-purchase')] : []
                await world.app.inject({
                  method: 'POST',
                  url: '/api/v1/claims',
                  headers: party.headers,
                  payload: openClaimBody(serial, { files }),
                })
              } else if (next.kind === 'transfer') {
                await transfer(
                  world.staff,
                  serial,
                  `${next.to === 'alice' ? 'cus-alice' : 'cus-bob'}@example.com`,
                )
              } else {
                const open = await world.database.db
                  .selectFrom('claims')
                  .select('id')
                  .where('serial', '=', serial)
                  .where('state', 'not in', ['closed', 'cancelled'])
                  .execute()
                for (const claim of open)
                  await tryAct(world, world.staff, claim.id, 'cancel', { reason: 'test' })
              }
              const owner = await ownerOf(world, serial)
              const open = await world.database.db
                .selectFrom('claims')
                .select('customer_id')
                .where('serial', '=', serial)
                .where('state', 'not in', ['closed', 'cancelled'])
                .execute()
              for (const claim of open)
                assert.ok(
                  owner === null || claim.customer_id === owner,
                  `${JSON.stringify(steps)}: ${claim.customer_id} ≠ ${owner}`,
                )
            }
          },
        ),
        { numRuns: 15 },
      )
    })

    test('a buyer cannot accept an offer while the seller’s claim is open, is not told whose claim it is, and the offer waits', async () => {
      const serial = await seedPlayerOneUnit(world)
      const email = `buyer.${crypto.randomUUID()}@example.com`
      const offered = await transfer(world.customer, serial, email)
      assert.equal(offered.statusCode, 201, offered.body)
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
      const buyerId = (
        await world.database.db
          .selectFrom('customers')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
      ).id
      const buyer = await createTestUser(world.database.db, { role: 'customer', customerId: buyerId })
      for (const [language, says] of [
        ['en', /open claim.*service team/],
        ['zh', /未结申请.*售后服务团队/],
      ] as const) {
        const refused = await world.app.inject({
          method: 'POST',
          url: `/api/v1/units/${serial}/offer-answer`,
          headers: { ...buyer.headers, 'accept-language': language },
          payload: { accept: true },
        })
        assert.equal(refused.statusCode, 409, refused.body)
        const { error } = refused.json() as ErrorBody
        assert.match(error.message, says)
        assert.deepEqual(error.details ?? {}, {})
        assert.ok(!refused.body.includes(claim.id), 'the seller’s claim is not named')
      }
      assert.equal(await ownerOf(world, serial), OWNERS.alice)
      assert.equal(await transfersOf(serial), 0)
      const offers = await world.database.db
        .selectFrom('unit_ownership_offers')
        .select('customer_id')
        .where('serial', '=', serial)
        .execute()
      assert.deepEqual(offers, [{ customer_id: buyerId }])

      const cancelled = await tryAct(world, world.customer, claim.id, 'cancel', { reason: 'sold it' })
      assert.equal(cancelled.statusCode, 200, cancelled.body)
      const accepted = await world.app.inject({
        method: 'POST',
        url: `/api/v1/units/${serial}/offer-answer`,
        headers: buyer.headers,
        payload: { accept: true },
      })
      assert.equal(accepted.statusCode, 200, accepted.body)
      assert.equal(await ownerOf(world, serial), buyerId)
    })
  })
}
