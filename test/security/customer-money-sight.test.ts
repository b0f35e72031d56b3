import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { findCjkFont } from '../../src/files/documents/pdf-document.ts'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import { renderEmail } from '../../src/notify/domain/render-email.ts'
import {
  act,
  fullInspection,
  ORG,
  openClaimAs,
  openClaimBody,
  packageOf,
  seedIstExpiredUnit,
} from '../claims/claim-factories.ts'
import { openSecurityWorld, type SecurityWorld } from './security-world.ts'

/** What the customer pays: theirs to see. */
const CUSTOMER_PARTS = 43217
/** What the seller, the dealer and the maker absorb: none of the customer's business. */
const DEALER_LABOUR = 35113
const VENDOR_FREIGHT = 19191
const MAKER_PART = 27731
const VENDOR_FAN = 24687
const DEALER_REPAIR = 13579
const QUOTE_TOTAL = CUSTOMER_PARTS + 2 * DEALER_LABOUR + VENDOR_FREIGHT + MAKER_PART

/** Every amount the customer must not meet, and the sums that would give them away. */
const OTHERS_AMOUNTS = [
  DEALER_LABOUR,
  2 * DEALER_LABOUR,
  VENDOR_FREIGHT,
  MAKER_PART,
  VENDOR_FAN,
  DEALER_REPAIR,
  QUOTE_TOTAL,
  VENDOR_FAN + DEALER_REPAIR,
]

/** An amount as JSON holds it (minor units) and as a page or document prints it (major units). */
const writings = (minor: number): string[] => {
  const major = (minor / 100).toFixed(2)
  const grouped = (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })
  return [...new Set([String(minor), major, grouped])]
}

function assertNoOthersAmount(text: string, label: string): void {
  for (const amount of OTHERS_AMOUNTS)
    for (const written of writings(amount)) assert.ok(!text.includes(written), `${label}: shows ${written}`)
}

for (const engine of testEngines()) {
  describe(`${engine}: the customer sees what they pay, and that the rest is covered, not how the businesses share it`, () => {
    let world: SecurityWorld
    let claimId: string
    let quoteId: string
    before(async () => {
      world = await openSecurityWorld(engine)
      const serial = await seedIstExpiredUnit(world)
      claimId = (await openClaimAs(world, world.customer, openClaimBody(serial))).id
      await world.database.db
        .updateTable('claims')
        .set({ dealer_org_id: ORG.starlight })
        .where('id', '=', claimId)
        .execute()
      await act(world, world.staff, claimId, 'authorize-return')
      await act(world, world.staff, claimId, 'receive-unit')
      await act(
        world,
        world.staff,
        claimId,
        'record-inspection',
        fullInspection(serial, await packageOf(world, 'beijing-ist-ist-obspc-mini')),
      )
      await act(world, world.staff, claimId, 'make-decision')
      const line = (
        kind: string,
        description: string,
        quantity: number,
        unitPriceMinor: number,
        payer: string,
      ) => ({
        kind,
        description,
        quantity,
        unitPriceMinor,
        payer,
      })
      const quoted = await act(world, world.staff, claimId, 'send-quote', {
        lines: [
          line('parts', 'Mainboard', 1, CUSTOMER_PARTS, 'customer'),
          line('labour', 'Bench time', 2, DEALER_LABOUR, 'dealer'),
          line('return-shipping', 'Courier', 1, VENDOR_FREIGHT, 'vendor'),
          line('parts', 'Sensor board', 1, MAKER_PART, 'manufacturer'),
        ],
      })
      quoteId = quoted.quote?.id ?? ''
      await act(world, world.customer, claimId, 'accept-quote', { quoteId })
      await act(world, world.staff, claimId, 'record-payment', {
        amountMinor: CUSTOMER_PARTS,
        reference: 'PAY-1',
      })
      await act(world, world.staff, claimId, 'start-repair')
      await act(world, world.staff, claimId, 'complete-repair', {
        lines: [
          line('parts', 'Fan', 1, VENDOR_FAN, 'vendor'),
          line('labour', 'Refit', 1, DEALER_REPAIR, 'dealer'),
        ],
      })
    })
    after(() => world.close())

    const get = (url: string, headers: Record<string, string> = {}) =>
      world.app.inject({ method: 'GET', url, headers: { ...world.parties.customerA, ...headers } })

    test('the quotes: every line, those they pay priced, the others covered without an amount; no total of the service, no share of a business', async () => {
      const answer = await get(`/api/v1/claims/${claimId}/quotes`)
      assert.equal(answer.statusCode, 200, answer.body)
      const [quote] = (answer.json() as { items: Record<string, unknown>[] }).items
      assert.equal(quote?.customerMinor, CUSTOMER_PARTS)
      assert.equal(quote?.paidMinor, CUSTOMER_PARTS)
      assert.equal('totalMinor' in (quote ?? {}), false)
      assert.equal('absorbedMinor' in (quote ?? {}), false)
      const lines = (quote?.lines ?? []) as Record<string, unknown>[]
      assert.deepEqual(
        lines.map((l) => [l.description, l.payer, l.amountMinor]),
        [
          ['Mainboard', 'customer', CUSTOMER_PARTS],
          ['Bench time', 'dealer', undefined],
          ['Courier', 'vendor', undefined],
          ['Sensor board', 'manufacturer', undefined],
        ],
      )
      assertNoOthersAmount(answer.body, 'quotes')
    })

    test('the claim page, its list row and its history show their payment, not the others’ amounts', async () => {
      const page = await get(`/api/v1/claims/${claimId}`)
      assert.equal(page.statusCode, 200, page.body)
      assert.equal(
        (page.json() as { quote: { customerTotalMinor: number } }).quote.customerTotalMinor,
        CUSTOMER_PARTS,
      )
      assertNoOthersAmount(page.body, 'claim')
      const list = await get('/api/v1/claims?limit=100')
      assert.ok(list.body.includes(claimId))
      assertNoOthersAmount(list.body, 'list')
      const history = await get(`/api/v1/claims/${claimId}/events`)
      assert.equal(history.statusCode, 200, history.body)
      const events = (history.json() as { items: { type: string; data: Record<string, unknown> }[] }).items
      const sent = events.find((e) => e.type === 'quote.sent')
      assert.equal(sent?.data.customerTotalMinor, CUSTOMER_PARTS)
      assert.equal((sent?.data.lines as unknown[] | undefined)?.length, 4, 'every line of the quote')
      const repaired = events.find((e) => e.type === 'repair.completed')
      assert.equal((repaired?.data.lines as unknown[] | undefined)?.length, 2, 'every line of the repair')
      const paid = events.find((e) => e.type === 'payment.recorded')
      assert.deepEqual([paid?.data.amountMinor, paid?.data.reference], [CUSTOMER_PARTS, 'PAY-1'])
      assertNoOthersAmount(history.body, 'events')
    })

    test('the payment card and the quote’s document give their total and no other amount', async () => {
      const payment = await get(`/api/v1/claims/${claimId}/payment`)
      assert.equal(payment.statusCode, 200, payment.body)
      assertNoOthersAmount(payment.body, 'payment')
      const pdf = await get(`/api/v1/claims/${claimId}/quotes/${quoteId}.pdf`)
      assert.equal(pdf.statusCode, 200)
      const text = extractPdfText(pdf.rawPayload)
      assert.ok(text.includes('432.17') && text.includes('Covered'), text)
      assert.ok(text.includes('Sensor board') && text.includes('Courier'), text)
      assert.doesNotMatch(text, /Dealer|Manufacturer|Seller/i)
      assertNoOthersAmount(text, 'quote pdf')
    })

    test('the printed quote in Chinese', {
      skip: findCjkFont() === null && 'no CJK font installed',
    }, async () => {
      await world.database.db
        .updateTable('customers')
        .set({ locale: 'zh', locale_chosen_at: new Date().toISOString() })
        .where('id', '=', 'cus-alice')
        .execute()
      try {
        const pdf = await get(`/api/v1/claims/${claimId}/quotes/${quoteId}.pdf`)
        assert.equal(pdf.statusCode, 200)
        const text = extractPdfText(pdf.rawPayload)
        assert.ok(text.includes('已承保') && text.includes('432.17'), text)
        assert.doesNotMatch(text, /经销商|制造商|销售方/)
        assertNoOthersAmount(text, 'quote pdf zh')
      } finally {
        await world.database.db
          .updateTable('customers')
          .set({ locale: 'en', locale_chosen_at: null })
          .where('id', '=', 'cus-alice')
          .execute()
      }
    })

    test('the e-mail with the estimate, in English and Chinese', async () => {
      const row = await world.database.db
        .selectFrom('outbox_messages')
        .select(['payload'])
        .where('claim_id', '=', claimId)
        .where('topic', '=', 'quote.sent')
        .where('channel', '=', 'email')
        .executeTakeFirstOrThrow()
      assertNoOthersAmount(row.payload, 'queued e-mail')
      const data = JSON.parse(row.payload) as Record<string, unknown>
      const ctx = { publicUrl: 'https://service.example', claimId }
      const en = renderEmail('quote.sent', 'en', data, ctx)
      assert.ok(en.text.includes('432.17') && en.text.includes('Covered'), en.text)
      assert.doesNotMatch(en.text, /dealer|manufacturer|seller/i)
      const zh = renderEmail('quote.sent', 'zh', data, ctx)
      assert.ok(zh.text.includes('已承保'), zh.text)
      assert.doesNotMatch(zh.text, /经销商|制造商|销售方/)
      for (const rendered of [en.text, en.html, zh.text, zh.html]) assertNoOthersAmount(rendered, 'e-mail')
    })

    test('staff still read every amount and share', async () => {
      const quotes = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claimId}/quotes`,
        headers: world.parties.technician,
      })
      const [quote] = (
        quotes.json() as { items: { totalMinor?: number; absorbedMinor?: Record<string, number> }[] }
      ).items
      assert.equal(quote?.totalMinor, QUOTE_TOTAL)
      assert.deepEqual(quote?.absorbedMinor, {
        vendor: VENDOR_FREIGHT,
        dealer: 2 * DEALER_LABOUR,
        manufacturer: MAKER_PART,
      })
    })
  })
}
