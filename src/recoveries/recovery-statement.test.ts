import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { findCjkFont } from '../files/documents/pdf-document.ts'
import { extractPdfText, pdfStreams } from '../files/documents/pdf-text.test-support.ts'
import { formatMinor } from '../files/index.ts'
import { translate } from '../shared/messages/translate.ts'
import { toLineRow } from './derive-recoveries.ts'
import { type DerivedLine, deriveRecovery, type RecoveryFacts } from './domain/derive-recovery.ts'
import { recoveryTermsSchema } from './domain/recovery-terms.ts'
import type { RecoveryView } from './recovery.schemas.ts'
import {
  renderRecoveryStatementCsv,
  renderRecoveryStatementPdf,
  STATEMENT_CSV_COLUMNS,
} from './recovery-statement.ts'
import { toLineView } from './recovery-view.ts'

/**
 * The statement in Chinese words every line in Chinese, whichever language the view it is
 * printed from was read in; only what people typed (a part's name) and codes (a repair code)
 * stay as written. The English stays in `description` for the programs that read it.
 */

// Terms that pay every kind of line: parts at list, labour, a recorded leg and flat legs, shares.
const TERMS = recoveryTermsSchema.parse({
  kind: 'recovery-terms',
  id: 'every-line',
  version: '1',
  title: 'Every line',
  source: 'A test',
  effectiveFrom: '2020-01-01',
  effectiveTo: null,
  debtor: { org: 'org-maker' },
  creditor: 'handler',
  currency: 'USD',
  appliesTo: { policies: ['pol'] },
  submitWithinDays: 30,
  returnPart: false,
  costs: [
    { key: 'parts', kind: 'parts', text: 'Parts', price: 'list', listPercent: 125 },
    {
      key: 'labour',
      kind: 'labour',
      text: 'Labour',
      ratePerHourMinor: 4000,
      repairCodes: [{ code: 'CAM-COOLED', hours: 1.5 }],
    },
    {
      key: 'freight',
      kind: 'freight',
      text: 'Freight',
      legs: ['inbound', 'return', 'forward'],
      flatMinor: 900,
    },
    { key: 'refund', kind: 'refund-share', text: 'Refund', percent: 50 },
    {
      key: 'replacement',
      kind: 'replacement-share',
      text: 'Replacement',
      percent: 100,
      unitCostMinor: 30000,
    },
  ],
})

const AT = '2026-01-10T10:00:00.000Z'
const FACTS: RecoveryFacts = {
  claimId: 'claim-1',
  policyId: 'pol',
  timeZone: 'UTC',
  soldOn: '2025-06-01',
  currency: 'USD',
  channel: 'dealer',
  brand: 'own',
  category: 'camera',
  decision: {
    policy: 'pol@1',
    covered: true,
    basis: 'warranty',
    handler: 'dealer',
    payers: {
      parts: 'dealer',
      labour: 'dealer',
      'inbound-shipping': 'dealer',
      'return-shipping': 'dealer',
      'missing-items': null,
      duties: null,
    },
  },
  orgs: { dealer: 'org-dealer', seller: 'org-seller', brand: 'org-maker' },
  costs: [
    {
      id: 'cost-1',
      kind: 'parts',
      description: 'TEC cooler module',
      quantity: 2,
      unitPriceMinor: 5000,
      payer: 'dealer',
      currency: 'USD',
      at: AT,
    },
    {
      id: 'cost-2',
      kind: 'inbound-shipping',
      description: 'Courier in',
      quantity: 1,
      unitPriceMinor: 1500,
      payer: 'dealer',
      currency: 'USD',
      at: AT,
    },
  ],
  work: [
    { type: 'repair', at: AT, eventSeq: 1 },
    { type: 'forward', at: AT, eventSeq: 2 },
    { type: 'return-shipped', at: AT, eventSeq: 3 },
    { type: 'refund', at: AT, eventSeq: 4, amountMinor: 20000 },
    { type: 'replacement', at: AT, eventSeq: 5 },
  ],
}

/** What people typed and what the terms code, shown as written in any language. */
const AS_WRITTEN = ['TEC cooler module', 'Courier in', 'CAM-COOLED']
const withoutWritten = (text: string) => AS_WRITTEN.reduce((rest, kept) => rest.split(kept).join(' '), text)

/** The English words a derivation puts around a line. */
const ENGLISH_FRAME =
  /Labour|standard time|Freight|\bleg\b|flat rate|of the refund|replacement unit|\bat (cost|list)\b/

function derivedLines(): DerivedLine[] {
  const { recoveries, reasons } = deriveRecovery(FACTS, [TERMS])
  assert.deepEqual(reasons, [])
  return recoveries.flatMap((r) => r.lines)
}

/** The recovery claim as an English reader's request answers it: the statement must not care. */
function viewOf(lines: RecoveryView['lines']): RecoveryView {
  return {
    id: 'rec-1',
    state: 'draft',
    partState: 'none',
    returnPart: false,
    creditor: { id: 'org-dealer', name: 'Starlight Optics', onInstallation: true },
    debtor: { id: 'org-maker', name: 'Player One Astronomy', onInstallation: false },
    currency: 'USD',
    period: '2026-01',
    terms: { id: 'every-line', version: '1', title: 'Every line' },
    deadline: '2026-02-09',
    late: false,
    submittedAt: null,
    answeredAt: null,
    paid: null,
    totals: {
      claimedMinor: lines.reduce((sum, l) => sum + l.amountMinor, 0),
      acceptedMinor: 0,
      paidMinor: 0,
      writtenOffMinor: 0,
    },
    lines,
    allowedActions: [],
    yourSide: 'staff',
    version: 1,
    createdAt: AT,
    updatedAt: AT,
  }
}

describe('a recovery statement in Chinese', () => {
  const derived = derivedLines()
  const view = viewOf(derived.map((line) => toLineView(toLineRow('rec-1', line, AT), 'en')))

  test('the terms yield one line of every kind of wording', () => {
    assert.deepEqual(derived.map((l) => l.descriptionKey).sort(), [
      'recovery.line.freight',
      'recovery.line.freight-flat',
      'recovery.line.freight-flat',
      'recovery.line.labour',
      'recovery.line.parts',
      'recovery.line.refund-share',
      'recovery.line.replacement-share',
    ])
    // An English reader's view: the English both ways, as before.
    for (const line of view.lines) assert.equal(line.localDescription, line.description)
  })

  test('the CSV in Chinese words each line in Chinese and keeps the English in description', () => {
    const rows = parse(renderRecoveryStatementCsv(view, 'zh'), { columns: true }) as Record<string, string>[]
    assert.equal(rows.length, derived.length)
    for (const [i, row] of rows.entries()) {
      const line = derived[i]
      assert.ok(line)
      assert.equal(row.description, line.description)
      assert.equal(row.local_description, translate('zh', line.descriptionKey, line.descriptionParams))
      assert.doesNotMatch(withoutWritten(row.local_description ?? ''), /[A-Za-z]/, row.local_description)
    }
    // In English, the new last column is the description itself; no column moved.
    const english = renderRecoveryStatementCsv(view)
    assert.equal(
      english.split('\n')[0],
      `\uFEFF${STATEMENT_CSV_COLUMNS.join(',')}`,
      'marked as UTF-8 for spreadsheets',
    )
    for (const row of parse(english, { columns: true }) as Record<string, string>[])
      assert.equal(row.local_description, row.description)
  })

  test('the PDF in Chinese prints no English line text', { skip: findCjkFont() === null }, async () => {
    const text = extractPdfText(await renderRecoveryStatementPdf(view, 'zh', { compress: false }))
    assert.match(text, /索赔结算单/)
    assert.doesNotMatch(text, ENGLISH_FRAME, text)
    for (const line of derived) {
      assert.ok(!text.includes(line.description), `English line printed: ${line.description}`)
      const chinese = translate('zh', line.descriptionKey, line.descriptionParams)
      assert.ok(text.includes(chinese), `${chinese} not in\n${text}`)
    }
    assert.ok(text.includes('工时 CAM-COOLED：标准工时 1.5 小时'), text)
    assert.ok(text.includes('运费（转寄厂家），按条款的统一费率'), text)
  })

  test('a line filed before lines kept their message is printed in its stored English, in any language', async () => {
    const [first] = derived
    assert.ok(first)
    const old = { ...toLineRow('rec-1', first, AT), description_message_json: null }
    const line = toLineView(old, 'zh')
    assert.equal(line.descriptionKey, null)
    assert.equal(line.descriptionParams, null)
    assert.equal(line.localDescription, first.description)
    const rows = parse(renderRecoveryStatementCsv(viewOf([line]), 'zh'), { columns: true }) as Record<
      string,
      string
    >[]
    assert.equal(rows[0]?.local_description, first.description)
    if (findCjkFont() !== null) {
      const text = extractPdfText(await renderRecoveryStatementPdf(viewOf([line]), 'zh', { compress: false }))
      assert.ok(text.includes(first.description), text)
    }
  })
})

describe('a long recovery statement', () => {
  test('goes over pages row by row: each line’s claim and amount on one page, no page for one cell', async () => {
    const [first] = derivedLines()
    assert.ok(first)
    const base = toLineView(toLineRow('rec-1', first, AT), 'en')
    const description = 'Main board replaced with the sensor and cooling module, tested for a day. '.repeat(6)
    const lines = Array.from({ length: 40 }, (_, i) => ({
      ...base,
      id: `line-${i}`,
      claimId: `c${String(i).padStart(7, '0')}-0000-4000-8000-000000000000`,
      claimNumber: `C-C${String(i).padStart(7, '0')}`,
      description,
      descriptionKey: null,
      descriptionParams: null,
      localDescription: description,
      amountMinor: 10_000 + i,
      capReasonCode: null,
      cappedFromMinor: null,
    }))
    const pdf = await renderRecoveryStatementPdf(viewOf(lines), 'en', { compress: false })
    const pages = pdfStreams(pdf)
      .filter((stream) => stream.includes(' TJ'))
      .map((stream) => extractPdfText(Buffer.from(`stream\n${stream}\nendstream`, 'latin1')))
    for (const [i, line] of lines.entries()) {
      const claim = line.claimNumber
      const page = pages.findIndex((text) => text.includes(claim))
      assert.ok(page >= 0, `${claim} printed`)
      assert.ok(
        pages[page]?.includes(formatMinor(line.amountMinor, 'USD', 'en')),
        `row ${i}: amount on the page of ${claim}`,
      )
    }
    // Six lines of text a row, some eight rows a page.
    assert.ok(pages.length <= 8, `${pages.length} pages`)
    // Each page the table runs onto heads its lines with the columns' names.
    assert.ok(pages.length > 1)
    for (const [i, text] of pages.entries())
      assert.match(text, /Claim[\s\S]*Description[\s\S]*Amount/, `page ${i + 1} has the headings`)
  })
})

describe('the terms a statement is filed under', () => {
  const derived = derivedLines()
  const lines = derived.map((line) => toLineView(toLineRow('rec-1', line, AT), 'en'))
  // Read by an English reader; printed for a Chinese one.
  const shipped = {
    ...viewOf(lines),
    terms: { id: 'player-one-dealer', version: '1', title: 'Player One dealer warranty reimbursement' },
  }

  test('are named by their title in the statement’s language, their code beside it', {
    skip: findCjkFont() === null,
  }, async () => {
    const zh = extractPdfText(await renderRecoveryStatementPdf(shipped, 'zh', { compress: false }))
    assert.ok(zh.includes('Player One 经销商保修服务费用报销，第 1 版（player-one-dealer@1）'), zh)
    const en = extractPdfText(await renderRecoveryStatementPdf(shipped, 'en', { compress: false }))
    assert.ok(en.includes('Player One dealer warranty reimbursement, version 1 (player-one-dealer@1)'), en)
  })

  test('no longer shipped, are named by their code alone', async () => {
    const en = extractPdfText(await renderRecoveryStatementPdf(viewOf(lines), 'en', { compress: false }))
    assert.ok(en.includes('Terms: every-line@1'), en)
  })
})
