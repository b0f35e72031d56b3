import { packageItemIn } from '../../registry/index.ts'
import { wordOf } from '../../shared/messages/translate.ts'
import { DOCUMENT_LABELS, type DocumentLocale } from '../domain/document-labels.ts'
import { colonOf, drawField, drawQr, fitForFont, type RenderOptions, startPdf } from './pdf-document.ts'
import { drawLetterhead, drawTerms, type Letterhead } from './render-letterhead.ts'

/** What goes on the repair order that travels in the parcel (seed 003: name, return address, SN, fault). */
export interface RepairOrderInput {
  rmaNumber: string
  /** The claim's number as people quote it (`C-1A2B3C4D`), not its id. */
  claimNumber: string
  customerName: string
  /** Every line of the address the unit goes back to (recipient, street, city, country, phone). */
  returnAddress: string[]
  serial: string
  model: string
  faultDescription: string
  /** Every line of the address the parcel goes to. */
  shipTo: string[]
  /** Standard package items as stored; printed in the document's language where the item list knows them. */
  itemsToInclude: string[]
  /** Words of items the list does not know (a policy's parcel notes) in each language, by the item. */
  itemTranslations?: Record<string, Partial<Record<DocumentLocale, string>>>
  /** Who pays the freight: a party code (`vendor`, `customer`, …) or `as-agreed`, printed in words. */
  freightPayer: string
  /** The policy's title in its own language. */
  policyLabel: string
  /** The title in each language the policy has it in; the document's own language is printed. */
  policyLabelIn?: Partial<Record<DocumentLocale, string>>
  /** Printed as a QR code and as text: where staff receiving the parcel open the claim. */
  qrUrl: string
  locale: DocumentLocale
  /** The document's date; fixed from the input so equal input gives equal bytes. Defaults to 2000-01-01. */
  issuedAt?: Date
  /**
   * The date printed on the document, where its reader is (the policy's zone); defaults to
   * the UTC date of `issuedAt`.
   */
  issuedOn?: string
  /** The issuing seller; without it the document starts with its title. */
  letterhead?: Letterhead
  terms?: string
}

const FALLBACK_DATE = new Date('2000-01-01T00:00:00.000Z')

export async function renderRepairOrderPdf(
  input: RepairOrderInput,
  options: RenderOptions = {},
): Promise<Buffer> {
  const page = startPdf(
    {
      title: `${DOCUMENT_LABELS[input.locale].repairOrder} ${input.rmaNumber}`,
      locale: input.locale,
      createdAt: input.issuedAt ?? FALLBACK_DATE,
    },
    options,
  )
  const { doc } = page
  const l = DOCUMENT_LABELS[page.locale]
  const left = doc.page.margins.left
  const qrSize = 130
  const columnWidth = doc.page.width - left - doc.page.margins.right - qrSize - 20

  const issuedAt = input.issuedAt ?? FALLBACK_DATE
  const top = input.letterhead
    ? drawLetterhead(
        page,
        input.letterhead,
        input.issuedOn ?? issuedAt.toISOString().slice(0, 10),
        columnWidth,
      )
    : 50
  doc.font(page.bold).fontSize(20).text(fitForFont(page, l.repairOrder), left, top, { width: columnWidth })
  doc
    .font(page.bold)
    .fontSize(14)
    .text(fitForFont(page, `${l.rma}${colonOf(page)}${input.rmaNumber}`), { width: columnWidth })
  if (page.locale !== input.locale)
    doc.font(page.regular).fontSize(8).fillColor('#aa0000').text(l.noCjkFont).fillColor('#000000')
  doc.moveDown(0.8)
  // The fields go on below the title, beside the QR code: drawing the code's caption moves
  // the cursor to the foot of the code, which a tall letterhead has already passed.
  const belowTitle = doc.y

  const qrX = doc.page.width - doc.page.margins.right - qrSize
  drawQr(doc, input.qrUrl, qrX, 50, qrSize)
  doc
    .font(page.regular)
    .fontSize(7)
    .text(fitForFont(page, l.scan), qrX, 50 + qrSize + 2, { width: qrSize, align: 'center' })
    .text(fitForFont(page, input.qrUrl), { width: qrSize, align: 'center', link: input.qrUrl })
  const belowQr = doc.y

  doc.x = left
  doc.y = Math.max(belowTitle, 130)
  let onFirstPage = true
  doc.once('pageAdded', () => {
    onFirstPage = false
  })
  drawField(page, l.claim, input.claimNumber, columnWidth)
  drawField(page, l.customerName, input.customerName, columnWidth)
  drawField(page, l.returnAddress, input.returnAddress.join('\n'), columnWidth)
  drawField(page, l.serial, input.serial, columnWidth)
  drawField(page, l.model, input.model, columnWidth)
  drawField(page, l.fault, input.faultDescription, columnWidth)
  const fullWidth = doc.page.width - left - doc.page.margins.right
  // The full-width part starts below the code and its caption, on the page the column ended on.
  if (onFirstPage) doc.y = Math.max(doc.y, belowQr + 10)
  drawField(page, l.shipTo, input.shipTo.join('\n'), fullWidth)
  drawField(
    page,
    l.itemsToInclude,
    input.itemsToInclude
      .map((item) => `• ${input.itemTranslations?.[item]?.[page.locale] ?? packageItemIn(page.locale, item)}`)
      .join('\n'),
    fullWidth,
  )
  drawField(page, l.freightPayer, wordOf(page.locale, 'payer', input.freightPayer), fullWidth)
  const policyLabel = input.policyLabelIn?.[page.locale] ?? input.policyLabel
  if (policyLabel) drawField(page, l.policy, policyLabel, fullWidth)
  doc.moveDown(1)
  doc
    .font(page.regular)
    .fontSize(9)
    .fillColor('#333333')
    .text(fitForFont(page, l.attach), { width: fullWidth })
  if (input.terms) drawTerms(page, input.terms, fullWidth)
  return page.finish()
}
