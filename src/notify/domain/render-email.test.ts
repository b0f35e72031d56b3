import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pages } from '../../contracts/pages.ts'
import { EMAIL_LOCALES, EMAIL_TEMPLATE_IDS, type EmailTemplateId } from './email-template-data.ts'
import { renderEmail } from './render-email.ts'

const ctx = { publicUrl: 'https://service.example.com/', claimId: 'c-42' }

/** One valid data set per template: named factories, so a new template fails here until it has one. */
const sampleData: Record<EmailTemplateId, Record<string, unknown>> = {
  'claim.opened': { claimNumber: 'C-1001', model: 'X7 Pro', serial: 'SN123', recipientName: 'Anna' },
  'info.requested': { claimNumber: 'C-1001', request: 'A photo of the serial label' },
  'purchase-proof.accepted': { claimNumber: 'C-1001' },
  'purchase-proof.refused': { claimNumber: 'C-1001', reason: 'The invoice names another serial number' },
  'rma.authorized': {
    claimNumber: 'C-1001',
    rmaNumber: 'RMA-2026-0007',
    shipTo: 'Service Centre\n12 Harbour Road\nShenzhen',
    itemsToInclude: ['Unit', 'Power adapter'],
    freightPayer: 'vendor',
  },
  'rma.readdressed': {
    claimNumber: 'C-1001',
    rmaNumber: 'RMA-2026-0007',
    shipTo: 'Service Centre, 12 Harbour Road, Shenzhen',
    previousShipTo: 'Northstar Telescopes, 3 Quay Street, Ningbo',
    reason: 'staff',
  },
  'pickup.scheduled': { claimNumber: 'C-1001', pickupDate: '2026-03-04', carrier: 'SF Express' },
  'unit.received': { claimNumber: 'C-1001', receivedOn: '2026-03-05T09:30:00.000Z', rmaNumber: 'RMA-1' },
  'decision.made': { claimNumber: 'C-1001', covered: false, explanation: 'water ingress (clause 2.7)' },
  'quote.sent': {
    claimNumber: 'C-1001',
    quoteNumber: 'Q-77',
    currency: 'EUR',
    lines: [
      { description: 'Main board', quantity: 1, unitPriceMinor: 12000 },
      { description: 'Labour', quantity: 2, unitPriceMinor: 2550, payer: 'customer' },
    ],
    totalCustomerMinor: 17100,
    validUntil: '2026-04-01',
  },
  'quote.last-day-near': {
    claimNumber: 'C-1001',
    quoteNumber: 'C-1001-Q',
    currency: 'JPY',
    totalCustomerMinor: 17100,
    validUntil: '2026-04-01',
    model: 'X7 Pro',
    serial: 'SN123',
  },
  'payment.recorded': { claimNumber: 'C-1001', amountMinor: 17100, currency: 'EUR' },
  'remote.resolved': { claimNumber: 'C-1001', fix: 'software-upgrade', note: 'Install firmware 2.1.' },
  'forwarded.to-maker': { claimNumber: 'C-1001', makerName: 'IST Technology' },
  'return.shipped': { claimNumber: 'C-1001', carrier: 'DHL', trackingNumber: 'JD0002' },
  'claim.closed': { claimNumber: 'C-1001' },
  'message.posted': { claimNumber: 'C-1001', authorName: 'Support', excerpt: 'Any update?' },
  'dealer.claim-opened': {
    claimNumber: 'C-1001',
    model: 'X7 Pro',
    serial: 'SN123',
    recipientName: 'Max',
    problem: 'No image after ten minutes',
  },
  'dealer.rma-authorized': {
    claimNumber: 'C-1001',
    model: 'X7 Pro',
    serial: 'SN123',
    rmaNumber: 'RMA-2026-0007',
    shipTo: 'Starlight Optics, Sternwartenstraße 12, 80331, München, Germany',
    freightPayer: 'customer',
  },
  'dealer.message-posted': {
    claimNumber: 'C-1001',
    serial: 'SN123',
    authorName: 'Anna',
    authorSide: 'customer',
    excerpt: 'Any update?',
  },
  'dealer.claim-decided': {
    claimNumber: 'C-1001',
    model: 'X7 Pro',
    serial: 'SN123',
    recipientName: 'Max',
    handedOver: true,
    covered: true,
    remedies: ['repair', 'replace'],
    explanation: { en: 'A manufacturing defect of the sensor board.', zh: '传感器板存在制造缺陷。' },
    payers: [
      { cost: 'parts', payer: 'vendor' },
      { cost: 'labour', payer: 'dealer' },
    ],
  },
  'dealer.claim-handed-back': { claimNumber: 'C-1001', serial: 'SN123', handler: 'manufacturer' },
  'dealer.claim-moved': { claimNumber: 'C-1001', serial: 'SN123', serves: true },
  'sla.warning': { claimNumber: 'C-1001', clock: 'verify', dueAt: '2026-03-05T21:30:00.000Z' },
  'sla.breached': { claimNumber: 'C-1001', clock: 'return', dueAt: '2026-03-09T17:00:00.000Z' },
  'reliability.warning': {
    modelId: 'model-rx',
    modelName: 'Nova RX-2',
    scope: 'batch',
    batch: 'B2',
    month: '2025-11',
    level: 'critical',
    observed: 31,
    expected: 12.4,
    pValue: 0.00002,
    reference: 'fitted curve of the other batches',
  },
  'recovery.answered': {
    recoveryId: 'rec-1',
    creditorName: 'Shenzhen Xingyun Distribution Co.',
    debtorName: 'Aurora Precision Mounts',
    period: '2026-02',
    currency: 'CNY',
    answer: 'partly-accepted',
    claimedMinor: 24000,
    acceptedMinor: 16000,
    reasonCodes: ['over-standard-time', 'part-not-returned'],
  },
  'recovery.paid': {
    recoveryId: 'rec-1',
    creditorName: 'Shenzhen Xingyun Distribution Co.',
    debtorName: 'Aurora Precision Mounts',
    period: '2026-02',
    currency: 'CNY',
    amountMinor: 16000,
    paidOn: '2026-03-10',
    reference: 'SWIFT 2026-0310-0042',
  },
  'recovery.submitted': {
    recoveryId: 'rec-1',
    creditorName: 'Shenzhen Xingyun Distribution Co.',
    debtorName: 'Aurora Precision Mounts',
    period: '2026-02',
    currency: 'CNY',
    claimedMinor: 24000,
    lineCount: 2,
    late: true,
  },
  'auth.sign-in-link': { link: 'https://service.example.com/sign-in?token=abc' },
  'unit.offered': {
    sellerName: 'Starlight Optics',
    model: 'Poseidon-M Pro',
    serial: 'PM-1',
    link: 'https://service.example.com/sign-in?next=%2Fmy',
  },
  'unit.offer-withdrawn': {
    offerKind: 'second-hand',
    offeredBy: 'Anna',
    offeredOn: '2026-03-02',
    sellerName: 'Starlight Optics',
    model: 'Ares-C PRO',
    serial: 'PM-1',
  },
  'dealer-sale.refused': {
    claimNumber: 'C-1001',
    dealerName: 'Starlight Optics',
    serial: 'SN123',
    model: 'X7 Pro',
    sellerName: 'Northstar Online Store',
  },
  'unit.transferred-away': {
    sellerName: 'Starlight Optics',
    model: 'Poseidon-M Pro',
    serial: 'PM-1',
    transferredOn: '2026-03-04',
  },
  'unit.proof-accepted': {
    model: 'Poseidon-M Pro',
    serial: 'PM-1',
    link: 'https://service.example.com/sign-in?next=%2Fmy',
  },
  'unit.proof-refused': {
    model: 'Poseidon-M Pro',
    serial: 'PM-1',
    reason: 'The invoice names another serial number',
    link: 'https://service.example.com/sign-in?next=%2Fmy',
  },
  'unit.transferred': {
    sellerName: 'Starlight Optics',
    model: 'Poseidon-M Pro',
    serial: 'PM-1',
    transferredOn: '2026-03-04',
    link: 'https://service.example.com/sign-in?next=%2Fmy',
  },
}

const UNIT_TEMPLATES: EmailTemplateId[] = [
  'unit.proof-accepted',
  'unit.proof-refused',
  'unit.offered',
  'unit.offer-withdrawn',
  'unit.transferred',
  'unit.transferred-away',
]

/** Messages about something other than one claim: a model's reliability, a recovery claim. */
const NOT_ABOUT_A_CLAIM: EmailTemplateId[] = [
  'reliability.warning',
  'recovery.submitted',
  'recovery.answered',
  'recovery.paid',
]

describe('renderEmail', () => {
  for (const template of EMAIL_TEMPLATE_IDS) {
    for (const locale of EMAIL_LOCALES) {
      it(`${template} (${locale}) renders subject, text and html`, () => {
        const out = renderEmail(template, locale, sampleData[template], ctx)
        assert.ok(out.subject.length > 0)
        assert.ok(!/[\r\n]/.test(out.subject))
        assert.ok(out.html.startsWith('<!doctype html>'))
        if (
          template !== 'auth.sign-in-link' &&
          !UNIT_TEMPLATES.includes(template) &&
          !NOT_ABOUT_A_CLAIM.includes(template)
        ) {
          assert.match(out.subject, /C-1001/)
          assert.match(out.text, /https:\/\/service\.example\.com\/claims\/c-42/)
        }
        if (locale === 'zh') assert.match(out.text, /[\u4e00-\u9fff]/, 'the Chinese text is Chinese')
        else assert.doesNotMatch(out.text, /[\u4e00-\u9fff]/)
      })
    }
  }

  it("the reminder before a quote's last day names the day, the amount in its currency and what to do, in both languages", () => {
    const data = sampleData['quote.last-day-near']
    const en = renderEmail('quote.last-day-near', 'en', data, ctx)
    assert.equal(en.subject, 'Your estimate for claim C-1001 is valid until 1 April 2026')
    assert.match(en.text, /C-1001-Q of JP¥17,100 for your X7 Pro \(SN123\)/)
    assert.match(en.text, /accept the estimate on the claim page/)
    const zh = renderEmail('quote.last-day-near', 'zh', data, ctx)
    assert.equal(zh.subject, '申请 C-1001 的报价有效期至2026年4月1日')
    assert.match(zh.text, /有效期至2026年4月1日（含当日）/)
    assert.match(zh.text, /JP¥17,100|¥17,100|17,100/)
  })

  it("every link in a claim message opens that claim's page, whatever the data says", () => {
    const claimPage = `https://service.example.com${pages.claim('c 42/x')}`
    const tracking = 'https://track.example.com/JD0002'
    for (const template of EMAIL_TEMPLATE_IDS.filter(
      (id) => id !== 'auth.sign-in-link' && !UNIT_TEMPLATES.includes(id) && !NOT_ABOUT_A_CLAIM.includes(id),
    )) {
      const data = { ...sampleData[template], claimUrl: '/claims/elsewhere', quoteUrl: '/nowhere' }
      const withTracking = template === 'return.shipped' ? { ...data, trackingUrl: tracking } : data
      const out = renderEmail(template, 'en', withTracking, { ...ctx, claimId: 'c 42/x' })
      const links = [...out.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]?.replaceAll('&amp;', '&'))
      assert.ok(links.length > 0, `${template} links to the claim`)
      for (const link of links) {
        if (link === tracking) continue
        assert.equal(link?.split('#')[0], claimPage, `${template}: ${link}`)
      }
    }
  })

  it('a message without a claim carries no claim link', () => {
    const out = renderEmail('claim.opened', 'en', sampleData['claim.opened'], { ...ctx, claimId: null })
    assert.doesNotMatch(out.html, /href=/)
  })

  it('escapes every value in the HTML part and keeps newlines out of the subject', () => {
    const out = renderEmail(
      'message.posted',
      'en',
      { claimNumber: 'C-1\r\nBcc: x@evil.test', authorName: '<script>alert(1)</script>', excerpt: 'a & "b"' },
      ctx,
    )
    assert.doesNotMatch(out.html, /<script>/)
    assert.match(out.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
    assert.match(out.html, /a &amp; &quot;b&quot;/)
    assert.equal(out.subject, 'New message on claim C-1 Bcc: x@evil.test')
  })

  it('rma.authorized carries the RMA number, the ship-to address, what to include and the repair order link', () => {
    const out = renderEmail('rma.authorized', 'en', sampleData['rma.authorized'], ctx)
    assert.match(out.subject, /RMA-2026-0007/)
    assert.match(out.text, /12 Harbour Road/)
    assert.match(out.text, /- Power adapter/)
    assert.match(out.text, /https:\/\/service\.example\.com\/claims\/c-42#repair-order/)
    assert.match(out.text, /serial number \(SN on the back of the unit\)/)
    // The web app says "Return authorised"; the e-mail that links to it spells it the same way.
    assert.match(out.subject, /^Return authorised:/)
  })

  it('rma.authorized and dealer.rma-authorized print the ship-to address as a parcel label reads it, the country in the reader’s words', () => {
    const shipToAddress = {
      name: 'ToupTek Astronomy',
      line1: 'ToupTek service centre',
      line2: 'Building 3',
      city: 'Hangzhou',
      postcode: '310012',
      region: 'Zhejiang',
      country: 'CN',
    }
    const label = (country: string) =>
      ['ToupTek Astronomy', 'ToupTek service centre', 'Building 3', '310012 Hangzhou', 'Zhejiang', country]
        .map((line) => `    ${line}`)
        .join('\n')
    for (const template of ['rma.authorized', 'dealer.rma-authorized'] as const) {
      const data = { ...sampleData[template], shipTo: 'ToupTek Astronomy, Hangzhou, CN', shipToAddress }
      const en = renderEmail(template, 'en', data, ctx)
      assert.ok(en.text.includes(`${label('China')}\n`), `${template}: ${en.text}`)
      assert.match(
        en.html,
        /ToupTek Astronomy<br>ToupTek service centre<br>Building 3<br>310012 Hangzhou<br>Zhejiang<br>China/,
      )
      const zh = renderEmail(template, 'zh', data, ctx)
      assert.ok(zh.text.includes(`${label('中国')}\n`), `${template}: ${zh.text}`)
      assert.doesNotMatch(zh.text, /, CN/)
      // A message queued before the address was carried whole still prints the line it has.
      assert.match(renderEmail(template, 'en', sampleData[template], ctx).text, /Shenzhen|München/)
    }
  })

  it('rma.authorized names a policy’s parcel note in the recipient’s language, by the policy’s own translation', () => {
    const note = 'Please include a note inside the return package'
    const data = {
      ...sampleData['rma.authorized'],
      itemsToInclude: ['Power adapter', note],
      itemTranslations: { [note]: { zh: '请在退货包裹内附上一张便条' } },
    }
    const zh = renderEmail('rma.authorized', 'zh', data, ctx)
    assert.match(zh.text, /- 电源适配器\n {2}- 请在退货包裹内附上一张便条/)
    assert.doesNotMatch(zh.text, /Please include a note/)
    const en = renderEmail('rma.authorized', 'en', data, ctx)
    assert.match(en.text, /- Please include a note inside the return package/)
  })

  it('quote.sent lists each line with its amount, the total and the accept/decline link', () => {
    const en = renderEmail('quote.sent', 'en', sampleData['quote.sent'], ctx)
    assert.match(en.text, /Labour \(customer\) \| 2 \| €25\.50 \| €51\.00/)
    assert.match(en.text, /Total to pay \| {2}\| {2}\| €171\.00/)
    assert.match(en.text, /https:\/\/service\.example\.com\/claims\/c-42#quote/)
    const zh = renderEmail('quote.sent', 'zh', { ...sampleData['quote.sent'], currency: 'JPY' }, ctx)
    // Yen has no minor unit: 17100 minor is ¥17,100, not ¥171.
    assert.match(zh.text, /17,100/)
  })

  it('labels and their values are joined by the colon of the language', () => {
    assert.ok(
      renderEmail('unit.received', 'en', sampleData['unit.received'], ctx).text.includes('RMA: RMA-1'),
    )
    const zh = renderEmail('unit.received', 'zh', sampleData['unit.received'], ctx).text
    assert.ok(zh.includes('寄修授权号：RMA-1'), zh)
    assert.doesNotMatch(zh, /[\u4e00-\u9fff]: /, 'no ASCII colon after Chinese words')
  })

  it('dates read as each language writes them', () => {
    const text = (template: EmailTemplateId, locale: 'en' | 'zh', data = sampleData[template]) =>
      renderEmail(template, locale, data, ctx).text
    assert.ok(text('quote.sent', 'en').includes('This estimate is valid until 1 April 2026.'))
    assert.ok(text('quote.sent', 'zh').includes('本报价有效期至2026年4月1日。'))
    assert.ok(text('pickup.scheduled', 'en').includes('Date: 4 March 2026'))
    assert.ok(text('pickup.scheduled', 'zh').includes('日期：2026年3月4日'))
    const onTheDay = { ...sampleData['unit.received'], receivedOn: '2026-03-05' }
    assert.ok(text('unit.received', 'en', onTheDay).includes('Your unit arrived on 5 March 2026.'))
    assert.ok(text('unit.received', 'zh', onTheDay).includes('您的设备已于2026年3月5日到达。'))
    for (const locale of EMAIL_LOCALES)
      for (const template of EMAIL_TEMPLATE_IDS)
        assert.doesNotMatch(
          text(template, locale),
          /\d{4}-\d{2}-\d{2}/,
          `${template} (${locale}) shows an ISO date`,
        )
  })

  it("a time is shown at the clock of the claim's zone, the zone named; without one in UTC, named in words", () => {
    const sla = { ...sampleData['sla.warning'], timeZone: 'Asia/Shanghai' }
    // 21:30 UTC on 5 March is 05:30 on 6 March in Shanghai.
    assert.ok(
      renderEmail('sla.warning', 'en', sla, ctx).text.includes(
        'The inspection after receipt deadline of claim C-1001 is 6 March 2026, 05:30 (China Standard Time).',
      ),
    )
    assert.ok(
      renderEmail('sla.warning', 'zh', sla, ctx).text.includes(
        '申请 C-1001 的收货后检测时限为2026年3月6日 05:30（中国标准时间）。',
      ),
    )
    const berlin = { ...sampleData['sla.breached'], timeZone: 'Europe/Berlin' }
    assert.ok(
      renderEmail('sla.breached', 'en', berlin, ctx).text.includes(
        'passed at 9 March 2026, 18:00 (Central European Standard Time).',
      ),
    )
    assert.ok(
      renderEmail(
        'unit.received',
        'zh',
        { ...sampleData['unit.received'], timeZone: 'Asia/Shanghai' },
        ctx,
      ).text.includes('您的设备已于2026年3月5日 17:30（中国标准时间）到达。'),
    )
    // Messages queued before the zone was written carry none.
    assert.ok(
      renderEmail('sla.warning', 'en', sampleData['sla.warning'], ctx).text.includes(
        'is 5 March 2026, 21:30 (Coordinated Universal Time).',
      ),
    )
    assert.ok(
      renderEmail('sla.warning', 'zh', sampleData['sla.warning'], ctx).text.includes(
        '时限为2026年3月5日 21:30（协调世界时）。',
      ),
    )
    // A calendar date is a day wherever the reader is.
    assert.ok(
      renderEmail(
        'quote.sent',
        'en',
        { ...sampleData['quote.sent'], timeZone: 'Pacific/Kiritimati' },
        ctx,
      ).text.includes('valid until 1 April 2026.'),
    )
  })

  it('refuses a zone it does not know and shows a value that is no date as it stands', () => {
    assert.throws(
      () =>
        renderEmail(
          'sla.warning',
          'en',
          { ...sampleData['sla.warning'], timeZone: 'Mars/Olympus_Mons' },
          ctx,
        ),
      /timeZone/,
    )
    const odd = { ...sampleData['unit.received'], receivedOn: '2026-03-05 in the morning' }
    assert.ok(
      renderEmail('unit.received', 'en', odd, ctx).text.includes('arrived on 2026-03-05 in the morning.'),
    )
  })

  it('decision.made says plainly whether the repair is covered', () => {
    const no = renderEmail('decision.made', 'en', sampleData['decision.made'], ctx)
    assert.match(no.subject, /not covered/)
    assert.match(no.text, /water ingress/)
    const yes = renderEmail('decision.made', 'zh', { ...sampleData['decision.made'], covered: true }, ctx)
    assert.match(yes.subject, /属于保修范围/)
    assert.doesNotMatch(yes.subject, /不属于/)
  })

  it("a decision's explanation writes its dates as the rest of the message does, as the claim page does", () => {
    const explanation = {
      en: 'The warranty ended on 2025-09-05, before you contacted us (2025-10-01).',
      zh: '保修期已于 2025-09-05 结束，早于您联系我们的日期（2025-10-01）。',
    }
    const customer = { ...sampleData['decision.made'], explanation }
    const en = renderEmail('decision.made', 'en', customer, ctx)
    assert.match(en.text, /ended on 5 September 2025, before you contacted us \(1 October 2025\)\./)
    assert.doesNotMatch(en.html, /2025-09-05/)
    const zh = renderEmail('decision.made', 'zh', customer, ctx)
    assert.match(zh.text, /保修期已于 2025年9月5日 结束，早于您联系我们的日期（2025年10月1日）。/)
    const dealer = { ...sampleData['dealer.claim-decided'], explanation }
    assert.match(
      renderEmail('dealer.claim-decided', 'en', dealer, ctx).text,
      /ended on 5 September 2025, before/,
    )
    assert.match(renderEmail('dealer.claim-decided', 'zh', dealer, ctx).text, /已于 2025年9月5日 结束/)
    // Only days of the calendar are rewritten: anything else that looks like one stays as written.
    const odd = { ...sampleData['decision.made'], explanation: 'Batch 2025-13-45 and serial AB-2025-09-05X.' }
    assert.match(
      renderEmail('decision.made', 'en', odd, ctx).text,
      /Batch 2025-13-45 and serial AB-2025-09-05X\./,
    )
  })

  it('dealer.claim-decided tells a dealer handed the claim what was decided, the remedies, who pays and what to do', () => {
    const en = renderEmail('dealer.claim-decided', 'en', sampleData['dealer.claim-decided'], ctx)
    assert.equal(en.subject, 'Claim C-1001 handed to you to serve: X7 Pro, serial SN123')
    assert.match(en.text, /has you, the dealer, serve it; the decision before it named another handler/)
    assert.match(en.text, /It is covered by the warranty\./)
    assert.match(en.text, /A manufacturing defect of the sensor board\./)
    assert.match(en.text, /Remedies offered: repair, replacement/)
    assert.match(en.text, /Parts paid by: seller/)
    assert.match(en.text, /Labour paid by: dealer/)
    assert.match(en.text, /Please carry out what the decision offers/)
    assert.match(en.text, /Open the claim:\nhttps:\/\/service\.example\.com\/claims\/c-42/)
    assert.match(en.text, /Your after-sales service team/)

    const zh = renderEmail('dealer.claim-decided', 'zh', sampleData['dealer.claim-decided'], ctx)
    assert.equal(zh.subject, '申请 C-1001 已转交贵方处理：X7 Pro，序列号 SN123')
    assert.match(zh.text, /由贵方（经销商）提供服务；此前的决定指定的是其他处理方/)
    assert.match(zh.text, /该申请属于保修范围。/)
    assert.match(zh.text, /传感器板存在制造缺陷。/)
    assert.match(zh.text, /提供的解决方式：维修、换货/)
    assert.match(zh.text, /配件承担方：销售方/)
    assert.match(zh.text, /人工承担方：经销商/)
    assert.match(zh.text, /打开申请：\nhttps:\/\/service\.example\.com\/claims\/c-42/)
  })

  it('dealer.claim-decided on a claim the dealer serves says so, and asks for an estimate only with a paid repair', () => {
    const served = { ...sampleData['dealer.claim-decided'], handedOver: false, covered: false }
    for (const [remedies, estimate] of [
      [['paid-repair'], true],
      [[], false],
    ] as const) {
      const en = renderEmail('dealer.claim-decided', 'en', { ...served, remedies }, ctx)
      assert.equal(en.subject, 'Final decision on claim C-1001: X7 Pro, serial SN123')
      assert.match(en.text, /The final decision was made on a claim you serve\./)
      assert.match(en.text, /It is not covered by the warranty\./)
      assert.doesNotMatch(en.text, /handed|another handler/)
      assert.equal(/send a cost estimate/.test(en.text), estimate, en.text)
      assert.match(en.text, remedies.length ? /Remedies offered: paid repair/ : /Remedies offered: none/)
      const zh = renderEmail('dealer.claim-decided', 'zh', { ...served, remedies }, ctx)
      assert.equal(zh.subject, '申请 C-1001 已作出最终决定：X7 Pro，序列号 SN123')
      assert.match(zh.text, /贵方负责的申请已作出最终决定。/)
      assert.match(zh.text, /该申请不属于保修范围。/)
      assert.equal(/发送报价/.test(zh.text), estimate, zh.text)
    }
  })

  it('dealer.claim-handed-back tells the dealer who serves the claim now and that it need do nothing more', () => {
    const en = renderEmail('dealer.claim-handed-back', 'en', sampleData['dealer.claim-handed-back'], ctx)
    assert.equal(en.subject, 'Claim C-1001 is no longer yours to serve: serial SN123')
    assert.match(en.text, /has the manufacturer serve it instead of you, the dealer/)
    assert.match(en.text, /You need take no further steps/)
    assert.match(en.text, /https:\/\/service\.example\.com\/claims\/c-42/)
    const zh = renderEmail(
      'dealer.claim-handed-back',
      'zh',
      { ...sampleData['dealer.claim-handed-back'], handler: 'vendor' },
      ctx,
    )
    assert.equal(zh.subject, '申请 C-1001 已不再由贵方处理：序列号 SN123')
    assert.match(zh.text, /改由销售方提供服务，不再由此前决定指定的贵方（经销商）负责/)
    assert.match(zh.text, /贵方无需再做任何处理/)
  })

  it('reliability.warning names the batch, the month, the evidence and links to the reliability page', () => {
    for (const locale of EMAIL_LOCALES) {
      const out = renderEmail('reliability.warning', locale, sampleData['reliability.warning'], ctx)
      assert.match(out.subject, /B2/)
      assert.match(out.subject, locale === 'zh' ? /（2025年11月）$/ : /\(November 2025\)$/)
      assert.match(out.text, /31/)
      assert.match(out.text, /12\.4/)
      assert.match(out.text, /https:\/\/service\.example\.com\/staff\/reliability\?model=model-rx&batch=B2/)
    }
    const zh = renderEmail('reliability.warning', 'zh', sampleData['reliability.warning'], ctx)
    assert.match(zh.subject, /严重/)
    assert.ok(zh.text.includes('月份：2025年11月'), zh.text)
  })

  it('reliability.warning writes the month a reference history ends at as the reader does', () => {
    const data = {
      ...sampleData['reliability.warning'],
      reference: 'fitted curve of the history before 2025-06',
    }
    const en = renderEmail('reliability.warning', 'en', data, ctx).text
    assert.ok(en.includes('Reference: fitted curve of the history before June 2025'), en)
    assert.ok(en.includes('Month: November 2025'), en)
    const zh = renderEmail('reliability.warning', 'zh', data, ctx).text
    assert.ok(zh.includes('参考：2025年6月之前历史数据的拟合曲线'), zh)
    const other = renderEmail('reliability.warning', 'en', sampleData['reliability.warning'], ctx).text
    assert.ok(other.includes('Reference: fitted curve of the other batches'), other)
  })

  it('unit.offered names a model starting with a vowel with "an", in the body as in the subject', () => {
    const out = renderEmail(
      'unit.offered',
      'en',
      { ...sampleData['unit.offered'], model: 'Artemis-C PRO' },
      ctx,
    )
    assert.match(out.subject, /registered an Artemis-C PRO to you/)
    assert.match(out.text, /the sale of an Artemis-C PRO \(serial PM-1\)/)
  })

  it('unit.offer-withdrawn says who offered the unit, that the seller recorded a change of owner, and links nowhere', () => {
    const en = renderEmail('unit.offer-withdrawn', 'en', sampleData['unit.offer-withdrawn'], ctx)
    assert.match(en.subject, /Ares-C PRO \(serial PM-1\) offered to you can no longer be accepted/)
    assert.ok(
      en.text.includes('On 2 March 2026, Anna offered to pass on an Ares-C PRO (serial PM-1) to you.') &&
        en.text.includes(
          'That offer is withdrawn: Starlight Optics has recorded a change of owner for this unit, so it can no longer be accepted.',
        ),
      en.text,
    )
    assert.doesNotMatch(en.html, /href=/, 'nothing is left to accept')
    const sale = renderEmail(
      'unit.offer-withdrawn',
      'zh',
      { ...sampleData['unit.offer-withdrawn'], offerKind: 'sale', offeredBy: 'Prairie Telescopes' },
      ctx,
    )
    assert.ok(sale.text.includes('Prairie Telescopes 于2026年3月2日登记了一台 Ares-C PRO'), sale.text)
    assert.ok(sale.text.includes('Starlight Optics 已登记该设备的所有者变更'), sale.text)
  })

  it('unit.transferred tells the new owner the day it became theirs and links to sign in', () => {
    const en = renderEmail('unit.transferred', 'en', sampleData['unit.transferred'], ctx)
    assert.match(en.subject, /Poseidon-M Pro \(serial PM-1\) is now registered to you/)
    assert.ok(
      en.text.includes('a Poseidon-M Pro (serial PM-1) from 4 March 2026, bought second hand'),
      en.text,
    )
    assert.match(en.text, /https:\/\/service\.example\.com\/sign-in\?next=%2Fmy/)
    const zh = renderEmail('unit.transferred', 'zh', sampleData['unit.transferred'], ctx)
    assert.ok(zh.text.includes('自2026年3月4日起为一台 Poseidon-M Pro（序列号 PM-1）的所有者'), zh.text)
  })

  it('unit.offer-withdrawn taken back by whoever made it says so, and nothing of a change of owner', () => {
    const data = { ...sampleData['unit.offer-withdrawn'], reason: 'withdrawn' }
    const en = renderEmail('unit.offer-withdrawn', 'en', data, ctx)
    assert.ok(en.text.includes('That offer has been withdrawn, so it can no longer be accepted.'), en.text)
    assert.doesNotMatch(en.text, /change of owner/)
    const zh = renderEmail('unit.offer-withdrawn', 'zh', data, ctx)
    assert.ok(zh.text.includes('该转让已撤回，因此无法再接受。'), zh.text)
    assert.doesNotMatch(zh.text, /所有者变更/)
    const sale = renderEmail('unit.offer-withdrawn', 'zh', { ...data, offerKind: 'sale' }, ctx)
    assert.ok(sale.text.includes('该登记已撤回，因此无法再接受。'), sale.text)
  })

  it('unit.transferred-away tells the former owner the day the unit left them and whom to call if it is wrong', () => {
    const en = renderEmail('unit.transferred-away', 'en', sampleData['unit.transferred-away'], ctx)
    assert.match(en.subject, /Poseidon-M Pro \(serial PM-1\) is no longer registered to you/)
    assert.ok(en.text.includes('passed to a new owner on 4 March 2026'), en.text)
    assert.ok(en.text.includes('please contact Starlight Optics at once'), en.text)
    assert.doesNotMatch(en.html, /href=/, 'nothing to click: the unit is no longer theirs')
    const zh = renderEmail('unit.transferred-away', 'zh', sampleData['unit.transferred-away'], ctx)
    assert.ok(zh.text.includes('已于2026年3月4日转给新的所有者'), zh.text)
  })

  it('unit.transferred-away for an owner a units import cleared names no new owner', () => {
    const data = { ...sampleData['unit.transferred-away'], reason: 'owner-cleared' }
    const en = renderEmail('unit.transferred-away', 'en', data, ctx)
    assert.ok(en.text.includes('is no longer registered to you from 4 March 2026'), en.text)
    assert.doesNotMatch(en.text, /new owner/)
    const zh = renderEmail('unit.transferred-away', 'zh', data, ctx)
    assert.ok(zh.text.includes('自2026年3月4日起不再登记在您名下'), zh.text)
    assert.doesNotMatch(zh.text, /新的所有者/)
  })

  it('dealer-sale.refused tells the customer the dealer did not sell the unit and the seller handles the claim', () => {
    const en = renderEmail('dealer-sale.refused', 'en', sampleData['dealer-sale.refused'], ctx)
    assert.equal(en.subject, 'Claim C-1001: Starlight Optics says it did not sell this unit')
    assert.ok(en.text.includes('Your claim is handled by the seller, Northstar Online Store'), en.text)
    const zh = renderEmail('dealer-sale.refused', 'zh', sampleData['dealer-sale.refused'], ctx)
    assert.ok(zh.text.includes('您的申请由卖家 Northstar Online Store 照常处理'), zh.text)
    const bySeller = { ...sampleData['dealer-sale.refused'], by: 'seller' }
    const seller = renderEmail('dealer-sale.refused', 'en', bySeller, ctx)
    assert.equal(seller.subject, 'Claim C-1001: the seller says Starlight Optics did not sell this unit')
    assert.ok(
      seller.text.includes('The seller’s records show the dealer did not sell this unit.'),
      seller.text,
    )
    assert.ok(renderEmail('dealer-sale.refused', 'zh', bySeller, ctx).text.includes('卖家的记录显示'))
  })

  it('auth.sign-in-link says the link works for 15 minutes', () => {
    const out = renderEmail('auth.sign-in-link', 'en', sampleData['auth.sign-in-link'], ctx)
    assert.match(out.text, /15 minutes/)
    assert.match(out.text, /sign-in\?token=abc/)
  })

  it('refuses an unknown template, missing data and a javascript: link', () => {
    assert.throws(() => renderEmail('claim.exploded', 'en', {}, ctx), /Unknown e-mail template/)
    assert.throws(
      () => renderEmail('return.shipped', 'en', { claimNumber: 'C-1', carrier: 'DHL' }, ctx),
      /trackingNumber/,
    )
    assert.throws(
      () => renderEmail('auth.sign-in-link', 'en', { link: 'javascript:alert(1)' }, ctx),
      /http\(s\) URL/,
    )
  })
})
