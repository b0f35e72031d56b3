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
  tryAct,
} from '../claims/claim-factories.ts'
import { mentionsAmount } from './amount-in-text.ts'
import {
  moveSaleByImport,
  openSecurityWorld,
  type PartyName,
  type SecurityWorld,
  uploadPng,
} from './security-world.ts'

const MODEL = 'player-one-zeus-455m-pro'
const damaged = { findings: ['physical-damage'], manufacturingDefect: false }

/** A claim of dealer 1's unit, driven by its steps, with the helpers its tests share. */
async function openDealerClaim(world: SecurityWorld) {
  const serial = await seedPlayerOneDealerUnit(world)
  const claimId = (await openClaimAs(world, world.customer, openClaimBody(serial))).id
  const contents = await packageOf(world, MODEL)
  const soldAs = async (channel: string) => {
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
  /** `beforePaying` runs once the customer sent their proof, before the payment is recorded. */
  const quoteAndPay = async (
    by: typeof world.staff,
    amount: number,
    reference: string,
    beforePaying: () => Promise<void> = async () => {},
  ) => {
    const quoted = await act(world, by, claimId, 'send-quote', {
      lines: [{ kind: 'parts', description: 'Part', quantity: 1, unitPriceMinor: amount, payer: 'customer' }],
    })
    const quoteId = quoted.quote?.id ?? ''
    await act(world, world.customer, claimId, 'accept-quote', { quoteId })
    const held = await uploadPng(world, world.customer.headers, '/api/v1/files', 'payment-proof')
    assert.equal(held.statusCode, 201, held.body)
    const proof = (held.json() as { items: { id: string }[] }).items[0]?.id ?? ''
    await act(world, world.customer, claimId, 'submit-payment-proof', { fileIds: [proof] })
    await beforePaying()
    await act(world, by, claimId, 'record-payment', { amountMinor: amount, reference, proofFileId: proof })
    return { quoteId, proof }
  }
  // Only an agent brand's unit goes to the maker, whose findings have the claim decided again.
  const decideAgain = async (by: typeof world.staff, channel: string, handler: string) => {
    await world.database.db.updateTable('claims').set({ brand: 'agent' }).where('id', '=', claimId).execute()
    await act(world, by, claimId, 'forward-to-maker', { carrier: 'SF', trackingNumber: `SF-${handler}` })
    await act(world, by, claimId, 'return-from-maker')
    await soldAs(channel)
    await act(world, world.staff, claimId, 'record-inspection', fullInspection(serial, contents, damaged))
    const decided = await act(world, world.staff, claimId, 'make-decision')
    assert.equal(decided.finalDecision?.handler, handler)
  }
  const firstDecision = async (by: typeof world.staff, handler: string) => {
    await act(world, by, claimId, 'authorize-return')
    await act(world, by, claimId, 'receive-unit')
    await act(world, by, claimId, 'record-inspection', fullInspection(serial, contents, damaged))
    const decided = await act(world, by, claimId, 'make-decision')
    assert.equal(decided.finalDecision?.handler, handler)
  }
  return { serial, claimId, soldAs, quoteAndPay, decideAgain, firstDecision }
}

interface Card {
  quoteId: string
  proofs: { fileId: string }[]
  payments: { reference: string | null; proofFileId: string | null }[]
}

interface ClaimRead {
  quote: { id: string; customerTotalMinor?: number; paidMinor?: number } | null
  allowedActions: string[]
}

/** Every answer that carries a quote's money, as one party reads it while that quote is the claim's latest. */
interface QuoteMoneyRead {
  claim: { statusCode: number; body: string }
  list: { statusCode: number; body: string }
  events: { statusCode: number; body: string }
  quotes: { statusCode: number; body: string }
  costLines: { statusCode: number; body: string }
  pdf: { statusCode: number; body: string }
}

async function readQuoteMoney(
  world: SecurityWorld,
  party: PartyName,
  claimId: string,
  quoteId: string,
): Promise<QuoteMoneyRead> {
  const get = (url: string) => world.app.inject({ method: 'GET', url, headers: world.parties[party] })
  return {
    claim: await get(`/api/v1/claims/${claimId}`),
    list: await get('/api/v1/claims?limit=100'),
    events: await get(`/api/v1/claims/${claimId}/events`),
    quotes: await get(`/api/v1/claims/${claimId}/quotes`),
    costLines: await get(`/api/v1/claims/${claimId}/cost-lines`),
    pdf: await get(`/api/v1/claims/${claimId}/quotes/${quoteId}.pdf`),
  }
}

/**
 * A quote another party sent is that party's and the customer's money: the dealer handling the
 * claim now reads that it was sent and answered, with no amount of the customer's, no payment
 * reference or proof, no document, and no step to record its payment.
 */
function assertKeptOut(read: QuoteMoneyRead, other: { amount: number; reference: string; proof: string }) {
  for (const [name, answer] of Object.entries(read).filter(([name]) => name !== 'pdf')) {
    assert.equal(answer.statusCode, 200, `${name}: ${answer.body}`)
    assert.ok(!mentionsAmount(answer.body, other.amount), `${name} shows the amount`)
    assert.ok(!answer.body.includes(other.reference), `${name} shows the payment's reference`)
    assert.ok(!answer.body.includes(other.proof), `${name} shows the proof`)
  }
  const view = JSON.parse(read.claim.body) as ClaimRead
  assert.ok(view.quote, 'the claim says a quote was sent')
  assert.equal(view.quote.customerTotalMinor, undefined)
  assert.ok(!view.allowedActions.includes('record-payment'), 'record-payment is offered')
  assert.equal(read.pdf.statusCode, 403, read.pdf.body)
  assert.equal(JSON.parse(read.pdf.body).error.messageKey, 'claims.quote.not-its-quote')
}

/** The seller's quote, paid before the claim became the dealer's to serve, and the dealer's own. */
const SELLERS_QUOTE = 73519
const SELLERS_REFERENCE = 'SELLER-REF-51'
const ITS_QUOTE = 40321
const ITS_REFERENCE = 'DEALER-REF-7'

for (const engine of testEngines()) {
  describe(`${engine}: a dealer that handles a claim after the seller quoted it sees nothing of the seller's payment`, () => {
    let world: SecurityWorld
    let claimId: string
    let sellersProof: string
    /** The card each party read while the seller's quote was the latest, the dealer handling the claim. */
    const sellersCard = new Map<PartyName, { statusCode: number; body: string }>()
    /** Dealer 1's step to record the payment of its quote citing the seller's quote's proof. */
    let citingSellersProof: { statusCode: number; body: string }
    /** The card dealer 1 read while the seller handled the claim, before it did. */
    let sellingDealersCard: { statusCode: number; body: string }
    let itsQuote: string
    let itsProof: string
    /** What dealer 1 read of the claim while the seller's quote was its latest, dealer 1 handling it. */
    const sellersQuoteRead = new Map<PartyName, QuoteMoneyRead>()

    const get = (party: PartyName, url: string) =>
      world.app.inject({ method: 'GET', url, headers: world.parties[party] })

    before(async () => {
      world = await openSecurityWorld(engine)
      const claim = await openDealerClaim(world)
      claimId = claim.claimId
      const dealerChannel = await claim.soldAs('direct')
      await claim.firstDecision(world.staff, 'vendor')
      const quoted = await act(world, world.staff, claimId, 'send-quote', {
        lines: [
          {
            kind: 'parts',
            description: 'Part',
            quantity: 1,
            unitPriceMinor: SELLERS_QUOTE,
            payer: 'customer',
          },
        ],
      })
      await act(world, world.customer, claimId, 'accept-quote', { quoteId: quoted.quote?.id })
      const held = await uploadPng(world, world.customer.headers, '/api/v1/files', 'payment-proof')
      sellersProof = (held.json() as { items: { id: string }[] }).items[0]?.id ?? ''
      await act(world, world.customer, claimId, 'submit-payment-proof', { fileIds: [sellersProof] })
      await act(world, world.staff, claimId, 'record-payment', {
        amountMinor: SELLERS_QUOTE,
        reference: SELLERS_REFERENCE,
        proofFileId: sellersProof,
      })
      sellingDealersCard = await get('dealer1', `/api/v1/claims/${claimId}/payment`)
      // The seller finds the unit was the dealer's sale after all: the dealer handles the claim.
      await claim.decideAgain(world.staff, dealerChannel, 'dealer')
      for (const party of ['customerA', 'technician', 'dealer1', 'orgKey1', 'dealer2', 'orgKey2'] as const)
        sellersCard.set(party, await get(party, `/api/v1/claims/${claimId}/payment`))
      for (const party of ['dealer1', 'orgKey1'] as const)
        sellersQuoteRead.set(party, await readQuoteMoney(world, party, claimId, quoted.quote?.id ?? ''))
      ;({ quoteId: itsQuote, proof: itsProof } = await claim.quoteAndPay(
        world.dealer,
        ITS_QUOTE,
        ITS_REFERENCE,
        async () => {
          citingSellersProof = await tryAct(world, world.dealer, claimId, 'record-payment', {
            amountMinor: ITS_QUOTE,
            proofFileId: sellersProof,
          })
        },
      ))
    })
    after(() => world.close())

    test("dealer 1 may not record its quote's payment with the proof the customer sent for the seller's", () => {
      assert.equal(citingSellersProof.statusCode, 400, citingSellersProof.body)
      const { error } = JSON.parse(citingSellersProof.body)
      assert.deepEqual([error.messageKey, error.field], ['claims.payment.proof-unknown', 'body.proofFileId'])
    })

    for (const party of ['customerA', 'technician'] as const)
      test(`${party} reads the seller's quote's payment and proof`, () => {
        const card = sellersCard.get(party)
        assert.equal(card?.statusCode, 200, card?.body)
        const view = JSON.parse(card?.body ?? '{}') as Card
        assert.deepEqual(
          view.payments.map((row) => row.reference),
          [SELLERS_REFERENCE],
        )
        assert.deepEqual(
          view.proofs.map((proof) => proof.fileId),
          [sellersProof],
        )
      })

    test('dealer 1, which sold the unit while the seller handled the claim, is refused the card', () => {
      assert.equal(sellingDealersCard.statusCode, 403, sellingDealersCard.body)
      assert.equal(JSON.parse(sellingDealersCard.body).error.messageKey, 'claims.payment.not-handler')
    })

    for (const party of ['dealer1', 'orgKey1'] as const)
      test(`${party}, handling the claim, is refused the card of the seller's quote and told why`, () => {
        const card = sellersCard.get(party)
        assert.equal(card?.statusCode, 403, card?.body)
        const body = card?.body ?? ''
        assert.equal(JSON.parse(body).error.messageKey, 'claims.payment.not-its-quote')
        assert.ok(!body.includes(SELLERS_REFERENCE), 'the payment’s reference')
        assert.ok(!body.includes(sellersProof), 'the proof')
        assert.ok(!mentionsAmount(body, SELLERS_QUOTE), 'the quote’s total')
      })

    for (const party of ['dealer1', 'orgKey1'] as const)
      test(`${party}, handling the claim, reads the seller's quote as a dealer that only sold the unit would: no amount, reference or proof, and no step to record its payment`, () => {
        const read = sellersQuoteRead.get(party)
        assert.ok(read)
        assertKeptOut(read, { amount: SELLERS_QUOTE, reference: SELLERS_REFERENCE, proof: sellersProof })
      })

    for (const party of ['dealer1', 'orgKey1'] as const)
      test(`${party} reads its own quote whole and still nothing of the seller's in the history or the quotes`, async () => {
        const view = (await get(party, `/api/v1/claims/${claimId}`)).json() as ClaimRead
        assert.equal(view.quote?.id, itsQuote)
        assert.equal(view.quote?.customerTotalMinor, ITS_QUOTE)
        for (const url of [
          `/api/v1/claims/${claimId}/events`,
          `/api/v1/claims/${claimId}/quotes`,
          `/api/v1/claims/${claimId}/cost-lines`,
        ]) {
          const body = (await get(party, url)).body
          assert.ok(mentionsAmount(body, ITS_QUOTE), `${url} shows its own quote`)
          assert.ok(!mentionsAmount(body, SELLERS_QUOTE), `${url} shows the seller's amount`)
          assert.ok(!body.includes(SELLERS_REFERENCE), `${url} shows the seller's reference`)
        }
      })

    for (const party of ['dealer2', 'orgKey2'] as const)
      test(`${party}, which neither sold the unit nor handles the claim, finds no claim`, () => {
        assert.equal(sellersCard.get(party)?.statusCode, 404, sellersCard.get(party)?.body)
      })

    for (const party of ['dealer1', 'orgKey1'] as const)
      test(`${party} reads the card of its own quote, with nothing of the seller's`, async () => {
        const card = await get(party, `/api/v1/claims/${claimId}/payment`)
        assert.equal(card.statusCode, 200, card.body)
        const view = card.json() as Card
        assert.equal(view.quoteId, itsQuote)
        assert.deepEqual(
          view.payments.map((row) => row.reference),
          [ITS_REFERENCE],
        )
        assert.deepEqual(
          view.proofs.map((proof) => proof.fileId),
          [itsProof],
        )
        assert.ok(!card.body.includes(SELLERS_REFERENCE) && !card.body.includes(sellersProof))
      })
  })
}

for (const engine of testEngines()) {
  describe(`${engine}: a dealer whose claim went to the seller's own sale and came back still sees what it handled`, () => {
    let world: SecurityWorld
    let claimId: string
    let itsQuote: string
    let itsProof: string
    /** Dealer 1's card once the claim came back to it, handling it again. */
    let backCard: { statusCode: number; body: string }

    const get = (party: PartyName, url: string) =>
      world.app.inject({ method: 'GET', url, headers: world.parties[party] })
    const moveSale = (serial: string, dealer: { id: string; name: string } | null) =>
      moveSaleByImport(world, serial, dealer)

    before(async () => {
      world = await openSecurityWorld(engine)
      const claim = await openDealerClaim(world)
      claimId = claim.claimId
      await claim.firstDecision(world.dealer, 'dealer')
      ;({ quoteId: itsQuote, proof: itsProof } = await claim.quoteAndPay(
        world.dealer,
        ITS_QUOTE,
        ITS_REFERENCE,
      ))
      // The seller's records first call the sale its own, then dealer 1's again.
      assert.equal(await moveSale(claim.serial, null), 1)
      assert.equal((await get('dealer1', `/api/v1/claims/${claimId}`)).statusCode, 404)
      assert.equal(await moveSale(claim.serial, { id: ORG.starlight, name: 'Starlight' }), 1)
      backCard = await get('dealer1', `/api/v1/claims/${claimId}/payment`)
      // Then the maker's findings send the claim to the seller: dealer 1 no longer handles it.
      await claim.decideAgain(world.dealer, 'direct', 'vendor')
    })
    after(() => world.close())

    test('handling it again, its card lists the proof and the payment of its quote', () => {
      assert.equal(backCard.statusCode, 200, backCard.body)
      const view = JSON.parse(backCard.body) as Card
      assert.equal(view.quoteId, itsQuote)
      assert.deepEqual(
        view.proofs.map((proof) => proof.fileId),
        [itsProof],
      )
      assert.deepEqual(
        view.payments.map((row) => row.reference),
        [ITS_REFERENCE],
      )
    })

    for (const party of ['dealer1', 'orgKey1'] as const)
      test(`${party}, handed off again, still reads its quote's card and opens and lists its proof`, async () => {
        const card = await get(party, `/api/v1/claims/${claimId}/payment`)
        assert.equal(card.statusCode, 200, card.body)
        assert.deepEqual(
          (card.json() as Card).proofs.map((proof) => proof.fileId),
          [itsProof],
        )
        assert.equal((await get(party, `/api/v1/files/${itsProof}`)).statusCode, 200)
        const files = await get(party, `/api/v1/claims/${claimId}/files`)
        assert.ok((files.json() as { items: { id: string }[] }).items.some((file) => file.id === itsProof))
      })

    test('dealer 2 finds no claim and no proof', async () => {
      assert.equal((await get('dealer2', `/api/v1/claims/${claimId}/payment`)).statusCode, 404)
      assert.equal((await get('dealer2', `/api/v1/files/${itsProof}`)).statusCode, 404)
    })
  })
}

for (const engine of testEngines()) {
  describe(`${engine}: a dealer a claim moves to while the quote of the dealer before waits for money neither reads nor records its payment`, () => {
    let world: SecurityWorld
    let claimId: string
    let proofId: string

    const get = (party: PartyName, url: string) =>
      world.app.inject({ method: 'GET', url, headers: world.parties[party] })

    before(async () => {
      world = await openSecurityWorld(engine)
      const claim = await openDealerClaim(world)
      claimId = claim.claimId
      await claim.firstDecision(world.dealer, 'dealer')
      const quoted = await act(world, world.dealer, claimId, 'send-quote', {
        lines: [
          { kind: 'parts', description: 'Part', quantity: 1, unitPriceMinor: ITS_QUOTE, payer: 'customer' },
        ],
      })
      await act(world, world.customer, claimId, 'accept-quote', { quoteId: quoted.quote?.id })
      const held = await uploadPng(world, world.customer.headers, '/api/v1/files', 'payment-proof')
      proofId = (held.json() as { items: { id: string }[] }).items[0]?.id ?? ''
      await act(world, world.customer, claimId, 'submit-payment-proof', { fileIds: [proofId] })
      await act(world, world.dealer, claimId, 'record-payment', {
        amountMinor: 1000,
        reference: ITS_REFERENCE,
      })
      // The seller's records now name dealer 2: the claim, still the dealer's to serve, is its.
      const moved = await moveSaleByImport(world, claim.serial, { id: ORG.prairie, name: 'Prairie' })
      assert.equal(moved, 1)
    })
    after(() => world.close())

    for (const party of ['dealer2', 'orgKey2'] as const)
      test(`${party} reads dealer 1's quote with no amount, reference or proof, and is offered no step to record its payment`, async () => {
        const quoteId = ((await get('technician', `/api/v1/claims/${claimId}`)).json() as ClaimRead).quote?.id
        assertKeptOut(await readQuoteMoney(world, party, claimId, quoteId ?? ''), {
          amount: ITS_QUOTE,
          reference: ITS_REFERENCE,
          proof: proofId,
        })
      })

    for (const party of ['dealer2', 'orgKey2'] as const)
      test(`${party} is refused the card of dealer 1's quote and told why`, async () => {
        const card = await get(party, `/api/v1/claims/${claimId}/payment`)
        assert.equal(card.statusCode, 403, card.body)
        assert.equal(card.json().error.messageKey, 'claims.payment.not-its-quote')
        assert.ok(!card.body.includes(ITS_REFERENCE) && !card.body.includes(proofId))
      })

    test('dealer 2 may not record a payment against dealer 1’s quote, nor send a proof for it', async () => {
      const paid = await tryAct(world, world.otherDealer, claimId, 'record-payment', { amountMinor: 1000 })
      assert.equal(paid.statusCode, 403, paid.body)
      assert.equal(paid.json().error.messageKey, 'claims.payment.not-its-quote')
      const held = await uploadPng(world, world.parties.dealer2, '/api/v1/files', 'payment-proof')
      assert.equal(held.statusCode, 201, held.body)
      const fileIds = (held.json() as { items: { id: string }[] }).items.map((item) => item.id)
      const proof = await tryAct(world, world.otherDealer, claimId, 'submit-payment-proof', { fileIds })
      assert.equal(proof.statusCode, 403, proof.body)
      const card = await get('technician', `/api/v1/claims/${claimId}/payment`)
      assert.deepEqual(
        (card.json() as Card).payments.map((row) => row.reference),
        [ITS_REFERENCE],
        'only dealer 1’s payment is recorded',
      )
    })

    test('dealer 1, which no longer has the claim, and customer B find neither it nor its proof', async () => {
      for (const party of ['dealer1', 'orgKey1', 'customerB'] as const) {
        assert.equal((await get(party, `/api/v1/claims/${claimId}/payment`)).statusCode, 404, party)
        assert.equal((await get(party, `/api/v1/files/${proofId}`)).statusCode, 404, party)
      }
      const held = await uploadPng(world, world.parties.customerB, '/api/v1/files', 'payment-proof')
      const fileIds = (held.json() as { items: { id: string }[] }).items.map((item) => item.id)
      const proof = await tryAct(world, world.otherCustomer, claimId, 'submit-payment-proof', { fileIds })
      assert.equal(proof.statusCode, 404, proof.body)
    })

    for (const party of ['customerA', 'technician'] as const)
      test(`${party} reads dealer 1's quote's payment and proof`, async () => {
        const card = await get(party, `/api/v1/claims/${claimId}/payment`)
        assert.equal(card.statusCode, 200, card.body)
        const view = card.json() as Card
        assert.deepEqual(
          [view.payments.map((row) => row.reference), view.proofs.map((proof) => proof.fileId)],
          [[ITS_REFERENCE], [proofId]],
        )
      })
  })
}
