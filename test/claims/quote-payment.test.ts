import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import { updateSellerSettings } from '../../src/setup/set-up-seller.ts'
import { act, type ClaimsWorld, ORG, openClaimsWorld, seedClaimAwaitingQuote } from './claim-factories.ts'

interface PaymentView {
  totalMinor: number
  validUntil: string
  issuedOn: string
  pdfUrl: string
  method: string
  reference: string
  paymentLink: string | null
  instructions: string[]
}

for (const engine of testEngines()) {
  describe(`${engine}: a quote the customer can pay`, () => {
    let world: ClaimsWorld
    let claimId: string
    let number: string
    before(async () => {
      world = await openClaimsWorld(engine)
      const decided = await seedClaimAwaitingQuote(world)
      const quoted = await act(world, world.staff, decided.id, 'send-quote', {
        lines: [{ kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 50000 }],
      })
      claimId = quoted.id
      number = (quoted as unknown as { number: string }).number
      await updateSellerSettings(world.ctx, ORG.ist, {
        bank: { bankName: 'Bank of Beijing', accountName: 'IST Technology', accountNumber: '6222 0000 1111' },
        quoteValidityDays: 10,
      })
    })
    after(() => world.close())

    const payment = (headers: Record<string, string>, query = '') =>
      world.app.inject({ method: 'GET', url: `/api/v1/claims/${claimId}/payment${query}`, headers })

    test('shows the total, validity, PDF link and bank details with the claim number as reference', async () => {
      const response = await payment(world.customer.headers)
      assert.equal(response.statusCode, 200, response.body)
      const view = response.json() as PaymentView
      assert.equal(view.totalMinor, 50000)
      assert.equal(view.method, 'bank-transfer')
      assert.equal(view.reference, number)
      const days = (Date.parse(view.validUntil) - Date.parse(view.issuedOn)) / 86_400_000
      assert.equal(days, 10)
      assert.ok(view.instructions.includes('Account number: 6222 0000 1111'))
      assert.ok(view.instructions.includes(`Payment reference: ${number}`))

      const pdf = await world.app.inject({ method: 'GET', url: view.pdfUrl, headers: world.customer.headers })
      assert.equal(pdf.statusCode, 200)
      const text = extractPdfText(pdf.rawPayload)
      for (const expected of [
        'How to pay',
        'Account number: 6222 0000 1111',
        `Payment reference: ${number}`,
        'Terms',
      ])
        assert.ok(text.includes(expected), `the quote PDF shows "${expected}"`)
      assert.ok(text.includes(`Valid until: ${view.validUntil}`))
      assert.ok(text.includes('Beijing IST Technology Development Co., Ltd.'), 'the letterhead')
    })

    test('a payment link replaces the bank details once configured; Chinese on request', async () => {
      await updateSellerSettings(world.ctx, ORG.ist, { paymentLink: 'https://pay.example/{claim}' })
      const view = (await payment(world.customer.headers, '?locale=zh')).json() as PaymentView
      assert.equal(view.method, 'payment-link')
      assert.equal(view.paymentLink, `https://pay.example/${encodeURIComponent(number)}`)
      assert.ok(view.instructions.some((line) => line.startsWith('在线付款')))
    })

    test('nobody else sees it', async () => {
      for (const party of [world.otherCustomer, world.dealer])
        assert.equal((await payment(party.headers)).statusCode, 404)
    })
  })
}
