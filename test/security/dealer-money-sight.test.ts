import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  inspectAndDecide,
  ORG,
  openClaimAs,
  openClaimBody,
  seedIstExpiredUnit,
  seedPlayerOneDealerUnit,
} from '../claims/claim-factories.ts'
import { mentionsAmount } from './amount-in-text.ts'
import { openSecurityWorld, type PartyName, type SecurityWorld, uploadPng } from './security-world.ts'

/** The customer's share, the payment and the other payers' lines: what the selling dealer must not read. */
const CUSTOMER_PARTS = 43217
const VENDOR_FREIGHT = 1919
const VENDOR_FAN = 2468
const REFERENCE = 'PAYREF-5521'
const PAYMENT_NOTE = 'Matched statement 88'
/** The lines the dealer pays itself: its to see. */
const DEALER_LABOUR = 3500
const DEALER_REPAIR = 1357

/** The dealer that sold the unit, signed in and by its organisation's API key. */
const SELLING_DEALER: PartyName[] = ['dealer1', 'orgKey1']

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** Every amount (a member named `…Minor`) in a JSON value, by path, outside the dealer's own cost lines. */
function amountsOutsideOwnLines(value: unknown, path = '$'): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, i) =>
      isRecord(item) && item.payer === 'dealer' ? [] : amountsOutsideOwnLines(item, `${path}[${i}]`),
    )
  if (!isRecord(value)) return []
  return Object.entries(value).flatMap(([key, member]) => [
    ...(key.endsWith('Minor') ? [`${path}.${key}`] : []),
    ...amountsOutsideOwnLines(member, `${path}.${key}`),
  ])
}

for (const engine of testEngines()) {
  describe(`${engine}: the dealer that sold the unit and does not handle the claim sees none of the customer's money`, () => {
    let world: SecurityWorld
    let claimId: string
    let quoteId: string
    let proofId: string
    before(async () => {
      world = await openSecurityWorld(engine)
      // An IST mini PC out of warranty, which the seller repairs for a fee, on a claim dealer 1
      // sees as the unit's seller (as in the payment's own test: the IST policy would send a
      // sale of dealer 1's own to dealer 1).
      const serial = await seedIstExpiredUnit(world)
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      claimId = opened.id
      await world.database.db
        .updateTable('claims')
        .set({ dealer_org_id: ORG.starlight })
        .where('id', '=', claimId)
        .execute()
      const decided = await inspectAndDecide(world, claimId, serial, 'beijing-ist-ist-obspc-mini')
      assert.notEqual(decided.finalDecision?.handler, 'dealer', 'the seller handles the claim')
      const quoted = await act(world, world.staff, claimId, 'send-quote', {
        lines: [
          {
            kind: 'parts',
            description: 'Mainboard',
            quantity: 1,
            unitPriceMinor: CUSTOMER_PARTS,
            payer: 'customer',
          },
          {
            kind: 'labour',
            description: 'Bench time',
            quantity: 2,
            unitPriceMinor: DEALER_LABOUR,
            payer: 'dealer',
          },
          {
            kind: 'return-shipping',
            description: 'Courier',
            quantity: 1,
            unitPriceMinor: VENDOR_FREIGHT,
            payer: 'vendor',
          },
        ],
      })
      quoteId = quoted.quote?.id ?? ''
      await act(world, world.customer, claimId, 'accept-quote', { quoteId })
      const held = await uploadPng(world, world.customer.headers, '/api/v1/files', 'payment-proof')
      assert.equal(held.statusCode, 201, held.body)
      proofId = (held.json() as { items: { id: string }[] }).items[0]?.id ?? ''
      await act(world, world.customer, claimId, 'submit-payment-proof', { fileIds: [proofId] })
      await act(world, world.staff, claimId, 'record-payment', {
        amountMinor: CUSTOMER_PARTS,
        reference: REFERENCE,
        note: PAYMENT_NOTE,
        proofFileId: proofId,
      })
      await act(world, world.staff, claimId, 'start-repair')
      await act(world, world.staff, claimId, 'complete-repair', {
        lines: [
          { kind: 'parts', description: 'Fan', quantity: 1, unitPriceMinor: VENDOR_FAN, payer: 'vendor' },
          {
            kind: 'labour',
            description: 'Refit',
            quantity: 1,
            unitPriceMinor: DEALER_REPAIR,
            payer: 'dealer',
          },
        ],
      })
    })
    after(() => world.close())

    const get = (party: PartyName, url: string, headers: Record<string, string> = {}) =>
      world.app.inject({ method: 'GET', url, headers: { ...world.parties[party], ...headers } })

    /** Nothing of the customer's payment or of the others' lines is in the answer. */
    const assertNothingOfTheCustomers = (body: string, label: string) => {
      for (const amount of [CUSTOMER_PARTS, VENDOR_FREIGHT, VENDOR_FAN])
        assert.ok(!mentionsAmount(body, amount), `${label}: shows ${amount}`)
      for (const secret of [REFERENCE, PAYMENT_NOTE, proofId])
        assert.ok(!body.includes(secret), `${label}: shows ${secret}`)
    }

    test('the customer and staff read what the customer pays, the payment and its reference; staff every amount', async () => {
      for (const party of ['customerA', 'technician', 'integration'] as const) {
        const claim = (await get(party, `/api/v1/claims/${claimId}`)).json() as {
          quote: { customerTotalMinor?: number; paidMinor?: number }
        }
        assert.equal(claim.quote.customerTotalMinor, CUSTOMER_PARTS, party)
        assert.equal(claim.quote.paidMinor, CUSTOMER_PARTS, party)
        const quotes = (await get(party, `/api/v1/claims/${claimId}/quotes`)).json() as {
          items: { customerMinor?: number; lines: unknown[] }[]
        }
        assert.equal(quotes.items[0]?.customerMinor, CUSTOMER_PARTS, party)
        assert.equal(quotes.items[0]?.lines.length, 3, party)
        const events = (await get(party, `/api/v1/claims/${claimId}/events`)).body
        assert.ok(events.includes(REFERENCE), party)
        // What the seller absorbs is staff's to read, not the customer's (customer-money-sight.test.ts).
        assert.equal(mentionsAmount(events, VENDOR_FAN), party !== 'customerA', party)
      }
    })

    for (const party of SELLING_DEALER) {
      test(`${party}: the claim, its list row and its history show its state and quotes, not what the customer pays or paid`, async () => {
        const page = await get(party, `/api/v1/claims/${claimId}`)
        assert.equal(page.statusCode, 200, page.body)
        const claim = page.json() as { state: string; quote: Record<string, unknown> }
        assert.equal(claim.state, 'repaired')
        assert.deepEqual(claim.quote, { id: quoteId, status: 'accepted' })
        assertNothingOfTheCustomers(page.body, `${party} claim`)

        const list = await get(party, '/api/v1/claims?limit=100')
        const row = (list.json() as { items: { id: string; quote: unknown }[] }).items.find(
          (c) => c.id === claimId,
        )
        assert.deepEqual(row?.quote, { id: quoteId, status: 'accepted' }, `${party} list`)
        assertNothingOfTheCustomers(list.body, `${party} list`)

        const history = await get(party, `/api/v1/claims/${claimId}/events`)
        assert.equal(history.statusCode, 200, history.body)
        const events = (history.json() as { items: { type: string; data: Record<string, unknown> }[] }).items
        assert.deepEqual(
          events
            .map((e) => e.type)
            .filter((type) => type.startsWith('payment.') || type.startsWith('quote.')),
          ['quote.sent', 'quote.accepted', 'payment.proof-submitted', 'payment.recorded'],
          'it sees that the quote was sent, accepted and paid',
        )
        for (const event of events) {
          assert.deepEqual(amountsOutsideOwnLines(event.data), [], `${party} ${event.type}`)
          if (event.type.startsWith('payment.')) assert.deepEqual(event.data, { quoteId }, event.type)
        }
        const lineAmounts = (type: string) =>
          (
            (events.find((e) => e.type === type)?.data.lines ?? []) as {
              unitPriceMinor: number
              payer: string
            }[]
          ).map((line) => [line.payer, line.unitPriceMinor])
        assert.deepEqual(lineAmounts('quote.sent'), [['dealer', DEALER_LABOUR]], 'its own line of the quote')
        assert.deepEqual(
          lineAmounts('repair.completed'),
          [['dealer', DEALER_REPAIR]],
          'its own line of the repair',
        )
        assertNothingOfTheCustomers(history.body, `${party} events`)
      })

      test(`${party}: a quote shows only the lines it pays; the quote's document and the payment are refused`, async () => {
        const quotes = await get(party, `/api/v1/claims/${claimId}/quotes`)
        assert.equal(quotes.statusCode, 200, quotes.body)
        const [quote] = (quotes.json() as { items: Record<string, unknown>[] }).items
        assert.deepEqual(
          Object.keys(quote ?? {})
            .filter((key) => key.endsWith('Minor'))
            .sort(),
          [],
        )
        assert.deepEqual(
          ((quote?.lines ?? []) as { payer: string; amountMinor: number }[]).map((l) => [
            l.payer,
            l.amountMinor,
          ]),
          [['dealer', 2 * DEALER_LABOUR]],
        )
        assertNothingOfTheCustomers(quotes.body, `${party} quotes`)

        const pdf = await get(party, `/api/v1/claims/${claimId}/quotes/${quoteId}.pdf`)
        assert.equal(pdf.statusCode, 403, pdf.body)
        assert.equal(pdf.json().error.messageKey, 'claims.quote.not-handler')
        assertNothingOfTheCustomers(pdf.body, `${party} quote pdf`)
        const inChinese = await get(party, `/api/v1/claims/${claimId}/quotes/${quoteId}.pdf`, {
          'accept-language': 'zh-CN',
        })
        assert.match(inChinese.json().error.message, /报价/)
        // Followed from a browser, the link opens the claim's page, which shows what there is to see.
        const browser = await get(party, `/api/v1/claims/${claimId}/quotes/${quoteId}.pdf`, {
          accept: 'text/html',
        })
        assert.equal(browser.statusCode, 303)
        assert.match(String(browser.headers.location), new RegExp(claimId))

        const payment = await get(party, `/api/v1/claims/${claimId}/payment`)
        assert.equal(payment.statusCode, 403, payment.body)
        const proof = await get(party, `/api/v1/files/${proofId}`)
        assert.equal(proof.statusCode, 404, proof.body)
      })
    }

    test('the customer and staff still get the quote as a document', async () => {
      for (const party of ['customerA', 'technician'] as const) {
        const pdf = await get(party, `/api/v1/claims/${claimId}/quotes/${quoteId}.pdf`)
        assert.equal(pdf.statusCode, 200, `${party}: ${pdf.body.slice(0, 200)}`)
      }
    })

    test('a dealer that handles the claim reads every amount of its repair', async () => {
      // Seed 004: the Player One camera is served through the dealer that sold it.
      const serial = await seedPlayerOneDealerUnit(world)
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      const decided = await inspectAndDecide(world, opened.id, serial, 'player-one-zeus-455m-pro', {
        by: world.dealer,
      })
      assert.equal(decided.finalDecision?.handler, 'dealer')
      await act(world, world.dealer, opened.id, 'start-repair')
      await act(world, world.staff, opened.id, 'complete-repair', {
        lines: [
          { kind: 'parts', description: 'Fan', quantity: 1, unitPriceMinor: VENDOR_FAN, payer: 'vendor' },
        ],
      })
      for (const party of SELLING_DEALER) {
        const events = (await get(party, `/api/v1/claims/${opened.id}/events`)).json() as {
          items: {
            type: string
            data: { lines?: { unitPriceMinor: number }[]; totals?: { totalMinor?: number } }
          }[]
        }
        const repair = events.items.find((e) => e.type === 'repair.completed')
        assert.equal(repair?.data.lines?.[0]?.unitPriceMinor, VENDOR_FAN, party)
        assert.equal(repair?.data.totals?.totalMinor, VENDOR_FAN, party)
      }
    })
  })
}
