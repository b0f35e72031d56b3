import type { DocumentLocale } from '../domain/document-labels.ts'

export { type PaymentInstructions, paymentInstructionLines } from '../domain/payment-instructions.ts'

import { humanDate } from '../../shared/human-date.ts'
import { colonOf, fitForFont, type PdfPage } from './pdf-document.ts'

/** Who issues the document: printed at the top of quotes and repair orders. */
export interface Letterhead {
  name: string
  addressLines: string[]
  /** E-mail, phone, support hours: one line each. */
  contactLines: string[]
  /** PNG or JPEG bytes of the seller's logo, when one was uploaded. */
  logo?: Buffer
}

export const LETTERHEAD_LABELS = {
  en: {
    issued: 'Issued',
    terms: 'Terms',
    howToPay: 'How to pay',
    quoteDocument: 'Estimate (PDF)',
  },
  zh: {
    issued: '开具日期',
    terms: '条款',
    howToPay: '付款方式',
    quoteDocument: '报价单（PDF）',
  },
} as const satisfies Record<DocumentLocale, Record<string, string>>

/**
 * Draws the letterhead in a column from the top margin; returns the y below it. `issuedOn`
 * (YYYY-MM-DD) is printed as the printed language writes a date: English when a Chinese
 * document fell back to it for want of a font.
 */
export function drawLetterhead(
  page: PdfPage,
  letterhead: Letterhead,
  issuedOn: string,
  width: number,
): number {
  const { doc } = page
  const left = doc.page.margins.left
  let y = doc.page.margins.top
  let textLeft = left
  if (letterhead.logo) {
    try {
      doc.image(letterhead.logo, left, y, { fit: [60, 40] })
      textLeft = left + 70
    } catch {
      // A logo pdfkit cannot read is left out rather than failing the document.
    }
  }
  const textWidth = width - (textLeft - left)
  doc.font(page.bold).fontSize(12).fillColor('#000000').text(fitForFont(page, letterhead.name), textLeft, y, {
    width: textWidth,
  })
  doc.font(page.regular).fontSize(8).fillColor('#333333')
  for (const line of [...letterhead.addressLines, ...letterhead.contactLines])
    doc.text(fitForFont(page, line), { width: textWidth })
  const issued = humanDate(issuedOn, page.locale)
  doc.text(fitForFont(page, `${LETTERHEAD_LABELS[page.locale].issued}${colonOf(page)}${issued}`), {
    width: textWidth,
  })
  doc.fillColor('#000000')
  y = Math.max(doc.y, y + 40) + 8
  doc
    .moveTo(left, y)
    .lineTo(left + width, y)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke()
  doc.x = left
  doc.y = y + 8
  return doc.y
}

/** Draws the terms at the current position, in small print. */
export function drawTerms(page: PdfPage, terms: string, width: number): void {
  const { doc } = page
  doc.moveDown(1)
  doc
    .font(page.bold)
    .fontSize(8)
    .fillColor('#555555')
    .text(fitForFont(page, LETTERHEAD_LABELS[page.locale].terms), {
      width,
    })
  doc.font(page.regular).fontSize(8).text(fitForFont(page, terms), { width })
  doc.fillColor('#000000')
}
