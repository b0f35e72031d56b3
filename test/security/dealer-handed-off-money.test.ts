import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  fullInspection,
  openClaimAs,
  openClaimBody,
  packageOf,
  seedPlayerOneDealerUnit,
} from '../claims/claim-factories.ts'
import { mentionsAmount } from './amount-in-text.ts'
import { openSecurityWorld, type PartyName, type SecurityWorld, uploadPng } from './security-world.ts'

const MODEL = 'player-one-zeus-455m-pro'
/** The quote the dealer sent while it handled the claim, and the payment it recorded for it. */
const ITS_QUOTE = 61873
const ITS_REFERENCE = 'DEALER-PAY-31'
/** The quote the seller sent after the claim was handed to it: not the dealer's business. */
const LATER_QUOTE = 52947

/** The dealer that sold the unit and handled the claim, signed in and by its organisation's API key. */
const DEALER: PartyName[] = ['dealer1', 'orgKey1']

const damaged = { findings: ['physical-damage'], manufacturingDefect: false }

/** The quote part of a claim as its page and as a row of the claims list show it. */
type QuoteShown = { id: string; customerTotalMinor?: number; paidMinor?: number } | null

for (const engine of testEngines()) {
  describe(`${engine}: a dealer that handled a claim and was then replaced keeps sight of what it handled, not of what came after`, () => {
    let world: SecurityWorld
    let claimId: string
    let itsQuote: string
    let laterQuote: string
    /** The customer's proof of paying the dealer's quote, and of paying the seller's later one. */
    let itsProof: string
    let laterProof: string
    /** What each dealer party read once the seller handled the claim, before the seller quoted. */
    const handedOff = new Map<PartyName, { page: QuoteShown; row: QuoteShown }>()
    const proofOf = async () => {
      const held = await uploadPng(world, world.customer.headers, '/api/v1/files', 'payment-proof')
      assert.equal(held.statusCode, 201, held.body)
      const fileId = (held.json() as { items: { id: string }[] }).items[0]?.id ?? ''
      await act(world, world.customer, claimId, 'submit-payment-proof', { fileIds: [fileId] })
      return fileId
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
      const first = await act(world, world.dealer, claimId, 'make-decision')
      assert.equal(first.finalDecision?.handler, 'dealer')
      assert.equal(first.finalDecision?.covered, false)
      const quoted = await act(world, world.dealer, claimId, 'send-quote', {
        lines: [
          {
            kind: 'parts',
            description: 'Sensor window',
            quantity: 1,
            unitPriceMinor: ITS_QUOTE,
            payer: 'customer',
          },
        ],
      })
      itsQuote = quoted.quote?.id ?? ''
      await act(world, world.customer, claimId, 'accept-quote', { quoteId: itsQuote })
      itsProof = await proofOf()
      await act(world, world.dealer, claimId, 'record-payment', {
        amountMinor: ITS_QUOTE,
        reference: ITS_REFERENCE,
        proofFileId: itsProof,
      })
      // The unit goes on to the maker and comes back; meanwhile the seller finds the sale was its
      // own, direct one, and decides the claim again: the seller handles it from then on.
      await world.database.db
        .updateTable('claims')
        .set({ brand: 'agent' })
        .where('id', '=', claimId)
        .execute()
      await act(world, world.dealer, claimId, 'forward-to-maker', { carrier: 'SF', trackingNumber: 'SF77' })
      await act(world, world.dealer, claimId, 'return-from-maker')
      const row = await world.database.db
        .selectFrom('claims')
        .select('case_json')
        .where('id', '=', claimId)
        .executeTakeFirstOrThrow()
      const facts = JSON.parse(row.case_json) as { purchase: Record<string, unknown> }
      await world.database.db
        .updateTable('claims')
        .set({ case_json: JSON.stringify({ ...facts, purchase: { ...facts.purchase, channel: 'direct' } }) })
        .where('id', '=', claimId)
        .execute()
      await act(world, world.staff, claimId, 'record-inspection', fullInspection(serial, contents, damaged))
      const second = await act(world, world.staff, claimId, 'make-decision')
      assert.equal(second.finalDecision?.handler, 'vendor', 'the seller handles the claim now')
      for (const party of DEALER) {
        const page = await get(party, `/api/v1/claims/${claimId}`)
        const list = await get(party, '/api/v1/claims?limit=50')
        assert.deepEqual([page.statusCode, list.statusCode], [200, 200], list.body)
        handedOff.set(party, {
          page: (page.json() as { quote: QuoteShown }).quote,
          row: (list.json() as { items: { id: string; quote: QuoteShown }[] }).items.find(
            (c) => c.id === claimId,
          )?.quote as QuoteShown,
        })
      }
      const requoted = await act(world, world.staff, claimId, 'send-quote', {
        lines: [
          {
            kind: 'parts',
            description: 'Sensor',
            quantity: 1,
            unitPriceMinor: LATER_QUOTE,
            payer: 'customer',
          },
        ],
      })
      laterQuote = requoted.quote?.id ?? ''
      await act(world, world.customer, claimId, 'accept-quote', { quoteId: laterQuote })
      laterProof = await proofOf()
    })
    after(() => world.close())

    const get = (party: PartyName, url: string) =>
      world.app.inject({ method: 'GET', url, headers: world.parties[party] })

    for (const party of DEALER) {
      test(`${party}: the quote it sent is whole, the seller's later one without amounts`, async () => {
        const answer = await get(party, `/api/v1/claims/${claimId}/quotes`)
        assert.equal(answer.statusCode, 200, answer.body)
        const quotes = (
          answer.json() as { items: { id: string; customerMinor?: number; paidMinor?: number }[] }
        ).items
        const its = quotes.find((q) => q.id === itsQuote)
        assert.deepEqual(
          [its?.customerMinor, its?.paidMinor],
          [ITS_QUOTE, ITS_QUOTE],
          'its own quote and payment',
        )
        const later = quotes.find((q) => q.id === laterQuote)
        assert.ok(later, 'it sees the later quote was sent')
        assert.deepEqual(
          Object.keys(later ?? {}).filter((key) => key.endsWith('Minor')),
          [],
        )
        assert.ok(!mentionsAmount(answer.body, LATER_QUOTE), 'the later quote’s amount')
      })

      test(`${party}: its history shows its quote and payment whole, nothing of the seller's quote`, async () => {
        const answer = await get(party, `/api/v1/claims/${claimId}/events`)
        assert.equal(answer.statusCode, 200, answer.body)
        const events = (answer.json() as { items: { type: string; data: Record<string, unknown> }[] }).items
        const sent = events.filter((e) => e.type === 'quote.sent')
        assert.deepEqual(
          sent.map((e) => e.data.customerTotalMinor),
          [ITS_QUOTE, undefined],
        )
        const paid = events.find((e) => e.type === 'payment.recorded')
        assert.deepEqual([paid?.data.amountMinor, paid?.data.reference], [ITS_QUOTE, ITS_REFERENCE])
        assert.ok(!mentionsAmount(answer.body, LATER_QUOTE), 'the later quote’s amount')
      })

      test(`${party}: its quote's document opens, the seller's does not; the claim shows the later quote without amounts`, async () => {
        const its = await get(party, `/api/v1/claims/${claimId}/quotes/${itsQuote}.pdf`)
        assert.equal(its.statusCode, 200, its.body.slice(0, 200))
        const later = await get(party, `/api/v1/claims/${claimId}/quotes/${laterQuote}.pdf`)
        assert.equal(later.statusCode, 403, later.body)
        const payment = await get(party, `/api/v1/claims/${claimId}/payment`)
        assert.equal(payment.statusCode, 403, 'the payment card is of the latest quote, the seller’s')
        const page = await get(party, `/api/v1/claims/${claimId}`)
        assert.equal(page.statusCode, 200, page.body)
        assert.deepEqual((page.json() as { quote: unknown }).quote, { id: laterQuote, status: 'accepted' })
      })
    }

    for (const party of DEALER) {
      test(`${party}: its row in the claims list shows its quote as the claim's page does, whole`, () => {
        const seen = handedOff.get(party)
        assert.deepEqual(seen?.page, {
          id: itsQuote,
          status: 'accepted',
          customerTotalMinor: ITS_QUOTE,
          paidMinor: ITS_QUOTE,
        })
        assert.deepEqual(seen?.row, seen?.page)
      })

      test(`${party}: the proof of paying its quote opens and is listed, the proof of the seller's quote neither`, async () => {
        const its = await get(party, `/api/v1/files/${itsProof}`)
        assert.equal(its.statusCode, 200, its.body)
        const later = await get(party, `/api/v1/files/${laterProof}`)
        assert.equal(later.statusCode, 404, later.body)
        const files = await get(party, `/api/v1/claims/${claimId}/files`)
        assert.equal(files.statusCode, 200, files.body)
        const listed = (files.json() as { items: { id: string }[] }).items.map((file) => file.id)
        assert.ok(listed.includes(itsProof), 'its quote’s proof is listed')
        assert.ok(!listed.includes(laterProof), 'the seller’s quote’s proof is not')
      })
    }

    test('dealer 2, which neither sold the unit nor handled the claim, still sees nothing of it', async () => {
      for (const party of ['dealer2', 'orgKey2'] as const) {
        const answer = await get(party, `/api/v1/claims/${claimId}/quotes`)
        assert.equal(answer.statusCode, 404, `${party}: ${answer.body}`)
        for (const proof of [itsProof, laterProof]) {
          const file = await get(party, `/api/v1/files/${proof}`)
          assert.equal(file.statusCode, 404, `${party}: ${file.body}`)
        }
        const list = await get(party, '/api/v1/claims?limit=50')
        assert.equal(list.statusCode, 200, list.body)
        assert.ok(!list.body.includes(claimId), `${party}: the claim is not in its list`)
      }
    })
  })
}

/** Records the unit as sold by the seller itself (`direct`) or through the dealer, as the case holds it. */
async function soldAs(world: SecurityWorld, claimId: string, channel: string): Promise<string> {
  const row = await world.database.db
    .selectFrom('claims')
    .select('case_json')
    .where('id', '=', claimId)
    .executeTakeFirstOrThrow()
  const facts = JSON.parse(row.case_json) as { purchase: { channel: string } }
  await world.database.db
    .updateTable('claims')
    .set({
      brand: 'agent',
      case_json: JSON.stringify({ ...facts, purchase: { ...facts.purchase, channel } }),
    })
    .where('id', '=', claimId)
    .execute()
  return facts.purchase.channel
}

for (const engine of testEngines()) {
  describe(`${engine}: a dealer handed a claim after the seller quoted it, then replaced, sees on its payment card only the proofs of its own quote`, () => {
    let world: SecurityWorld
    let claimId: string
    let itsQuote: string
    let sellersProof: string
    let itsProof: string
    before(async () => {
      world = await openSecurityWorld(engine)
      const serial = await seedPlayerOneDealerUnit(world)
      claimId = (await openClaimAs(world, world.customer, openClaimBody(serial))).id
      const contents = await packageOf(world, MODEL)
      const quoteAndPay = async (by: typeof world.staff, amount: number) => {
        const quoted = await act(world, by, claimId, 'send-quote', {
          lines: [
            { kind: 'parts', description: 'Part', quantity: 1, unitPriceMinor: amount, payer: 'customer' },
          ],
        })
        const quoteId = quoted.quote?.id ?? ''
        await act(world, world.customer, claimId, 'accept-quote', { quoteId })
        const held = await uploadPng(world, world.customer.headers, '/api/v1/files', 'payment-proof')
        assert.equal(held.statusCode, 201, held.body)
        const proof = (held.json() as { items: { id: string }[] }).items[0]?.id ?? ''
        await act(world, world.customer, claimId, 'submit-payment-proof', { fileIds: [proof] })
        await act(world, by, claimId, 'record-payment', { amountMinor: amount, proofFileId: proof })
        return { quoteId, proof }
      }
      const decideAgain = async (by: typeof world.staff, channel: string, handler: string) => {
        await act(world, by, claimId, 'forward-to-maker', { carrier: 'SF', trackingNumber: `SF-${handler}` })
        await act(world, by, claimId, 'return-from-maker')
        await soldAs(world, claimId, channel)
        await act(world, world.staff, claimId, 'record-inspection', fullInspection(serial, contents, damaged))
        const decided = await act(world, world.staff, claimId, 'make-decision')
        assert.equal(decided.finalDecision?.handler, handler)
      }
      // The seller first handles the claim (it thinks it sold the unit itself) and is paid its quote.
      const dealerChannel = await soldAs(world, claimId, 'direct')
      await act(world, world.staff, claimId, 'authorize-return')
      await act(world, world.staff, claimId, 'receive-unit')
      await act(world, world.staff, claimId, 'record-inspection', fullInspection(serial, contents, damaged))
      const first = await act(world, world.staff, claimId, 'make-decision')
      assert.equal(first.finalDecision?.handler, 'vendor')
      sellersProof = (await quoteAndPay(world.staff, ITS_QUOTE + 1)).proof
      // Then the dealer, and is paid its own; then the seller again, with no quote since.
      await decideAgain(world.staff, dealerChannel, 'dealer')
      ;({ quoteId: itsQuote, proof: itsProof } = await quoteAndPay(world.dealer, ITS_QUOTE))
      await decideAgain(world.dealer, 'direct', 'vendor')
    })
    after(() => world.close())

    for (const party of DEALER) {
      test(`${party}: the card of its quote lists its proof, not the one of the seller's earlier quote`, async () => {
        const card = await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${claimId}/payment`,
          headers: world.parties[party],
        })
        assert.equal(card.statusCode, 200, card.body)
        const { quoteId, proofs } = card.json() as { quoteId: string; proofs: { fileId: string }[] }
        assert.equal(quoteId, itsQuote)
        assert.deepEqual(
          proofs.map((proof) => proof.fileId),
          [itsProof],
        )
        assert.ok(!card.body.includes(sellersProof), 'the seller’s proof')
        const get = (fileId: string) =>
          world.app.inject({ method: 'GET', url: `/api/v1/files/${fileId}`, headers: world.parties[party] })
        assert.deepEqual([(await get(itsProof)).statusCode, (await get(sellersProof)).statusCode], [200, 404])
      })
    }
  })
}
