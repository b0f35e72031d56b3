import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { termsIn } from '../../src/claims/claim-documents.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import { renderEmail } from '../../src/notify/domain/render-email.ts'
import { updateSellerSettings } from '../../src/setup/set-up-seller.ts'
import { humanDate } from '../../src/shared/human-date.ts'
import { multipartBody } from '../../src/shared/multipart-body.test-support.ts'
import { nearLocalMidnight } from '../../src/shared/near-local-midnight.test-support.ts'
import {
  act,
  addDays,
  type ClaimsWorld,
  emailDataOf,
  eventTypes,
  ORG,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedClaimAwaitingQuote,
  seedIstExpiredUnit,
  TODAY,
  tryAct,
} from './claim-factories.ts'

interface PaymentView {
  totalMinor: number
  paidMinor: number
  outstandingMinor: number
  validUntil: string
  issuedOn: string
  pdfUrl: string
  method: string
  reference: string
  paymentLink: string | null
  instructions: string[]
  supportHours: string
  proofs: { fileId: string; name: string; url: string }[]
  payments: {
    amountMinor: number
    paidOn: string | null
    reference: string | null
    note: string | null
    proofFileId: string | null
    recordedAt: string
  }[]
}

/** The smallest PNG there is: one transparent pixel. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)

function multipart(
  files: { filename: string; contentType: string; content: Buffer }[],
  fields: Record<string, string> = {},
) {
  return multipartBody([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    ...files.map((file) => ({
      name: 'files',
      filename: file.filename,
      type: file.contentType,
      data: file.content,
    })),
  ])
}

for (const engine of testEngines()) {
  describe(`${engine}: a quote the customer can pay`, () => {
    let world: ClaimsWorld
    let claimId: string
    let number: string
    before(async () => {
      world = await openClaimsWorld(engine)
      // Before the quote: it is sent with the seller's validity and payment details.
      await updateSellerSettings(world.ctx, ORG.ist, {
        bank: { bankName: 'Bank of Beijing', accountName: 'IST Technology', accountNumber: '6222 0000 1111' },
        quoteValidityDays: 10,
      })
      const decided = await seedClaimAwaitingQuote(world)
      const quoted = await act(world, world.staff, decided.id, 'send-quote', {
        lines: [{ kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 50000 }],
      })
      claimId = quoted.id
      number = (quoted as unknown as { number: string }).number
    })
    after(() => world.close())

    const payment = (headers: Record<string, string>, query = '') =>
      world.app.inject({ method: 'GET', url: `/api/v1/claims/${claimId}/payment${query}`, headers })

    /** Uploads files to the holding area as the party; answers the response. */
    const upload = async (
      party: Party,
      files = [{ filename: 'transfer.png', contentType: 'image/png', content: PNG }],
      kind = 'payment-proof',
    ) => {
      const body = multipart(files, { kind })
      return world.app.inject({
        method: 'POST',
        url: '/api/v1/files',
        headers: { ...party.headers, 'content-type': body.contentType },
        payload: body.payload,
      })
    }
    const heldProof = async (party: Party) => {
      const response = await upload(party)
      assert.equal(response.statusCode, 201, response.body)
      return (response.json() as { items: { id: string }[] }).items.map((item) => item.id)
    }

    test('the quote prints the seller’s terms in the customer’s language, Chinese where the seller gives it', async () => {
      const defaults = await updateSellerSettings(world.ctx, ORG.ist, {})
      assert.ok(defaults.termsZh, 'the default terms come in Chinese too')
      const own = await updateSellerSettings(world.ctx, ORG.ist, {
        terms: 'Repairs carry 180 days of warranty.',
      })
      assert.equal(own.termsZh, null, 'new English terms leave no stale Chinese ones behind')
      const both = await updateSellerSettings(world.ctx, ORG.ist, {
        terms: 'Repairs carry 180 days of warranty.',
        termsZh: '维修享有 180 天保修。',
      })
      assert.equal(both.termsZh, '维修享有 180 天保修。')
      assert.equal(termsIn(both, 'zh'), '维修享有 180 天保修。')
      assert.equal(
        termsIn(own, 'zh'),
        'Repairs carry 180 days of warranty.',
        'no Chinese terms: the seller’s own',
      )
      // The PDF a customer downloads prints them (the English one is read back here).
      const view = (await payment(world.customer.headers)).json() as PaymentView
      const pdf = await world.app.inject({ method: 'GET', url: view.pdfUrl, headers: world.customer.headers })
      assert.ok(extractPdfText(pdf.rawPayload).includes('Repairs carry 180 days of warranty.'))
    })

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
      assert.deepEqual(view.proofs, [])

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
      assert.ok(
        text.includes(`Valid until: ${humanDate(view.validUntil, 'en')}`),
        'the PDF and the page show one date',
      )
      assert.ok(text.includes(`Issued: ${humanDate(view.issuedOn, 'en')}`), text)
      assert.ok(text.includes('Beijing IST Technology Development Co., Ltd.'), 'the letterhead')
    })

    test('the quote e-mail carries the total, validity, payment instructions and the links, in both languages', async () => {
      const view = (await payment(world.customer.headers)).json() as PaymentView
      const data = await emailDataOf(world, claimId, 'quote.sent')
      assert.equal(data.timeZone, 'Asia/Shanghai', "the zone of the claim's policy travels with the message")
      const ctx = { publicUrl: 'https://service.example', claimId }
      const en = renderEmail('quote.sent', 'en', data, ctx)
      assert.ok(
        en.text.includes(`This estimate is valid until ${humanDate(view.validUntil, 'en')}.`),
        en.text,
      )
      assert.ok(en.text.includes('Account number: 6222 0000 1111'))
      assert.ok(en.text.includes(`Payment reference: ${number}`))
      assert.ok(en.text.includes(`https://service.example${view.pdfUrl}`), 'links the quote PDF')
      assert.ok(en.text.includes(`https://service.example/claims/${claimId}#quote`), 'links the claim page')
      const zh = renderEmail('quote.sent', 'zh', data, ctx)
      assert.ok(zh.text.includes('账号：6222 0000 1111'), zh.text)
      assert.ok(zh.text.includes(`付款备注：${number}`))
      assert.ok(zh.text.includes(`本报价有效期至${humanDate(view.validUntil, 'zh')}。`), zh.text)
    })

    test('a payment link replaces the bank details once configured; Chinese on request', async () => {
      await updateSellerSettings(world.ctx, ORG.ist, { paymentLink: 'https://pay.example/{claim}' })
      const view = (await payment(world.customer.headers, '?locale=zh')).json() as PaymentView
      assert.equal(view.method, 'payment-link')
      assert.equal(view.paymentLink, `https://pay.example/${encodeURIComponent(number)}`)
      assert.ok(view.instructions.some((line) => line.startsWith('在线付款')))
      // The default hours are no seller's words: they read in the language asked for too.
      assert.equal(view.supportHours, '周一至周五 09:00–18:00')
      assert.equal(
        ((await payment(world.customer.headers)).json() as PaymentView).supportHours,
        'Mon–Fri 09:00–18:00',
      )
    })

    test('no proof before the quote is accepted, and the held file stays unused', async () => {
      const fileIds = await heldProof(world.customer)
      const refused = await tryAct(world, world.customer, claimId, 'submit-payment-proof', { fileIds })
      assert.equal(refused.statusCode, 409, refused.body)
      const row = await world.database.db
        .selectFrom('files')
        .select('claim_id')
        .where('id', '=', fileIds[0] as string)
        .executeTakeFirstOrThrow()
      assert.equal(row.claim_id, null, 'a refused step moves no file')
    })

    test('the customer sends a proof; bad files and bad ids are refused naming the field', async () => {
      await act(world, world.customer, claimId, 'accept-quote', {
        quoteId: ((await payment(world.customer.headers)).json() as PaymentView & { quoteId: string })
          .quoteId,
      })
      const notAnImage = await upload(world.customer, [
        {
          filename: 'transfer.png',
          contentType: 'image/png',
          content: Buffer.from('MZ not an image at all'),
        },
      ])
      assert.equal(notAnImage.statusCode, 415, notAnImage.body)
      assert.equal(notAnImage.json().error.field, 'body.files')
      const script = await upload(world.customer, [
        { filename: 'transfer.png.exe', contentType: 'image/png', content: PNG },
      ])
      assert.ok([400, 415].includes(script.statusCode), script.body)
      assert.equal(script.json().error.field, 'body.files')

      const empty = await tryAct(world, world.customer, claimId, 'submit-payment-proof', { fileIds: [] })
      assert.equal(empty.statusCode, 400, empty.body)
      assert.equal(empty.json().error.field, 'body.fileIds')
      const othersFile = await heldProof(world.otherCustomer)
      const notMine = await tryAct(world, world.customer, claimId, 'submit-payment-proof', {
        fileIds: othersFile,
      })
      assert.equal(notMine.statusCode, 400, notMine.body)
      assert.equal(notMine.json().error.field, 'body.fileIds')
      for (const outsider of [world.otherCustomer, world.otherDealer]) {
        const response = await tryAct(world, outsider, claimId, 'submit-payment-proof', {
          fileIds: await heldProof(outsider),
        })
        assert.equal(response.statusCode, 404, response.body)
      }

      const fileIds = await heldProof(world.customer)
      const sent = await act(world, world.customer, claimId, 'submit-payment-proof', { fileIds })
      assert.equal(sent.state, 'quote-accepted')
      const view = (await payment(world.staff.headers)).json() as PaymentView
      assert.deepEqual(
        view.proofs.map((p) => p.fileId),
        fileIds,
      )
      assert.ok((await eventTypes(world, claimId)).includes('payment.proof-submitted'))
      const download = await world.app.inject({
        method: 'GET',
        url: view.proofs[0]?.url ?? '',
        headers: world.staff.headers,
      })
      assert.equal(download.statusCode, 200)
      assert.equal(download.headers['content-type'], 'image/png')
      const again = await tryAct(world, world.customer, claimId, 'submit-payment-proof', { fileIds })
      assert.equal(again.statusCode, 400, 'a file joins one claim once')
    })

    test('a proof cannot be slipped in as loose evidence', async () => {
      const body = multipart([{ filename: 'transfer.png', contentType: 'image/png', content: PNG }], {
        kind: 'payment-proof',
      })
      const response = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/files`,
        headers: { ...world.customer.headers, 'content-type': body.contentType },
        payload: body.payload,
      })
      assert.equal(response.statusCode, 400, response.body)
      assert.equal(response.json().error.field, 'body.kind')
    })

    test('a held proof of payment joins no claim through a message or an intake, only through its step', async () => {
      const proofsBefore = ((await payment(world.staff.headers)).json() as PaymentView).proofs.length
      const [fileId] = await heldProof(world.customer)
      const viaMessage = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/messages`,
        headers: world.customer.headers,
        payload: { body: 'Paid, see the slip.', fileIds: [fileId] },
      })
      assert.equal(viaMessage.statusCode, 400, viaMessage.body)
      assert.equal(viaMessage.json().error.field, 'body.fileIds')
      const viaIntake = await world.app.inject({
        method: 'POST',
        url: '/api/v1/claims',
        headers: world.customer.headers,
        payload: openClaimBody(await seedIstExpiredUnit(world), { files: [fileId as string] }),
      })
      assert.equal(viaIntake.statusCode, 400, viaIntake.body)
      assert.equal(viaIntake.json().error.field, 'body.files')
      const row = await world.database.db
        .selectFrom('files')
        .select(['claim_id', 'kind'])
        .where('id', '=', fileId as string)
        .executeTakeFirstOrThrow()
      assert.deepEqual(row, { claim_id: null, kind: 'payment-proof' }, 'the proof waits for its step')
      const view = (await payment(world.staff.headers)).json() as PaymentView
      assert.equal(view.proofs.length, proofsBefore, 'no proof appears that the step did not send')
    })

    test('staff record the payment against the proof; bad input is refused naming the field', async () => {
      const view = (await payment(world.staff.headers)).json() as PaymentView
      const proofFileId = view.proofs[0]?.fileId as string
      const cases: [Record<string, unknown>, string][] = [
        [{ amountMinor: 50000, paidOn: '2026-02-30' }, 'paidOn'],
        [{ amountMinor: 50000, paidOn: '2999-01-01' }, 'paidOn'],
        [{ amountMinor: 50000, proofFileId: crypto.randomUUID() }, 'proofFileId'],
        [{ amountMinor: 60000 }, 'amountMinor'],
        [{ amountMinor: -1 }, 'amountMinor'],
        [{ amountMinor: 50000, note: 'x'.repeat(4001) }, 'note'],
      ]
      for (const [body, field] of cases) {
        const response = await tryAct(world, world.staff, claimId, 'record-payment', body)
        assert.equal(response.statusCode, 400, `${JSON.stringify(body).slice(0, 80)}: ${response.body}`)
        // The schema's refusals and the step's own checks name the body's field alike.
        assert.equal(response.json().error.field, `body.${field}`, response.body)
      }
      const customerTries = await tryAct(world, world.customer, claimId, 'record-payment', { amountMinor: 1 })
      assert.equal(customerTries.statusCode, 403, 'the customer does not record their own payment')
      assert.equal(
        ((await payment(world.staff.headers)).json() as PaymentView).paidMinor,
        0,
        'nothing changed',
      )

      const paidOn = world.clock.now.toISOString().slice(0, 10)
      const recorded = await act(world, world.staff, claimId, 'record-payment', {
        amountMinor: 50000,
        paidOn,
        reference: 'BOB-20260120-7781',
        note: 'Matched the bank statement',
        proofFileId,
      })
      assert.equal(recorded.quote?.paidMinor, 50000)
      assert.ok(recorded.allowedActions.includes('start-repair'))
      assert.ok(!recorded.allowedActions.includes('submit-payment-proof'), 'nothing left to prove')
      const after = (await payment(world.customer.headers)).json() as PaymentView
      assert.equal(after.outstandingMinor, 0)
      assert.deepEqual(after.payments, [
        {
          amountMinor: 50000,
          currency: 'CNY',
          paidOn,
          reference: 'BOB-20260120-7781',
          note: 'Matched the bank statement',
          proofFileId,
          recordedAt: world.clock.now.toISOString(),
        },
      ])
      const events = (
        await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${claimId}/events`,
          headers: world.staff.headers,
        })
      ).json() as { items: { type: string; data: Record<string, unknown> }[] }
      const event = events.items.find((e) => e.type === 'payment.recorded')
      assert.equal(event?.data.proofFileId, proofFileId)
      assert.equal(event?.data.paidOn, paidOn)
    })

    test('the payment is the payer’s, the paid seller’s and staff’s: the dealer that sold the unit, not handling the claim, is refused it', async () => {
      // Sold through dealer 1, which sees the claim; the decision sends the service to IST.
      await world.database.db
        .updateTable('claims')
        .set({ dealer_org_id: ORG.starlight })
        .where('id', '=', claimId)
        .execute()
      const claim = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claimId}`,
        headers: world.dealer.headers,
      })
      assert.equal(claim.statusCode, 200, 'the selling dealer sees the claim')
      assert.notEqual(
        (claim.json() as { finalDecision?: { handler?: string } }).finalDecision?.handler,
        'dealer',
      )
      const expected: [string, Record<string, string>, number][] = [
        ['customer', world.customer.headers, 200],
        ['staff', world.staff.headers, 200],
        ['selling dealer', world.dealer.headers, 403],
        ['other dealer', world.otherDealer.headers, 404],
        ['other customer', world.otherCustomer.headers, 404],
        ['anonymous', {}, 401],
      ]
      for (const [who, headers, status] of expected) {
        for (const query of ['', '?locale=zh']) {
          const response = await payment(headers, query)
          assert.equal(response.statusCode, status, `${who}: ${response.body}`)
          if (status === 200) {
            const view = response.json() as PaymentView
            assert.equal(view.payments[0]?.reference, 'BOB-20260120-7781', who)
            continue
          }
          assert.doesNotMatch(response.body, /BOB-20260120-7781|50000|6222/, who)
        }
      }
      const refused = await payment(world.dealer.headers)
      assert.equal(refused.json().error.messageKey, 'claims.payment.not-handler')
      assert.match(refused.json().error.message, /payment/i)
      const inChinese = await payment({ ...world.dealer.headers, 'accept-language': 'zh-CN' })
      assert.match(inChinese.json().error.message, /付款/)
    })
  })
  describe(`${engine}: the day a payment is recorded on`, () => {
    let world: ClaimsWorld
    let claimId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      const decided = await seedClaimAwaitingQuote(world)
      const quoted = await act(world, world.staff, decided.id, 'send-quote', {
        lines: [{ kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 50000 }],
      })
      await act(world, world.customer, decided.id, 'accept-quote', { quoteId: quoted.quote?.id })
      claimId = decided.id
    })
    after(() => world.close())

    test('a payment recorded without its day is dated today in the zone of the claim’s policy (IST: Shanghai)', async () => {
      await fc.assert(
        fc.asyncProperty(
          nearLocalMidnight({ from: addDays(TODAY, 2), to: addDays(TODAY, 60), zones: ['Asia/Shanghai'] }),
          async ({ at, localDay }) => {
            world.clock.now = at
            await act(world, world.staff, claimId, 'record-payment', { amountMinor: 1 })
            const view = (
              await world.app.inject({
                method: 'GET',
                url: `/api/v1/claims/${claimId}/payment`,
                headers: world.staff.headers,
              })
            ).json() as PaymentView
            const last = view.payments.find(
              (p) => (p as { recordedAt?: string }).recordedAt === at.toISOString(),
            )
            assert.equal(last?.paidOn, localDay, at.toISOString())
          },
        ),
        { numRuns: 15 },
      )
    })
  })
}
