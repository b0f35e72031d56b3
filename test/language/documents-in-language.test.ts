import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { explainDecision } from '../../src/claims/make-decision.ts'
import { EXCLUSION_CODES_BEYOND_FINDINGS, FINDINGS } from '../../src/contracts/vocabulary.ts'
import { findCjkFont } from '../../src/files/documents/pdf-document.ts'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import { renderQuotePdf } from '../../src/files/documents/render-quote-pdf.ts'
import { renderRepairOrderPdf } from '../../src/files/documents/render-repair-order-pdf.ts'
import { EMAIL_TEMPLATE_IDS, type EmailTemplateId } from '../../src/notify/domain/email-template-data.ts'
import { renderEmail } from '../../src/notify/domain/render-email.ts'
import { loadPolicyLibrary } from '../../src/policies/load-policies.ts'
import { buildCase, inspectedFinding } from '../../src/policies/policy-test-support.ts'

/**
 * Every e-mail template and both printed documents, rendered in English and in Chinese from
 * the data the system really writes (decisions from the shipped policies, party and cost
 * codes, stored package items). The Chinese must hold no English word outside the values a
 * reader expects as they are (names, serials, claim and RMA numbers, addresses, URLs,
 * amounts); neither language may show a code.
 */
const library = loadPolicyLibrary()
const retailerLiquid = library.decide(
  buildCase('retailer', { inspection: inspectedFinding('liquid-damage'), claimedOn: '2025-02-01' }),
)
const istLiquid = library.decide(buildCase('ist', { inspection: inspectedFinding('liquid-damage') }))
const covered = library.decide(buildCase('player-one'))

// Values a reader sees as they are, in any language.
/** A policy's note for the return parcel, in its own (English) words. */
const PARCEL_NOTE =
  'Please include a note inside the return package by including the following details: your order number'

const AS_IS = [
  'C-2026-0042',
  'RMA-2026-000123',
  'Q-2026-0042',
  'IST7X0042',
  'Ares-C PRO',
  'Shenzhen Xingyun Distribution Co.',
  'Northstar Online Store',
  'Li Wei',
  'SF Express',
  'SF1234567890',
  'Aftercare',
  'USB 3.0',
  'USB',
  'PDF',
  // A brand name: the policy's title itself reaches a Chinese reader in the policy's Chinese.
  'Player One Astronomy',
  'https://service.example.com/claims/c-42#repair-order',
  'https://service.example.com/claims/c-42#quote',
  'https://service.example.com/claims/c-42',
  'https://service.example.com/claims/C-1001#quote',
  'https://service.example.com/claims/C-1001',
  'https://service.example.com/sign-in?token=abc',
  'https://service.example.com/sign-in?next=%2Fmy',
  'https://service.example.com/staff/reliability?model=model-ares-c-pro&batch=B3',
  'B3',
  'https://track.example.com/SF1234567890',
]

const CODES = [
  /[a-z0-9-]+#[a-z0-9-]+/,
  /\b[a-z0-9-]+@\d/,
  /@\d\b/,
  ...[...FINDINGS, ...EXCLUSION_CODES_BEYOND_FINDINGS]
    .filter((code) => code.includes('-'))
    .map((code) => new RegExp(`\\b${code}\\b`)),
  /\b(inbound-shipping|return-shipping|paid-repair|remote-fix|mail-in|as-agreed|main-accessory)\b/,
]

/** Links, also where a document wraps one over two lines. */
const withoutLinks = (text: string) =>
  text
    .replace(/https?:\/\/\S*/g, ' ')
    .replace(/\S*\/claims\/\S*/g, ' ')
    .replace(/\S*example\.com\S*/g, ' ')

function englishWordsLeft(text: string): string[] {
  let rest = withoutLinks(text)
  for (const value of [...AS_IS].sort((a, b) => b.length - a.length)) rest = rest.replaceAll(value, ' ')
  return rest.match(/[A-Za-z]{2,}/g) ?? []
}

function assertReadable(text: string, language: 'en' | 'zh', what: string) {
  for (const code of CODES)
    assert.doesNotMatch(withoutLinks(text), code, `${what} (${language}) shows a code`)
  if (language === 'zh') assert.deepEqual(englishWordsLeft(text), [], `${what} (zh) has English words`)
}

const emailData: Record<EmailTemplateId, Record<string, unknown>> = {
  'claim.opened': {
    claimNumber: 'C-2026-0042',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    recipientName: 'Li Wei',
  },
  'info.requested': { claimNumber: 'C-2026-0042', request: '请拍一张序列号标签的照片' },
  'purchase-proof.accepted': { claimNumber: 'C-2026-0042' },
  'purchase-proof.refused': { claimNumber: 'C-2026-0042', reason: '发票上的序列号与设备不符' },
  'rma.authorized': {
    claimNumber: 'C-2026-0042',
    rmaNumber: 'RMA-2026-000123',
    shipTo: 'Shenzhen Xingyun Distribution Co.',
    itemsToInclude: [
      'Camera body',
      'USB 3.0 cable',
      'Dust cap',
      'Printed repair order (customer name, return address, serial number, fault description)',
      PARCEL_NOTE,
    ],
    itemTranslations: { [PARCEL_NOTE]: { zh: '请在退货包裹内附上一张便条，写明您的订单号' } },
    freightPayer: 'vendor',
  },
  'rma.readdressed': {
    claimNumber: 'C-2026-0042',
    rmaNumber: 'RMA-2026-000123',
    shipTo: 'Shenzhen Xingyun Distribution Co.',
    previousShipTo: 'Northstar Online Store',
    reason: 'dealer-deactivated',
    servedInsteadOf: 'Northstar Online Store',
  },
  'pickup.scheduled': { claimNumber: 'C-2026-0042', pickupDate: '2026-03-04', carrier: 'SF Express' },
  'unit.received': {
    claimNumber: 'C-2026-0042',
    receivedOn: '2026-03-05T09:30:00.000Z',
    timeZone: 'Asia/Shanghai',
    rmaNumber: 'RMA-2026-000123',
  },
  'decision.made': {
    claimNumber: 'C-2026-0042',
    covered: retailerLiquid.covered,
    explanation: explainDecision(retailerLiquid),
    remedies: retailerLiquid.remedies,
  },
  'quote.sent': {
    claimNumber: 'C-2026-0042',
    quoteNumber: 'Q-2026-0042',
    currency: 'CNY',
    lines: [
      { description: '主板', quantity: 1, unitPriceMinor: 12000, payer: 'customer' },
      { description: '人工', quantity: 2, unitPriceMinor: 2550, payer: 'customer' },
    ],
    totalCustomerMinor: 17100,
    validUntil: '2026-04-01',
  },
  'quote.last-day-near': {
    claimNumber: 'C-2026-0042',
    quoteNumber: 'C-2026-0042-Q',
    currency: 'CNY',
    totalCustomerMinor: 17100,
    validUntil: '2026-04-01',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
  },
  'payment.recorded': { claimNumber: 'C-2026-0042', amountMinor: 17100, currency: 'CNY' },
  'remote.resolved': {
    claimNumber: 'C-2026-0042',
    fix: 'spare-part',
    note: '我们会寄出新的电源线，请更换后再试。',
  },
  'forwarded.to-maker': { claimNumber: 'C-2026-0042', makerName: 'Northstar Online Store' },
  'return.shipped': {
    claimNumber: 'C-2026-0042',
    carrier: 'SF Express',
    trackingNumber: 'SF1234567890',
    trackingUrl: 'https://track.example.com/SF1234567890',
  },
  'claim.closed': { claimNumber: 'C-2026-0042', outcome: 'returned-unrepaired' },
  'message.posted': { claimNumber: 'C-2026-0042', authorName: 'Li Wei', excerpt: '有进展吗？' },
  'dealer.claim-opened': {
    claimNumber: 'C-2026-0042',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    recipientName: 'Li Wei',
    problem: '使用十分钟后没有图像',
  },
  'dealer.rma-authorized': {
    claimNumber: 'C-2026-0042',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    recipientName: 'Li Wei',
    rmaNumber: 'RMA-2026-000123',
    shipTo: 'Shenzhen Xingyun Distribution Co.',
    freightPayer: 'customer',
  },
  'dealer.message-posted': {
    claimNumber: 'C-2026-0042',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    authorName: 'Li Wei',
    authorSide: 'service',
    excerpt: '有进展吗？',
  },
  'dealer.claim-decided': {
    claimNumber: 'C-2026-0042',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    recipientName: 'Li Wei',
    handedOver: true,
    covered: covered.covered,
    remedies: covered.remedies,
    explanation: explainDecision(covered),
    payers: [
      { cost: 'parts', payer: covered.payers.parts ?? 'vendor' },
      { cost: 'return-shipping', payer: covered.payers['return-shipping'] ?? 'vendor' },
    ],
  },
  'dealer.claim-handed-back': {
    claimNumber: 'C-2026-0042',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    handler: 'manufacturer',
  },
  'dealer.claim-moved': {
    claimNumber: 'C-2026-0042',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    serves: false,
  },
  'sla.warning': {
    claimNumber: 'C-2026-0042',
    clock: 'verify',
    dueAt: '2026-03-05T21:30:00.000Z',
    timeZone: 'America/New_York',
  },
  // Queued before messages carried the claim's zone: its time is UTC, named in words.
  'sla.breached': { claimNumber: 'C-2026-0042', clock: 'return', dueAt: '2026-03-09T17:00:00.000Z' },
  'auth.sign-in-link': { link: 'https://service.example.com/sign-in?token=abc' },
  'unit.offered': {
    recipientName: 'Li Wei',
    sellerName: 'Northstar Online Store',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    link: 'https://service.example.com/sign-in?next=%2Fmy',
  },
  'unit.offer-withdrawn': {
    recipientName: 'Li Wei',
    offerKind: 'second-hand',
    offeredBy: 'Li Wei',
    offeredOn: '2026-03-02',
    sellerName: 'Northstar Online Store',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
  },
  'dealer-sale.refused': {
    claimNumber: 'C-2026-0042',
    recipientName: 'Li Wei',
    dealerName: 'Shenzhen Xingyun Distribution Co.',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    sellerName: 'Northstar Online Store',
  },
  'unit.transferred-away': {
    recipientName: 'Li Wei',
    sellerName: 'Northstar Online Store',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    transferredOn: '2026-03-04',
  },
  'unit.transferred': {
    recipientName: 'Li Wei',
    sellerName: 'Northstar Online Store',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    transferredOn: '2026-03-04',
    link: 'https://service.example.com/sign-in?next=%2Fmy',
  },
  'unit.proof-accepted': {
    recipientName: 'Li Wei',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    link: 'https://service.example.com/sign-in?next=%2Fmy',
  },
  'unit.proof-refused': {
    recipientName: 'Li Wei',
    model: 'Ares-C PRO',
    serial: 'IST7X0042',
    reason: '发票上的序列号与此设备不符',
    link: 'https://service.example.com/sign-in?next=%2Fmy',
  },
  'recovery.answered': {
    recipientName: 'Li Wei',
    recoveryId: 'rec-1',
    creditorName: 'Shenzhen Xingyun Distribution Co.',
    debtorName: 'Northstar Online Store',
    period: '2026-02',
    currency: 'CNY',
    answer: 'partly-accepted',
    claimedMinor: 24000,
    acceptedMinor: 16000,
    reasonCodes: ['over-standard-time', 'part-not-returned'],
  },
  'recovery.paid': {
    recipientName: 'Li Wei',
    recoveryId: 'rec-1',
    creditorName: 'Shenzhen Xingyun Distribution Co.',
    debtorName: 'Northstar Online Store',
    period: '2026-02',
    currency: 'CNY',
    amountMinor: 16000,
    paidOn: '2026-03-10',
    reference: '20260310-0042',
  },
  'recovery.submitted': {
    recipientName: 'Li Wei',
    recoveryId: 'rec-1',
    creditorName: 'Shenzhen Xingyun Distribution Co.',
    debtorName: 'Northstar Online Store',
    period: '2026-02',
    currency: 'CNY',
    claimedMinor: 24000,
    lineCount: 2,
    late: true,
  },
  'reliability.warning': {
    modelId: 'model-ares-c-pro',
    modelName: 'Ares-C PRO',
    scope: 'batch',
    batch: 'B3',
    month: '2026-02',
    level: 'critical',
    observed: 14,
    expected: 5.4,
    pValue: 0.0004,
    reference: 'fitted curve of the other batches',
  },
}

const ctx = { publicUrl: 'https://service.example.com/', claimId: 'c-42' }

describe('every e-mail in the recipient’s language, without codes', () => {
  for (const template of EMAIL_TEMPLATE_IDS) {
    for (const language of ['en', 'zh'] as const) {
      it(`${template} (${language})`, () => {
        const mail = renderEmail(template, language, emailData[template], ctx)
        assertReadable(`${mail.subject}\n${mail.text}`, language, template)
        if (language === 'zh') assert.match(mail.text, /[\u4e00-\u9fff]/)
      })
    }
  }

  it('the checker finds an English word and a code it is shown', () => {
    assert.deepEqual(englishWordsLeft('原因：Not covered'), ['Not', 'covered'])
    assert.throws(() => assertReadable('不属于保修范围 (ist#accidental-or-human)', 'zh', 'probe'))
    assert.throws(() => assertReadable('policy player-one@1', 'en', 'probe'))
  })

  it('the decision e-mail promises a cost estimate only when the policy offers a paid repair', () => {
    assert.equal(retailerLiquid.covered, false)
    assert.ok(!retailerLiquid.remedies.includes('paid-repair'), 'the retailer offers no paid repair')
    for (const [decision, promises] of [
      [retailerLiquid, false],
      [istLiquid, istLiquid.remedies.includes('paid-repair')],
    ] as const) {
      for (const language of ['en', 'zh'] as const) {
        const mail = renderEmail(
          'decision.made',
          language,
          {
            claimNumber: 'C-2026-0042',
            covered: decision.covered,
            explanation: explainDecision(decision),
            remedies: decision.remedies,
          },
          ctx,
        )
        const estimate = language === 'zh' ? /报价/ : /estimate/i
        assert.equal(estimate.test(mail.text), promises, `${decision.policy} ${language}: ${mail.text}`)
        assertReadable(mail.text, language, `decision ${decision.policy}`)
      }
    }
    const mail = renderEmail(
      'decision.made',
      'zh',
      {
        claimNumber: 'C-2026-0042',
        covered: covered.covered,
        explanation: explainDecision(covered),
        remedies: covered.remedies,
      },
      ctx,
    )
    assert.equal(covered.covered, true)
    assert.match(mail.text, /免费提供/)
    assertReadable(mail.text, 'zh', 'covered decision')
  })

  it('the dealer told of a decision reads its remedies and payers in words, and is asked for an estimate only with a paid repair', () => {
    for (const decision of [retailerLiquid, istLiquid, covered]) {
      for (const language of ['en', 'zh'] as const) {
        const mail = renderEmail(
          'dealer.claim-decided',
          language,
          {
            claimNumber: 'C-2026-0042',
            model: 'Ares-C PRO',
            serial: 'IST7X0042',
            handedOver: false,
            covered: decision.covered,
            remedies: decision.remedies,
            explanation: explainDecision(decision),
            payers: (['parts', 'labour', 'return-shipping'] as const).flatMap((cost) => {
              const payer = decision.payers[cost]
              return payer ? [{ cost, payer }] : []
            }),
          },
          ctx,
        )
        assertReadable(`${mail.subject}\n${mail.text}`, language, `dealer decision ${decision.policy}`)
        const estimate = language === 'zh' ? /报价/ : /estimate/i
        const asked = !decision.covered && decision.remedies.includes('paid-repair')
        assert.equal(estimate.test(mail.text), asked, `${decision.policy} ${language}: ${mail.text}`)
      }
    }
  })
})

describe('both printed documents in the reader’s language, without codes', () => {
  const cjk = findCjkFont() !== null
  /** A seller's letterhead, which prints the day the document was issued. */
  const SELLER = {
    name: 'Shenzhen Xingyun Distribution Co.',
    addressLines: ['深圳市福田区 1 号'],
    contactLines: ['+86 755 8888 0000'],
  }
  for (const language of ['en', 'zh'] as const) {
    it(`repair order (${language})`, {
      skip: language === 'zh' && !cjk && 'no CJK font installed',
    }, async () => {
      const pdf = await renderRepairOrderPdf(
        {
          rmaNumber: 'RMA-2026-000123',
          claimNumber: 'C-2026-0042',
          customerName: 'Li Wei',
          returnAddress: ['Li Wei', '深圳市南山区科技园 88 号'],
          serial: 'IST7X0042',
          model: 'Ares-C PRO',
          faultDescription: '开机后无法连接电脑',
          shipTo: ['Shenzhen Xingyun Distribution Co.', '深圳市福田区 1 号'],
          itemsToInclude: ['Camera body', 'USB 3.0 cable', 'Dust cap', PARCEL_NOTE],
          itemTranslations: { [PARCEL_NOTE]: { zh: '请在退货包裹内附上一张便条，写明您的订单号' } },
          freightPayer: 'vendor',
          policyLabel: 'Player One Astronomy servicing and warranty',
          policyLabelIn: { zh: 'Player One Astronomy 维修与保修政策' },
          qrUrl: 'https://service.example.com/claims/C-1001',
          locale: language,
          letterhead: SELLER,
          issuedOn: '2026-03-02',
        },
        { compress: false },
      )
      const text = extractPdfText(pdf)
      assertReadable(text, language, 'repair order')
      assert.ok(text.includes(language === 'zh' ? '开具日期：2026年3月2日' : 'Issued: 2 March 2026'), text)
      if (language === 'zh')
        assert.ok(
          text.includes('相机机身') && text.includes('销售方') && text.includes('维修与保修政策'),
          text,
        )
      else assert.ok(text.includes('servicing and warranty'), text)
    })
    it(`quote (${language})`, { skip: language === 'zh' && !cjk && 'no CJK font installed' }, async () => {
      const pdf = await renderQuotePdf(
        {
          quoteNumber: 'Q-2026-0042',
          rmaNumber: 'RMA-2026-000123',
          customerName: 'Li Wei',
          serial: 'IST7X0042',
          model: 'Ares-C PRO',
          lines: [
            { kind: 'parts', description: '主板', quantity: 1, unitPriceMinor: 12000, payer: 'customer' },
            {
              kind: 'return-shipping',
              description: '回寄快递',
              quantity: 1,
              unitPriceMinor: 900,
              payer: 'vendor',
            },
          ],
          currency: 'CNY',
          totalCustomerMinor: 12000,
          validUntil: '2026-04-01',
          claimUrl: 'https://service.example.com/claims/C-1001#quote',
          locale: language,
          letterhead: SELLER,
          issuedOn: '2026-03-02',
        },
        { compress: false },
      )
      const text = extractPdfText(pdf)
      assertReadable(text, language, 'quote')
      assert.ok(
        text.includes(language === 'zh' ? '有效期至：2026年4月1日' : 'Valid until: 1 April 2026'),
        text,
      )
      assert.ok(text.includes(language === 'zh' ? '开具日期：2026年3月2日' : 'Issued: 2 March 2026'), text)
      if (language === 'zh') assert.ok(text.includes('寄回客户运费') && text.includes('客户'), text)
    })
  }
})

describe('a quote line typed without a description, named by its kind in the reader’s language', () => {
  const lines = [
    { kind: 'parts', quantity: 1, unitPriceMinor: 12000, payer: 'customer' },
    { kind: 'labour', quantity: 2, unitPriceMinor: 2550, payer: 'customer' },
    { kind: 'return-shipping', description: 'SF Express', quantity: 1, unitPriceMinor: 900, payer: 'vendor' },
  ] as const
  const words = { en: ['parts', 'labour'], zh: ['配件', '人工'] }

  for (const language of ['en', 'zh'] as const) {
    it(`in the quote e-mail (${language})`, () => {
      const mail = renderEmail('quote.sent', language, { ...emailData['quote.sent'], lines }, ctx)
      assertReadable(mail.text, language, 'quote e-mail without descriptions')
      for (const word of words[language]) assert.ok(mail.text.includes(word), `${word} in ${mail.text}`)
      assert.ok(mail.text.includes('SF Express'), 'a description typed is shown as typed')
    })

    it(`in the printed quote (${language})`, {
      skip: language === 'zh' && findCjkFont() === null && 'no CJK font installed',
    }, async () => {
      const pdf = await renderQuotePdf(
        {
          quoteNumber: 'Q-2026-0042',
          rmaNumber: 'RMA-2026-000123',
          customerName: 'Li Wei',
          serial: 'IST7X0042',
          model: 'Ares-C PRO',
          lines: lines.map((line) => ({ description: '', ...line })),
          currency: 'CNY',
          totalCustomerMinor: 17100,
          validUntil: '2026-04-01',
          claimUrl: 'https://service.example.com/claims/C-1001#quote',
          locale: language,
          issuedOn: '2026-03-02',
        },
        { compress: false },
      )
      const text = extractPdfText(pdf)
      assertReadable(text, language, 'printed quote without descriptions')
      for (const word of words[language]) assert.ok(text.includes(word), `${word} in ${text}`)
      assert.doesNotMatch(text, /^\s*\(/m, 'no empty description before the kind')
    })
  }
})
