import { stringify } from 'csv-stringify/sync'
import {
  colonOf,
  drawTableRow,
  fitForFont,
  formatMinor,
  type RenderOptions,
  startPdf,
} from '../files/index.ts'
import { humanDate, humanMonth, isCalendarDate } from '../shared/human-date.ts'
import { wordOf } from '../shared/messages/translate.ts'
import { spreadsheetSafe } from '../shared/spreadsheet-cell.ts'
import type { RecoveryView } from './recovery.schemas.ts'
import { termsTitle } from './recovery-view.ts'
import { inLanguage } from './recovery-wording.ts'

/** A line's description in the statement's language, whatever language the view was read in. */
const lineIn = (locale: 'en' | 'zh', line: RecoveryView['lines'][number]): string =>
  inLanguage(locale, line.description, line.descriptionKey, line.descriptionParams)

/**
 * The terms by their title in the statement's language, as the recovery page names them, with
 * the code both sides quote beside it; terms no longer shipped by their code alone.
 */
function termsIn(locale: 'en' | 'zh', terms: RecoveryView['terms']): string {
  const code = `${terms.id}@${terms.version}`
  const title = termsTitle(terms.id, terms.version, locale)
  if (title === terms.id) return code
  return locale === 'zh'
    ? `${title}，第 ${terms.version} 版（${code}）`
    : `${title}, version ${terms.version} (${code})`
}

/**
 * What a counterparty outside the installation receives: the recovery claim as a PDF
 * statement and as CSV rows, each line with its claim, clause, amount (and the cap that cut
 * it) and the answer so far.
 * Equal input gives equal bytes (the date printed is the claim's, not the clock's).
 */
const LABELS = {
  en: {
    title: 'Recovery statement',
    from: 'Creditor',
    to: 'Debtor',
    period: 'Period',
    terms: 'Terms',
    state: 'State',
    deadline: 'Submit by',
    late: 'Submitted late',
    claim: 'Claim',
    clause: 'Clause',
    description: 'Description',
    amount: 'Amount',
    accepted: 'Accepted',
    total: 'Total claimed',
    totalAccepted: 'Total accepted',
    paid: 'Paid',
    part: 'Send the failed part back on request',
    capped: {
      'clause-cap': 'Cut by the clause cap',
      'per-claim-cap': 'Cut by the per-claim cap',
      'filed-for-another-creditor': 'Filed already for the former creditor of the claim',
    },
    before: 'before the cap',
  },
  zh: {
    title: '索赔结算单',
    from: '债权方',
    to: '债务方',
    period: '期间',
    terms: '条款',
    state: '状态',
    deadline: '提交截止',
    late: '逾期提交',
    claim: '申请',
    clause: '条款',
    description: '说明',
    amount: '金额',
    accepted: '认可',
    total: '索赔合计',
    totalAccepted: '认可合计',
    paid: '已付',
    part: '如有要求，请寄回故障件',
    capped: {
      'clause-cap': '按条款上限削减',
      'per-claim-cap': '按单个申请上限削减',
      'filed-for-another-creditor': '此项费用已为该申请的原债权方提交',
    },
    before: '削减前',
  },
} as const

export async function renderRecoveryStatementPdf(
  view: RecoveryView,
  locale: 'en' | 'zh',
  options: RenderOptions = {},
): Promise<Buffer> {
  const page = startPdf(
    { title: `${LABELS[locale].title} ${view.id}`, locale, createdAt: new Date(view.createdAt) },
    options,
  )
  const { doc } = page
  const l = LABELS[page.locale]
  const money = (minor: number) => formatMinor(minor, view.currency, page.locale)
  // Written as the document's reader writes them; the codes (the terms' beside their title,
  // clauses) stay as they are, since both sides quote them when they answer line by line.
  const colon = colonOf(page)
  const day = (date: string) => (isCalendarDate(date) ? humanDate(date, page.locale) : date)
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right
  doc.font(page.bold).fontSize(18).text(fitForFont(page, l.title))
  doc.moveDown(0.5).font(page.regular).fontSize(10)
  for (const [label, value] of [
    [l.from, view.creditor.name],
    [l.to, view.debtor.name],
    [l.period, /^\d{4}-\d{2}$/.test(view.period) ? humanMonth(view.period, page.locale) : view.period],
    [l.terms, termsIn(page.locale, view.terms)],
    [l.state, wordOf(page.locale, 'recovery-state', view.state)],
    [l.deadline, `${day(view.deadline)}${view.late ? ` (${l.late})` : ''}`],
  ] as const)
    doc.text(fitForFont(page, `${label}${colon}${value}`))
  doc.moveDown(1)
  const columns = [
    { header: l.claim, width: width * 0.18 },
    { header: l.description, width: width * 0.4 },
    { header: l.clause, width: width * 0.18 },
    { header: l.amount, width: width * 0.12 },
    { header: l.accepted, width: width * 0.12 },
  ]
  // A line that goes over to a new page takes the headings with it.
  const drawRow = (cells: string[], font: string, headerFont?: string) => {
    drawTableRow(page, left, columns, cells, font, 9, headerFont)
    doc.y += 4
  }
  drawRow(
    columns.map((c) => c.header),
    page.bold,
  )
  for (const line of view.lines)
    drawRow(
      [
        line.claimNumber,
        line.capReasonCode && line.cappedFromMinor !== null
          ? `${lineIn(page.locale, line)}\n${l.capped[line.capReasonCode]} (${l.before}${colon}${money(line.cappedFromMinor)})`
          : lineIn(page.locale, line),
        line.clause,
        money(line.amountMinor),
        line.acceptedMinor === null ? '' : money(line.acceptedMinor),
      ],
      page.regular,
      page.bold,
    )
  doc.moveDown(0.5)
  doc.x = left
  doc.font(page.bold).fontSize(11)
  doc.text(fitForFont(page, `${l.total}${colon}${money(view.totals.claimedMinor)}`), left, doc.y, {
    width,
    align: 'right',
  })
  doc.text(fitForFont(page, `${l.totalAccepted}${colon}${money(view.totals.acceptedMinor)}`), left, doc.y, {
    width,
    align: 'right',
  })
  if (view.paid)
    doc.text(
      fitForFont(
        page,
        `${l.paid}${colon}${money(view.paid.amountMinor)} (${day(view.paid.on)}, ${view.paid.reference})`,
      ),
      left,
      doc.y,
      {
        width,
        align: 'right',
      },
    )
  if (view.returnPart)
    doc.moveDown(1).font(page.regular).fontSize(9).text(fitForFont(page, l.part), left, doc.y, { width })
  return page.finish()
}

export const STATEMENT_CSV_COLUMNS = [
  'recovery_id',
  'creditor',
  'debtor',
  'currency',
  'period',
  'state',
  'line_id',
  'claim_id',
  'kind',
  'leg',
  'clause',
  'description',
  'work_on',
  'deadline',
  'amount_minor',
  'accepted_minor',
  'reason_code',
  'capped_from_minor',
  'cap_reason_code',
  'local_description',
] as const

/**
 * One row per line, so the counterparty's own system can import and answer it line by line.
 * `description` is the derivation's English, as it always was; `local_description`, last so
 * no column moves, is the line in `locale`.
 */
export function renderRecoveryStatementCsv(view: RecoveryView, locale: 'en' | 'zh' = 'en'): string {
  return stringify(
    view.lines.map((line) => [
      view.id,
      spreadsheetSafe(view.creditor.name),
      spreadsheetSafe(view.debtor.name),
      view.currency,
      view.period,
      view.state,
      line.id,
      line.claimId,
      line.kind,
      line.leg ?? '',
      line.clause,
      spreadsheetSafe(line.description),
      line.workOn,
      line.deadline,
      line.amountMinor,
      line.acceptedMinor ?? '',
      line.reasonCode ?? '',
      line.cappedFromMinor ?? '',
      line.capReasonCode ?? '',
      spreadsheetSafe(lineIn(locale, line)),
    ]),
    // With the byte-order mark, a spreadsheet reads the Chinese of `local_description` as such.
    { bom: true, header: true, columns: [...STATEMENT_CSV_COLUMNS] },
  )
}
