import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { testEngines } from '../../src/db/test-database.ts'
import {
  addDays,
  type ClaimsWorld,
  holdUpload,
  newSerial,
  openClaimBody,
  openClaimsWorld,
  ownerOf,
  type Party,
  seedPlayerOneDealerUnit,
  seedPlayerOneUnit,
  TODAY,
} from '../claims/claim-factories.ts'

/**
 * A customer or dealer who types serials learns nothing from the answers of the units that are
 * not theirs: each route that takes a serial from them answers a serial on file that they may
 * not see exactly as one nobody registered, in status and body, but for the serial itself. The
 * public warranty look-up (and the self-checks, which show no more than it) answer anyone by
 * design, and are not among them. A unit described wrongly is refused for its description either
 * way; described rightly, a customer's registration without a proof of purchase is refused for
 * the proof whether the serial is not on file, on file without an owner, or someone else's.
 */
type Probe = (
  serial: string,
  model: string,
) => { method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: object }

const purchasedOn = addDays(TODAY, -30)
const PROBES: Record<string, Probe> = {
  'read the unit': (serial) => ({ method: 'GET', url: `/api/v1/units/${serial}` }),
  'register the unit': (serial, model) => ({
    method: 'POST',
    url: '/api/v1/units',
    payload: { serial, model, purchasedOn, channel: 'direct' },
  }),
  'open a claim without describing the unit': (serial) => ({
    method: 'POST',
    url: '/api/v1/claims',
    payload: openClaimBody(serial),
  }),
  'open a claim describing the unit': (serial, model) => ({
    method: 'POST',
    url: '/api/v1/claims',
    payload: openClaimBody(serial, {
      unit: { model, channel: 'direct', purchasedOn, proofOfPurchase: false },
    }),
  }),
  'transfer the unit': (serial) => ({
    method: 'POST',
    url: `/api/v1/units/${serial}/transfers`,
    payload: { toEmail: 'buyer@example.com' },
  }),
  'withdraw an offer of the unit': (serial) => ({
    method: 'DELETE',
    url: `/api/v1/units/${serial}/transfers/pending`,
  }),
  'answer an offer of the unit': (serial) => ({
    method: 'POST',
    url: `/api/v1/units/${serial}/offer-answer`,
    payload: { accept: true },
  }),
  'confirm a dealer sale of the unit': (serial) => ({
    method: 'POST',
    url: `/api/v1/dealer-desk/sale-confirmations/${serial}/confirm`,
  }),
}

for (const engine of testEngines()) {
  describe(`serials that are not the caller's answer as serials not on file (${engine})`, () => {
    let world: ClaimsWorld
    let foreign: string[]
    before(async () => {
      world = await openClaimsWorld(engine)
      // Customer A's units, one sold through dealer 1: neither customer B's nor dealer 2's.
      foreign = [await seedPlayerOneDealerUnit(world), await seedPlayerOneUnit(world)]
    })
    after(async () => world.close())

    const answer = async (party: Party, probe: Probe, serial: string, model: string) => {
      const response = await world.app.inject({ ...probe(serial, model), headers: party.headers })
      const body = response.body.split(serial).join('SERIAL')
      return { status: response.statusCode, body: body === '' ? null : JSON.parse(body) }
    }

    test('every route answers another party’s serial as it answers an unknown one, for customers and dealers', async () => {
      const parties = { customerB: world.otherCustomer, dealer2: world.otherDealer }
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...Object.keys(PROBES)),
          fc.constantFrom(...(Object.keys(parties) as Array<keyof typeof parties>)),
          fc.constantFrom(0, 1),
          fc.stringMatching(/^[A-Z0-9]{6,12}$/),
          fc.stringMatching(/^[a-z]{4,10}$/),
          async (route, partyName, which, unknownTail, modelTail) => {
            const probe = PROBES[route] as Probe
            const party = parties[partyName]
            const model = `no-such-model-${modelTail}`
            const known = await answer(party, probe, foreign[which] as string, model)
            const unknown = await answer(party, probe, `NOFILE-${unknownTail}`, model)
            assert.ok(known.status >= 400, `${route} by ${partyName}: ${JSON.stringify(known)}`)
            assert.deepEqual(known, unknown, `${route} by ${partyName}`)
          },
        ),
        { numRuns: 40 },
      )
    })

    const registration =
      (purchasedOn: string, proofFileId?: string): Probe =>
      (serial, model) => ({
        method: 'POST',
        url: '/api/v1/units',
        payload: { serial, model, purchasedOn, channel: 'direct', ...(proofFileId ? { proofFileId } : {}) },
      })
    const ownerless = async (serial: string) => {
      await world.database.db
        .updateTable('units')
        .set({ owner_customer_id: null })
        .where('serial', '=', serial)
        .execute()
      return serial
    }
    test('a customer registering a unit rightly described, without a proof of purchase, cannot tell a serial not on file from one nobody owns or someone else’s', async () => {
      const onFile = [
        await seedPlayerOneUnit(world),
        await seedPlayerOneDealerUnit(world),
        await ownerless(await seedPlayerOneUnit(world)),
      ]
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...onFile),
          fc.constantFrom('player-one-poseidon-m-pro', 'player-one-zeus-455m-pro'),
          fc.integer({ min: 0, max: 600 }),
          fc.stringMatching(/^[A-Z0-9]{6,12}$/),
          async (serial, model, daysAgo, unknownTail) => {
            const probe = registration(addDays(TODAY, -daysAgo))
            const known = await answer(world.otherCustomer, probe, serial, model)
            const unknown = await answer(world.otherCustomer, probe, `NOFILE-${unknownTail}`, model)
            assert.equal(known.status, 400, JSON.stringify(known))
            assert.deepEqual(known, unknown)
          },
        ),
        { numRuns: 20 },
      )
      assert.equal(await ownerOf(world, onFile[2] as string), null)
    })

    test('with a proof of purchase, a unit on file the customer may not take sends them to the service team, in the same words whether anyone owns it or not', async () => {
      const owned = await seedPlayerOneUnit(world)
      // Another model than the one described: on file, nobody's, and still not this customer's.
      const unowned = await ownerless(await seedPlayerOneDealerUnit(world))
      const proofFileId = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const probe = registration(purchasedOn, proofFileId)
      const model = 'player-one-poseidon-m-pro'
      const toOwned = await answer(world.otherCustomer, probe, owned, model)
      const toUnowned = await answer(world.otherCustomer, probe, unowned, model)
      assert.equal(toOwned.status, 409, JSON.stringify(toOwned))
      assert.deepEqual(toOwned, toUnowned)
      assert.match(JSON.stringify(toOwned.body), /contact the service team with your proof of purchase/)
      assert.equal(await ownerOf(world, owned), 'cus-alice')
      assert.equal(await ownerOf(world, unowned), null)
    })

    test('a customer claiming without a proof of purchase cannot tell a serial not on file from one nobody owns or someone else’s, described or not, rightly or wrongly', async () => {
      const onFile = [
        await seedPlayerOneUnit(world),
        await seedPlayerOneDealerUnit(world),
        await ownerless(await seedPlayerOneUnit(world)),
        await ownerless(await seedPlayerOneDealerUnit(world)),
      ]
      const described =
        (model: string | undefined): Probe =>
        (serial) => ({
          method: 'POST',
          url: '/api/v1/claims',
          payload: openClaimBody(serial, {
            ...(model ? { unit: { model, channel: 'direct', purchasedOn, proofOfPurchase: false } } : {}),
          }),
        })
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...onFile),
          fc.constantFrom(undefined, 'player-one-poseidon-m-pro', 'no-such-model'),
          fc.stringMatching(/^[A-Z0-9]{6,12}$/),
          fc.boolean(),
          async (serial, model, unknownTail, lowerCase) => {
            const probe = described(model)
            // Typed in lower case, the serial comes back in the registry's capitals.
            const typed = (s: string) => (lowerCase ? s.toLowerCase() : s)
            const answerTo = async (s: string) => {
              const response = await world.app.inject({
                ...probe(typed(s), ''),
                headers: world.otherCustomer.headers,
              })
              const body = response.body.split(s).join('SERIAL').split(typed(s)).join('typed')
              return { status: response.statusCode, body: JSON.parse(body) as unknown }
            }
            const known = await answerTo(serial)
            const unknown = await answerTo(`NOFILE-${unknownTail}`)
            assert.equal(known.status, 400, JSON.stringify(known))
            assert.deepEqual(known, unknown, `described as ${model ?? 'nothing'}`)
          },
        ),
        { numRuns: 30 },
      )
      assert.equal(await ownerOf(world, onFile[2] as string), null)
    })

    test('a dealer recording a sale learns of a serial on file only that it is taken, in the same words whoever sold or owns it; a new serial’s sale is recorded', async () => {
      const onFile = [
        await seedPlayerOneUnit(world),
        await seedPlayerOneDealerUnit(world),
        await ownerless(await seedPlayerOneUnit(world)),
        await ownerless(await seedPlayerOneDealerUnit(world)),
      ]
      const dealerSale: Probe = (serial, model) => ({
        method: 'POST',
        url: '/api/v1/units',
        payload: { serial, model, purchasedOn, channel: 'dealer' },
      })
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...onFile),
          fc.constantFrom(...onFile),
          fc.constantFrom('player-one-poseidon-m-pro', 'player-one-zeus-455m-pro'),
          fc.stringMatching(/^[a-z]{4,10}$/),
          fc.stringMatching(/^[A-Z0-9]{6,12}$/),
          async (one, another, model, modelTail, unknownTail) => {
            const probe = dealerSale
            const first = await answer(world.otherDealer, probe, one, model)
            const second = await answer(world.otherDealer, probe, another, model)
            assert.equal(first.status, 409, JSON.stringify(first))
            assert.deepEqual(first, second)
            assert.doesNotMatch(JSON.stringify(first), /cus-|@example|Astro|dealer/i, 'nobody is named')
            // Described wrongly, a serial on file is refused as a new one is, for its description.
            const wrongModel = `no-such-model-${modelTail}`
            const known = await answer(world.otherDealer, probe, one, wrongModel)
            const unknown = await answer(world.otherDealer, probe, `NOFILE-${unknownTail}`, wrongModel)
            assert.equal(known.status, 400, JSON.stringify(known))
            assert.deepEqual(known, unknown)
          },
        ),
        { numRuns: 20 },
      )
      const sold = await answer(world.otherDealer, dealerSale, newSerial('SOLD'), 'player-one-poseidon-m-pro')
      assert.equal(sold.status, 201, JSON.stringify(sold))
      for (const serial of onFile.slice(2)) assert.equal(await ownerOf(world, serial), null)
    })

    test('the honest customer of a unit sold without an owner is still told to show the proof of purchase', async () => {
      const serial = foreign[1] as string
      await world.database.db
        .updateTable('units')
        .set({ owner_customer_id: null })
        .where('serial', '=', serial)
        .execute()
      const response = await world.app.inject({
        method: 'POST',
        url: '/api/v1/claims',
        headers: world.otherCustomer.headers,
        payload: openClaimBody(serial),
      })
      assert.equal(response.statusCode, 400, response.body)
      const { error } = response.json() as { error: { field: string; message: string } }
      assert.equal(error.field, 'body.files')
      assert.match(error.message, /proof of purchase/)
    })
  })
}
