import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { type CostLineAmount, totalSpentCostLines } from './cost-line-totals.ts'

const line = fc.record({
  currency: fc.constantFrom('USD', 'CNY', 'EUR'),
  payer: fc.constantFrom('vendor', 'dealer', 'manufacturer', 'customer'),
  amountMinor: fc.integer({ min: 0, max: 1_000_000 }),
  spent: fc.boolean(),
})

const spentSum = (lines: readonly CostLineAmount[], currency: string, payer?: string) =>
  lines
    .filter((l) => l.spent && l.currency === currency && (payer === undefined || l.payer === payer))
    .reduce((sum, l) => sum + l.amountMinor, 0)

test('the totals of cost lines are the sums of the spent lines, per currency and payer, and no unspent line moves them', () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), fc.array(line, { maxLength: 10 }), (lines, extra) => {
      const totals = totalSpentCostLines(lines)
      assert.deepEqual(
        Object.keys(totals).sort(),
        [...new Set(lines.filter((l) => l.spent).map((l) => l.currency))].sort(),
      )
      for (const [currency, total] of Object.entries(totals)) {
        assert.equal(total.amountMinor, spentSum(lines, currency))
        for (const [payer, amount] of Object.entries(total.byPayer))
          assert.equal(amount, spentSum(lines, currency, payer))
        assert.deepEqual(
          Object.keys(total.byPayer).sort(),
          [...new Set(lines.filter((l) => l.spent && l.currency === currency).map((l) => l.payer))].sort(),
        )
      }
      const unspent = extra.map((l) => ({ ...l, spent: false }))
      assert.deepEqual(totalSpentCostLines([...lines, ...unspent]), totals)
    }),
  )
})
