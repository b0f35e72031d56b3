import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, it } from 'node:test'
import { runForTest } from '../../shared/test-process.ts'
import { createQr, findCjkFont } from './pdf-document.ts'
import { extractPdfText, pdfStreams } from './pdf-text.test-support.ts'
import { type QuoteInput, renderQuotePdf } from './render-quote-pdf.ts'
import { type RepairOrderInput, renderRepairOrderPdf } from './render-repair-order-pdf.ts'

const repairOrder = (overrides: Partial<RepairOrderInput> = {}): RepairOrderInput => ({
  rmaNumber: 'RMA-2026-000123',
  claimNumber: 'C-1001',
  customerName: 'Anna Schmidt',
  returnAddress: ['Anna Schmidt', 'Hauptstrasse 5', '10115 Berlin', 'DE'],
  serial: 'IST7X0042',
  model: 'X7 Pro',
  faultDescription: 'Does not power on after firmware update',
  shipTo: ['IST Service Centre', '12 Harbour Road', 'Shenzhen', 'CN'],
  itemsToInclude: ['Main unit', 'Power adapter'],
  freightPayer: 'vendor',
  policyLabel: 'IST warranty 2025-01',
  qrUrl: 'https://service.example.com/claims/C-1001',
  locale: 'en',
  issuedAt: new Date('2026-03-02T09:00:00.000Z'),
  ...overrides,
})

const quote = (overrides: Partial<QuoteInput> = {}): QuoteInput => ({
  quoteNumber: 'Q-2026-0042',
  rmaNumber: 'RMA-2026-000123',
  customerName: 'Anna Schmidt',
  serial: 'IST7X0042',
  model: 'X7 Pro',
  lines: [
    { kind: 'parts', description: 'Main board', quantity: 1, unitPriceMinor: 12000, payer: 'customer' },
    { kind: 'labour', description: 'Bench labour', quantity: 2, unitPriceMinor: 2550, payer: 'customer' },
    {
      kind: 'return-shipping',
      description: 'Return courier',
      quantity: 1,
      unitPriceMinor: 900,
      payer: 'vendor',
    },
  ],
  currency: 'EUR',
  totalCustomerMinor: 17100,
  validUntil: '2026-04-01',
  claimUrl: 'https://service.example.com/claims/C-1001#quote',
  locale: 'en',
  issuedAt: new Date('2026-03-02T09:00:00.000Z'),
  ...overrides,
})

/** Dark modules of the QR as drawn: one `re` operator each. */
const countRects = (pdf: Buffer) => pdfStreams(pdf).reduce((n, s) => n + (s.match(/ re\n/g)?.length ?? 0), 0)

/** Where each run of text of the first page sits: its left edge, its baseline and its font size, in PDF points. */
function textRunsOfFirstPage(pdf: Buffer): { x: number; y: number; size: number }[] {
  const page = pdfStreams(pdf).find((stream) => stream.includes(' TJ')) ?? ''
  return [...page.matchAll(/1 0 0 1 ([\d.]+) ([\d.]+) Tm\n\/F\d+ ([\d.]+) Tf\n/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    size: Number(m[3]),
  }))
}

describe('renderRepairOrderPdf', () => {
  it('prints the RMA number and what seed 003 asks for: name, return address, SN, fault', async () => {
    const pdf = await renderRepairOrderPdf(repairOrder(), { compress: false })
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
    const text = extractPdfText(pdf)
    for (const expected of [
      'Repair order',
      'RMA number: RMA-2026-000123',
      'Anna Schmidt',
      'Hauptstrasse 5',
      'Serial number (SN on the back of the unit)',
      'IST7X0042',
      'Does not power on after firmware update',
      '12 Harbour Road',
      '• Power adapter',
    ]) {
      assert.ok(text.includes(expected), `the repair order shows "${expected}"`)
    }
    // The URL under the QR code wraps in its narrow column.
    assert.ok(text.replaceAll('\n', '').includes('https://service.example.com/claims/C-1001'))
  })

  it('starts its fields below the RMA number however tall the letterhead above them is', async () => {
    const seller = (lines: number) => ({
      name: 'Ningbo Player One Astronomy Technology Co., Ltd. After-sales Service Centre',
      addressLines: Array.from({ length: lines }, (_, i) => `Address line ${i + 1}`),
      contactLines: ['support@player-one-astronomy.com', '+86 574 0000 0000', 'Mon-Fri 09:00-18:00'],
    })
    for (const lines of [0, 2, 4, 6, 9]) {
      const pdf = await renderRepairOrderPdf(repairOrder({ letterhead: seller(lines) }), { compress: false })
      // The left column (the QR code and its caption are at the right): each line's baseline is
      // at least its own height below the one above it, so no two lines print over each other.
      const left = textRunsOfFirstPage(pdf)
        .filter((run) => run.x < 200)
        .sort((a, b) => b.y - a.y)
      for (let i = 1; i < left.length; i++) {
        const above = left[i - 1]
        const below = left[i]
        assert.ok(above && below)
        assert.ok(
          above.y - below.y >= below.size * 0.9,
          `${lines} address lines: a ${below.size} pt line at ${below.y} runs into the ${above.size} pt line at ${above.y}`,
        )
      }
    }
  })

  it('is readable when compressed (the default) and identical for identical input', async () => {
    const a = await renderRepairOrderPdf(repairOrder())
    const b = await renderRepairOrderPdf(repairOrder())
    assert.ok(a.equals(b), 'deterministic bytes')
    assert.ok(a.includes('/FlateDecode'))
    assert.ok(extractPdfText(a).includes('RMA-2026-000123'))
    const later = await renderRepairOrderPdf(repairOrder({ issuedAt: new Date('2026-03-03T09:00:00.000Z') }))
    assert.ok(!a.equals(later), 'the date comes from the input')
  })

  it('prints the date it is given for where its reader is, else the UTC date of its instant', async () => {
    const letterhead = { name: 'IST Service', addressLines: ['Shenzhen'], contactLines: [] }
    // 23:30 UTC on 2 March is 07:30 on 3 March in Shanghai.
    const issuedAt = new Date('2026-03-02T23:30:00.000Z')
    for (const render of [
      (issuedOn?: string) =>
        renderRepairOrderPdf(repairOrder({ letterhead, issuedAt, ...(issuedOn ? { issuedOn } : {}) })),
      (issuedOn?: string) =>
        renderQuotePdf(quote({ letterhead, issuedAt, ...(issuedOn ? { issuedOn } : {}) })),
    ]) {
      assert.ok(extractPdfText(await render('2026-03-03')).includes('Issued: 3 March 2026'))
      const utc = extractPdfText(await render())
      assert.ok(utc.includes('Issued: 2 March 2026') && !utc.includes('3 March 2026'), utc)
    }
  })

  it('draws the QR code of the given URL', async () => {
    const url = 'https://service.example.com/claims/C-1001'
    const qr = createQr(url)
    const data = qr.segments
      .map((s) => Buffer.from(s.data as unknown as Uint8Array).toString('utf8'))
      .join('')
    assert.equal(data, url)
    let dark = 0
    for (let r = 0; r < qr.modules.size; r++)
      for (let c = 0; c < qr.modules.size; c++) if (qr.modules.get(r, c)) dark++
    const pdf = await renderRepairOrderPdf(repairOrder({ qrUrl: url }), { compress: false })
    assert.equal(countRects(pdf), dark, 'one square per dark module of this URL')
    const other = await renderRepairOrderPdf(repairOrder({ qrUrl: `${url}?x=1` }), { compress: false })
    assert.notEqual(countRects(other), 0)
    assert.ok(!pdf.equals(other))
  })

  it('prints Chinese with a CJK font when one is installed, else English with a note', async () => {
    const pdf = await renderRepairOrderPdf(
      repairOrder({
        locale: 'zh',
        customerName: '李伟',
        faultDescription: '无法开机',
        letterhead: { name: '深圳星云', addressLines: [], contactLines: [] },
        issuedOn: '2026-03-02',
      }),
      { compress: false },
    )
    const text = extractPdfText(pdf)
    if (findCjkFont()) {
      for (const expected of [
        '维修单',
        '寄修授权号：RMA-2026-000123',
        '李伟',
        '无法开机',
        '序列号（见机身背面）',
        '开具日期：2026年3月2日',
      ]) {
        assert.ok(text.includes(expected), `shows "${expected}"`)
      }
    } else {
      assert.ok(text.includes('Repair order'))
      assert.ok(text.includes('Issued: 2 March 2026'))
      assert.ok(text.includes('Chinese font not installed'))
    }
  })
})

describe('links on the documents', () => {
  it('the repair order and the quote link to the claim page they print', async () => {
    const order = await renderRepairOrderPdf(repairOrder(), { compress: false })
    assert.ok(order.includes('/URI (https://service.example.com/claims/C-1001)'), 'the QR text is a link')
    const estimate = await renderQuotePdf(quote(), { compress: false })
    assert.ok(estimate.includes('/URI (https://service.example.com/claims/C-1001#quote)'))
    assert.ok(
      extractPdfText(estimate).replaceAll('\n', '').includes('service.example.com/claims/C-1001#quote'),
    )
  })
})

describe('renderQuotePdf', () => {
  it('lists every line, the customer’s with their amounts and the others as covered, the total the customer pays and the validity', async () => {
    const text = extractPdfText(await renderQuotePdf(quote(), { compress: false }))
    for (const expected of [
      'Repair estimate',
      'Estimate number: Q-2026-0042',
      'RMA number: RMA-2026-000123',
      'Bench labour (labour)',
      '€25.50',
      '€51.00',
      'Return courier',
      'Covered',
      'Total to pay: €171.00',
      'Valid until: 1 April 2026',
      'No paid work starts before you accept this estimate.',
      'Accept or decline the estimate on your claim page:',
    ]) {
      assert.ok(text.includes(expected), `the estimate shows "${expected}"`)
    }
    // Who among the businesses pays the courier, and how much, is not the customer's business.
    assert.ok(!text.includes('€9.00') && !text.includes('seller'), text)
  })

  it('prints a Chinese estimate, its dates as Chinese writes them', async () => {
    const letterhead = { name: '深圳星云', addressLines: ['深圳市'], contactLines: [] }
    const text = extractPdfText(
      await renderQuotePdf(quote({ locale: 'zh', currency: 'CNY', letterhead, issuedOn: '2026-03-02' }), {
        compress: false,
      }),
    )
    if (findCjkFont()) {
      assert.ok(text.includes('维修报价单'))
      assert.ok(text.includes('应付合计：¥171.00'), text)
      assert.ok(text.includes('已承保') && !text.includes('销售方'), text)
      assert.ok(text.includes('有效期至：2026年4月1日'), text)
      assert.ok(text.includes('开具日期：2026年3月2日'), text)
    } else {
      assert.ok(text.includes('Repair estimate'))
      assert.ok(text.includes('Valid until: 1 April 2026'), text)
    }
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}/, 'no ISO date')
  })

  it('a Chinese document printed without a CJK font falls back to English, its dates too', () => {
    // The font is looked up once per process: a process told of a font that is not there.
    const script = [
      "import { extractPdfText } from './src/files/documents/pdf-text.test-support.ts'",
      "import { renderQuotePdf } from './src/files/documents/render-quote-pdf.ts'",
      `const input = ${JSON.stringify(quote({ locale: 'zh', letterhead: { name: 'IST', addressLines: [], contactLines: [] }, issuedOn: '2026-03-02' }))}`,
      'input.issuedAt = new Date(input.issuedAt)',
      'process.stdout.write(extractPdfText(await renderQuotePdf(input, { compress: false })))',
    ].join('\n')
    const run = runForTest(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: path.resolve(import.meta.dirname, '../../..'),
      env: { ...process.env, AFTERCARE_CJK_FONT: '/nonexistent/no-cjk-font.ttc' },
    })
    assert.equal(run.status, 0, run.stderr)
    for (const expected of [
      'Repair estimate',
      'Chinese font not installed',
      'Valid until: 1 April 2026',
      'Issued: 2 March 2026',
    ])
      assert.ok(run.stdout.includes(expected), `shows "${expected}": ${run.stdout}`)
  })
})
