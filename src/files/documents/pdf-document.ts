import fs from 'node:fs'
import PDFDocument from 'pdfkit'
import QRCode from 'qrcode'
import type { DocumentLocale } from '../domain/document-labels.ts'

/** Where Debian's `fonts-noto-cjk` and similar packages put a font covering Chinese; the first found is used. */
const CJK_FONT_CANDIDATES = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
]

let cachedCjkFont: { path: string; family: string } | null | undefined

/** A font that covers Chinese, or null. `AFTERCARE_CJK_FONT=<file>[#<postscript name>]` names one explicitly. */
export function findCjkFont(): { path: string; family: string } | null {
  if (cachedCjkFont !== undefined) return cachedCjkFont
  const configured = process.env.AFTERCARE_CJK_FONT
  const candidates = configured
    ? [{ path: configured.split('#')[0] ?? '', family: configured.split('#')[1] ?? '' }]
    : CJK_FONT_CANDIDATES
  cachedCjkFont = candidates.find((c) => c.path && fs.existsSync(c.path)) ?? null
  return cachedCjkFont
}

export interface RenderOptions {
  /** Streams are compressed by default; tests turn it off to read the text. */
  compress?: boolean
}

export interface PdfPage {
  doc: PDFKit.PDFDocument
  /** The locale actually printed: Chinese falls back to English without a CJK font. */
  locale: DocumentLocale
  regular: string
  bold: string
  finish(): Promise<Buffer>
}

/**
 * Starts an A4 document with fixed metadata, so the same input gives the same bytes
 * (the creation date comes from the input, never from the clock).
 */
export function startPdf(
  input: { title: string; locale: DocumentLocale; createdAt: Date },
  options: RenderOptions = {},
): PdfPage {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: options.compress ?? true,
    info: { Title: input.title, Producer: 'Aftercare', Creator: 'Aftercare', CreationDate: input.createdAt },
  })
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  let locale = input.locale
  let regular = 'Helvetica'
  let bold = 'Helvetica-Bold'
  if (input.locale === 'zh') {
    const font = findCjkFont()
    if (font) {
      // One CJK face for all text: a bold face would need a second 16 MB collection.
      doc.registerFont('cjk', font.path, font.family)
      regular = 'cjk'
      bold = 'cjk'
    } else {
      locale = 'en'
    }
  }
  doc.font(regular)
  return {
    doc,
    locale,
    regular,
    bold,
    finish: () => {
      doc.end()
      return ended
    },
  }
}

// Characters the standard PDF fonts can show (WinAnsi): Latin-1 plus a few typographic ones.
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'
const NOT_WIN_ANSI = new RegExp(`[^\\n\\x20-\\x7e\\u00a0-\\u00ff${WIN_ANSI_EXTRA}]`, 'g')

/** Standard fonts cannot show other characters; they become "?" rather than garbage. */
export const fitForFont = (page: PdfPage, text: string): string =>
  page.regular === 'cjk' ? text : text.replace(NOT_WIN_ANSI, '?')

/** The QR matrix for a URL; drawn as vector squares, so the output does not depend on an image encoder. */
export const createQr = (url: string) => QRCode.create(url, { errorCorrectionLevel: 'M' })

export function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number): void {
  const qr = createQr(url)
  const count = qr.modules.size
  const quiet = 4
  const cell = size / (count + quiet * 2)
  doc.save()
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell)
    }
  }
  doc.fill('#000000')
  doc.restore()
}

export interface TableColumn {
  width: number
  align?: 'left' | 'right'
  /** The column's heading, drawn again at the top of each page the table runs onto. */
  header?: string
}

/**
 * One row of a table at the cursor, every cell from the same top, the cursor then below the
 * tallest. A row that would cross the foot of the page goes whole to the next one: drawn cell
 * by cell, the cell that crossed flowed on to a new page while the next cells were drawn at
 * the old page's height on the new one, beside another row, and every row after began at the
 * foot and crossed again, a page or more each. A cell taller than a whole page (no text we
 * print is) is cut with an ellipsis rather than flow. `fontSize` is the cells' size. With
 * `headerFont`, a row that goes over draws the columns' headings first, in that font, so a
 * reader of the next page knows which figure is which.
 */
export function drawTableRow(
  page: PdfPage,
  left: number,
  columns: readonly TableColumn[],
  cells: readonly string[],
  font: string,
  fontSize: number,
  headerFont?: string,
): void {
  const { doc } = page
  const texts = cells.map((cell) => fitForFont(page, cell))
  doc.font(font).fontSize(fontSize)
  const optionsOf = (i: number) => ({
    width: (columns[i]?.width ?? 0) - 4,
    align: columns[i]?.align ?? 'left',
  })
  const height = Math.max(
    0,
    ...texts.map((text, i) => (columns[i] ? doc.heightOfString(text, optionsOf(i)) : 0)),
  )
  const foot = doc.page.height - doc.page.margins.bottom
  if (doc.y + height > foot && doc.y > doc.page.margins.top) {
    doc.addPage()
    if (headerFont !== undefined) {
      drawTableRow(
        page,
        left,
        columns,
        columns.map((c) => c.header ?? ''),
        headerFont,
        fontSize,
      )
      doc.y += 4
      doc.font(font).fontSize(fontSize)
    }
  }
  const y = doc.y
  const room = foot - y
  let x = left
  texts.forEach((text, i) => {
    const column = columns[i]
    if (!column) return
    doc.text(text, x, y, { ...optionsOf(i), ...(height > room ? { height: room, ellipsis: true } : {}) })
    x += column.width
  })
  doc.x = left
  doc.y = y + Math.min(height, room)
}

/** The colon between a label and its value, as the printed language writes it. */
export const colonOf = (page: PdfPage): string => (page.locale === 'zh' ? '：' : ': ')

/** A label above its value, the value wrapped to the width. Returns nothing; the cursor moves down. */
export function drawField(page: PdfPage, label: string, value: string, width: number): void {
  const { doc } = page
  const labelText = fitForFont(page, label)
  const valueText = fitForFont(page, value || '-')
  // A label is never left at the foot of a page with its value on the next: when the label
  // and the value's first line do not fit, both go over.
  const labelHeight = doc.font(page.bold).fontSize(9).heightOfString(labelText, { width })
  const firstLine = doc.font(page.regular).fontSize(11).currentLineHeight(true)
  if (doc.y + labelHeight + firstLine > doc.page.height - doc.page.margins.bottom) doc.addPage()
  doc.font(page.bold).fontSize(9).fillColor('#555555').text(labelText, { width })
  doc.font(page.regular).fontSize(11).fillColor('#000000').text(valueText, { width })
  doc.moveDown(0.5)
}
