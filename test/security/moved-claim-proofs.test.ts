import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  fullInspection,
  ORG,
  openClaimAs,
  openClaimBody,
  packageOf,
  seedPlayerOneDealerUnit,
} from '../claims/claim-factories.ts'
import {
  moveSaleByImport,
  openSecurityWorld,
  type PartyName,
  type SecurityWorld,
  uploadPng,
} from './security-world.ts'

const MODEL = 'player-one-zeus-455m-pro'
const QUOTE = 48211

const damaged = { findings: ['physical-damage'], manufacturingDefect: false }

for (const engine of testEngines()) {
  describe(`${engine}: a dealer a claim is moved to does not see the proofs of payment of quotes made before it had the claim`, () => {
    let world: SecurityWorld
    let claimId: string
    let proofId: string
    /** What dealer 1, handling the claim, read of the proof before the claim moved. */
    const beforeMove = new Map<string, { listed: boolean; opened: number; onCard: boolean; card: number }>()

    const get = (party: PartyName, url: string) =>
      world.app.inject({ method: 'GET', url, headers: world.parties[party] })
    const proofSeen = async (party: PartyName) => {
      const files = await get(party, `/api/v1/claims/${claimId}/files`)
      assert.equal(files.statusCode, 200, files.body)
      const card = await get(party, `/api/v1/claims/${claimId}/payment`)
      return {
        listed: (files.json() as { items: { id: string }[] }).items.some((f) => f.id === proofId),
        opened: (await get(party, `/api/v1/files/${proofId}`)).statusCode,
        onCard:
          card.statusCode === 200 &&
          (card.json() as { proofs: { fileId: string }[] }).proofs.some((p) => p.fileId === proofId),
        card: card.statusCode,
      }
    }

    before(async () => {
      world = await openSecurityWorld(engine)
      // Seed 004: a Player One camera bought from dealer 1 is served by dealer 1.
      const serial = await seedPlayerOneDealerUnit(world)
      claimId = (await openClaimAs(world, world.customer, openClaimBody(serial))).id
      const contents = await packageOf(world, MODEL)
      await act(world, world.dealer, claimId, 'authorize-return')
      await act(world, world.dealer, claimId, 'receive-unit')
      await act(world, world.dealer, claimId, 'record-inspection', fullInspection(serial, contents, damaged))
      const decided = await act(world, world.dealer, claimId, 'make-decision')
      assert.equal(decided.finalDecision?.handler, 'dealer')
      const quoted = await act(world, world.dealer, claimId, 'send-quote', {
        lines: [
          {
            kind: 'parts',
            description: 'Sensor window',
            quantity: 1,
            unitPriceMinor: QUOTE,
            payer: 'customer',
          },
        ],
      })
      await act(world, world.customer, claimId, 'accept-quote', { quoteId: quoted.quote?.id })
      const held = await uploadPng(world, world.customer.headers, '/api/v1/files', 'payment-proof')
      assert.equal(held.statusCode, 201, held.body)
      proofId = (held.json() as { items: { id: string }[] }).items[0]?.id ?? ''
      await act(world, world.customer, claimId, 'submit-payment-proof', { fileIds: [proofId] })
      beforeMove.set('dealer1', await proofSeen('dealer1'))

      // The seller's sales now name dealer 2: the open claim, still handled by "the dealer", is its.
      const moved = await moveSaleByImport(world, serial, { id: ORG.prairie, name: 'Prairie' })
      assert.equal(moved, 1)
    })
    after(() => world.close())

    test('the dealer that handled the claim saw the proof of the quote it sent', () => {
      assert.deepEqual(beforeMove.get('dealer1'), { listed: true, opened: 200, onCard: true, card: 200 })
    })

    for (const party of ['dealer2', 'orgKey2'] as const)
      test(`${party}, the new handling dealer, reads the claim but neither lists nor opens the earlier proof, and is refused the card of the earlier quote`, async () => {
        assert.equal((await get(party, `/api/v1/claims/${claimId}`)).statusCode, 200)
        const seen = await proofSeen(party)
        assert.equal(seen.listed, false, 'listed among the claim files')
        assert.equal(seen.card, 403, 'the payment card of dealer 1’s quote')
        assert.equal(seen.opened, 404, 'opened by its id')
      })

    for (const party of ['customerA', 'technician', 'manager'] as const)
      test(`${party} still sees the proof`, async () => {
        assert.deepEqual(await proofSeen(party), { listed: true, opened: 200, onCard: true, card: 200 })
      })
  })
}
