import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { findCjkFont } from '../../src/files/documents/pdf-document.ts'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import { renderEmail } from '../../src/notify/domain/render-email.ts'
import {
  act,
  type ClaimsWorld,
  emailDataOf,
  openClaimsWorld,
  seedClaimAwaitingQuote,
  tryAct,
} from './claim-factories.ts'

/**
 * Staff may leave a quote line's description out. The customer is then shown the line's kind
 * in the customer's own language, never a word in the language of whoever wrote the quote.
 */
for (const engine of testEngines()) {
  describe(`${engine}: a quote line without a description`, () => {
    let world: ClaimsWorld
    let claimId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      await world.database.db
        .updateTable('customers')
        .set({ locale: 'zh', locale_chosen_at: new Date().toISOString() })
        .where('id', '=', 'cus-alice')
        .execute()
      const decided = await seedClaimAwaitingQuote(world)
      claimId = decided.id
    })
    after(() => world.close())

    test('a description of blanks alone is none; one that says something is kept', async () => {
      await act(world, world.staff, claimId, 'send-quote', {
        lines: [
          { kind: 'parts', quantity: 1, unitPriceMinor: 50000 },
          { kind: 'labour', description: ' \u200b ', quantity: 1, unitPriceMinor: 3000, payer: 'customer' },
          {
            kind: 'return-shipping',
            description: 'SF Express',
            quantity: 1,
            unitPriceMinor: 900,
            payer: 'customer',
          },
        ],
      })
      const quotes = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claimId}/quotes`,
        headers: world.customer.headers,
      })
      assert.equal(quotes.statusCode, 200, quotes.body)
      const [quote] = (quotes.json() as { items: { lines: { kind: string; description: string }[] }[] }).items
      assert.deepEqual(quote?.lines.map((l) => [l.kind, l.description]).sort(), [
        ['labour', ''],
        ['parts', ''],
        ['return-shipping', 'SF Express'],
      ])
    })

    test('the e-mail names such a line by its kind in the language it is read in', async () => {
      const data = await emailDataOf(world, claimId, 'quote.sent')
      const ctx = { publicUrl: 'https://service.example', claimId }
      const zh = renderEmail('quote.sent', 'zh', data, ctx).text
      assert.ok(zh.includes('配件') && zh.includes('人工') && zh.includes('SF Express'), zh)
      assert.doesNotMatch(zh, /\b(parts|labour)\b/)
      const en = renderEmail('quote.sent', 'en', data, ctx).text
      assert.ok(en.includes('parts (customer)') && en.includes('labour (customer)'), en)
      assert.doesNotMatch(en, /配件|人工/)
    })

    test('the printed quote does so in the customer’s language', {
      skip: findCjkFont() === null && 'no CJK font installed',
    }, async () => {
      const payment = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claimId}/payment`,
        headers: world.customer.headers,
      })
      assert.equal(payment.statusCode, 200, payment.body)
      const { pdfUrl } = payment.json() as { pdfUrl: string }
      const pdf = await world.app.inject({ method: 'GET', url: pdfUrl, headers: world.customer.headers })
      assert.equal(pdf.statusCode, 200)
      const text = extractPdfText(pdf.rawPayload)
      assert.ok(text.includes('配件') && text.includes('人工'), text)
      assert.doesNotMatch(text, /\b(parts|labour)\b/)
    })

    test('a description past 500 characters is refused, naming the line', async () => {
      const refused = await tryAct(world, world.staff, claimId, 'send-quote', {
        lines: [{ kind: 'parts', description: 'x'.repeat(501), quantity: 1, unitPriceMinor: 100 }],
      })
      assert.equal(refused.statusCode, 400, refused.body)
      assert.match(refused.body, /lines\.0\.description|lines\[0\]\.description/)
    })
  })
}
