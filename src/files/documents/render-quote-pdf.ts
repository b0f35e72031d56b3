import { humanDate } from '../../shared/human-date.ts'
import { wordOf } from '../../shared/messages/translate.ts'
import { DOCUMENT_LABELS, type DocumentLocale, formatMinor } from '../domain/document-labels.ts'
import { colonOf, drawTableRow, fitForFont, type RenderOptions, startPdf } from './pdf-document.ts'
import {
  drawLetterhead,
  drawTerms,
  LETTERHEAD_LABELS,
  type Letterhead,
  type PaymentInstructions,
  paymentInstructionLines,
} from './render-letterhead.ts'

/** The estimate sent before paid work (seed 004): lines, who pays each, and the customer's total. */
export interface QuoteInput {
  quoteNumber: string
  rmaNumber: string
  customerName: string
  serial: string
  model: string
  /**
   * The lines as the customer reads them: the lines they pay with their prices; the lines others
   * pay without (`customerLines`), printed as covered, not as which business pays how much.
   */
  lines: { kind: string; description: string; quantity: number; unitPriceMinor?: number; payer: string }[]
  currency: string
  totalCustomerMinor: number
  /** YYYY-MM-DD; printed as the document's language writes a date. */
  validUntil: string
  /** Absolute URL of the claim's page, where the customer answers the estimate; printed as a link. */
  claimUrl: string
  locale: DocumentLocale
  /** The document's date; fixed from the input so equal input gives equal bytes. Defaults to 2000-01-01. */
  issuedAt?: Date
  /**
   * The date printed on the document, where its reader is (the policy's zone); defaults to
   * the UTC date of `issuedAt`.
   */
  issuedOn?: string
  letterhead?: Letterhead
  payment?: PaymentInstructions
  terms?: string
}

const FALLBACK_DATE = new Date('2000-01-01T00:00:00.000Z')

export async function renderQuotePdf(input: QuoteInput, options: RenderOptions = {}): Promise<Buffer> {
  const page = startPdf(
    {
      title: `${DOCUMENT_LABELS[input.locale].quote} ${input.quoteNumber}`,
      locale: input.locale,
      createdAt: input.issuedAt ?? FALLBACK_DATE,
    },
    options,
  )
  const { doc } = page
  const l = DOCUMENT_LABELS[page.locale]
  const money = (minor: number) => formatMinor(minor, input.currency, page.locale)
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right

  if (input.letterhead)
    drawLetterhead(
      page,
      input.letterhead,
      input.issuedOn ?? (input.issuedAt ?? FALLBACK_DATE).toISOString().slice(0, 10),
      width,
    )
  doc.font(page.bold).fontSize(20).text(fitForFont(page, l.quote))
  if (page.locale !== input.locale)
    doc.font(page.regular).fontSize(8).fillColor('#aa0000').text(l.noCjkFont).fillColor('#000000')
  doc.moveDown(0.5)
  doc.font(page.regular).fontSize(10)
  for (const [label, value] of [
    [l.quoteNumber, input.quoteNumber],
    [l.rma, input.rmaNumber],
    [l.customerName, input.customerName],
    [l.model, input.model],
    [l.serial, input.serial],
    [l.validUntil, humanDate(input.validUntil, page.locale)],
  ] as const) {
    doc.text(fitForFont(page, `${label}${colonOf(page)}${value}`))
  }
  doc.moveDown(1)

  // Columns: description (with kind), qty, unit price, amount, payer.
  const columns = [
    { header: l.description, width: width * 0.4, align: 'left' as const },
    { header: l.quantity, width: width * 0.08, align: 'right' as const },
    { header: l.unitPrice, width: width * 0.17, align: 'right' as const },
    { header: l.amount, width: width * 0.17, align: 'right' as const },
    { header: l.payer, width: width * 0.18, align: 'right' as const },
  ]
  // A line that goes over to a new page takes the headings with it.
  const drawRow = (cells: string[], font: string, headerFont?: string) => {
    drawTableRow(page, left, columns, cells, font, 10, headerFont)
    doc.y += 4
    doc
      .moveTo(left, doc.y - 2)
      .lineTo(left + width, doc.y - 2)
      .lineWidth(0.5)
      .strokeColor('#cccccc')
      .stroke()
  }
  drawRow(
    columns.map((c) => c.header),
    page.bold,
  )
  for (const line of input.lines) {
    // The customer's document: a line another party pays is covered, never priced here.
    const price = line.payer === 'customer' ? line.unitPriceMinor : undefined
    drawRow(
      [
        // A line without a description is its kind alone, in the reader's language. Latin
        // brackets around Chinese words read as foreign: Chinese takes full-width ones.
        line.description
          ? page.locale === 'zh'
            ? `${line.description}（${wordOf(page.locale, 'cost', line.kind)}）`
            : `${line.description} (${wordOf(page.locale, 'cost', line.kind)})`
          : wordOf(page.locale, 'cost', line.kind),
        String(line.quantity),
        price === undefined ? '' : money(price),
        price === undefined ? '' : money(price * line.quantity),
        line.payer === 'customer' ? wordOf(page.locale, 'payer', line.payer) : l.covered,
      ],
      page.regular,
      page.bold,
    )
  }
  doc.moveDown(0.5)
  doc.x = left
  doc
    .font(page.bold)
    .fontSize(13)
    .text(
      fitForFont(page, `${l.totalCustomer}${colonOf(page)}${money(input.totalCustomerMinor)}`),
      left,
      doc.y,
      {
        width,
        align: 'right',
      },
    )
  doc.moveDown(1)
  doc.font(page.regular).fontSize(10).text(fitForFont(page, l.beforeWork), left, doc.y, { width })
  doc.moveDown(0.5)
  doc.text(fitForFont(page, l.answerAt), left, doc.y, { width })
  doc.fillColor('#1a4fa0').text(input.claimUrl, left, doc.y, { width, link: input.claimUrl, underline: true })
  doc.fillColor('#000000')
  if (input.payment) {
    doc.moveDown(1)
    doc
      .font(page.bold)
      .fontSize(11)
      .text(fitForFont(page, LETTERHEAD_LABELS[page.locale].howToPay), left, doc.y, { width })
    doc.font(page.regular).fontSize(10)
    for (const line of paymentInstructionLines(input.payment, page.locale))
      doc.text(fitForFont(page, line), { width })
  }
  if (input.terms) drawTerms(page, input.terms, width)
  return page.finish()
}
