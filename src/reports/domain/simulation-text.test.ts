import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { SimulationResult } from '../report.schemas.ts'
import { formatMinor, formatSimulationText } from './simulation-text.ts'

/** A draft that makes customers pay the way back for one claim out of three. */
function makeReturnFreightResult(): SimulationResult {
  return {
    policy: { id: 'retailer', draftVersion: '2' },
    range: { from: '2025-01-01', to: null },
    summary: {
      compared: 3,
      changed: 1,
      coverageGained: 0,
      coverageLost: 0,
      basisChanges: [],
      remedyChanges: [],
      payerChanges: [{ cost: 'return-shipping', before: 'vendor', after: 'customer', count: 1 }],
      exclusionsGained: {},
      exclusionsLost: {},
      clauseChanges: { 'retailer#return-freight': 1 },
      costShift: [
        {
          currency: 'USD',
          byPayer: [
            { payer: 'customer', delta: 1250 },
            { payer: 'vendor', delta: -1250 },
          ],
          moved: 1250,
        },
      ],
    },
    changes: [
      {
        claimId: 'C-7',
        before: 'retailer@1',
        after: 'retailer@2',
        payers: [{ cost: 'return-shipping', before: 'vendor', after: 'customer' }],
        exclusionsGained: [],
        exclusionsLost: [],
        clauses: [{ clause: 'retailer#return-freight', before: false, after: true }],
      },
    ],
    truncated: false,
    skipped: [],
    skippedCount: 0,
    elapsedMs: 3,
  }
}

test('money is written in major units with its sign', () => {
  assert.equal(formatMinor(1250, 'USD', true), '+12.50 USD')
  assert.equal(formatMinor(-5, 'CNY', true), '-0.05 CNY')
  assert.equal(formatMinor(0, 'EUR', true), '0.00 EUR')
  assert.equal(formatMinor(100000, 'USD'), '1000.00 USD')
})

test('money is written in its own currency’s decimals: whole yen, dinars to the fils', () => {
  assert.equal(formatMinor(1000, 'JPY'), '1000 JPY')
  assert.equal(formatMinor(1000, 'JPY', true), '+1000 JPY')
  assert.equal(formatMinor(-5, 'KRW', true), '-5 KRW')
  assert.equal(formatMinor(1234, 'KWD'), '1.234 KWD')
  // A code the runtime does not know keeps two decimals, as the documents print it.
  assert.equal(formatMinor(1250, 'ABC'), '12.50 ABC')
  assert.equal(formatMinor(1250, 'X1'), '12.50 X1')
})

test('a cost shift in yen is the number of yen moved, not a hundredth of it', () => {
  const result = makeReturnFreightResult()
  result.summary.costShift = [
    {
      currency: 'JPY',
      byPayer: [
        { payer: 'customer', delta: 1500 },
        { payer: 'vendor', delta: -1500 },
      ],
      moved: 1500,
    },
  ]
  assert.ok(
    formatSimulationText(result).includes('  customer +1500 JPY, vendor -1500 JPY (moved 1500 JPY)\n'),
  )
})

test('the text names the range, the payer change, the cost shift and the changed claim', () => {
  const text = formatSimulationText(makeReturnFreightResult())
  assert.equal(
    text,
    [
      'retailer: draft version 2 against 3 past claims (2025-01-01 to today)',
      'changed: 1   coverage gained: 0   coverage lost: 0',
      'payers:',
      '  return-shipping: vendor → customer ×1',
      'clauses that changed weight:',
      '  retailer#return-freight ×1',
      'estimated cost shift:',
      '  customer +12.50 USD, vendor -12.50 USD (moved 12.50 USD)',
      'changed claims:',
      '  C-7  return-shipping vendor → customer; clauses retailer#return-freight',
      '',
    ].join('\n'),
  )
})

test('in Chinese the report words its headings and the codes a reader cannot be asked to know', () => {
  const text = formatSimulationText(makeReturnFreightResult(), 'zh')
  assert.equal(
    text,
    [
      'retailer：草稿版本 2，对照 3 个过往申请（2025-01-01 至 今天）',
      '有变化：1   新获保修：0   失去保修：0',
      '费用承担方：',
      '  寄回客户运费：销售方 → 客户 ×1',
      '作用改变的条款：',
      '  retailer#return-freight ×1',
      '预计费用转移：',
      '  客户 +12.50 USD，销售方 -12.50 USD（转移 12.50 USD）',
      '有变化的申请：',
      '  C-7  寄回客户运费 销售方 → 客户；条款 retailer#return-freight',
      '',
    ].join('\n'),
  )
})
