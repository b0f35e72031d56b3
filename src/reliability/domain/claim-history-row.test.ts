import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { PROBLEM_KINDS } from '../../contracts/vocabulary.ts'
import {
  COST_PAYERS,
  IMPORT_REMEDIES,
  isRowProblem,
  naturalKeyText,
  parseClaimHistoryRow,
  rowContentText,
} from './claim-history-row.ts'

/** Still 31 December at UTC+14, where the day is latest. */
const AT = '2025-12-31T09:00:00.000Z'
const good = {
  serial: 'SN-1',
  claimedOn: '2025-03-04',
  problemKind: 'malfunction',
  faultConfirmed: 'true',
  remedy: 'repair',
}

describe('a claims history row', () => {
  test('any amount with up to two decimals becomes exact minor units, with its payer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom(...COST_PAYERS),
        (whole, cents, payer) => {
          const cell = `${whole}.${String(cents).padStart(2, '0')}`
          const row = parseClaimHistoryRow(
            { ...good, partsCost: cell, partsCostPayer: payer, currency: 'eur' },
            AT,
          )
          assert.ok(!isRowProblem(row), JSON.stringify(row))
          const expected = whole * 100 + cents
          assert.deepEqual(row.costs, expected > 0 ? [{ kind: 'parts', amountMinor: expected, payer }] : [])
          assert.equal(row.currency, 'EUR')
        },
      ),
    )
  })

  test("amounts are read with their currency's own decimals: whole yen, dinars to the fils", () => {
    const parts = (partsCost: string, currency: string) => {
      const row = parseClaimHistoryRow({ ...good, partsCost, partsCostPayer: 'vendor', currency }, AT)
      assert.ok(!isRowProblem(row), JSON.stringify(row))
      return { minor: row.costs[0]?.amountMinor, currency: row.currency }
    }
    assert.deepEqual(parts('1200', 'jpy'), { minor: 1200, currency: 'JPY' })
    assert.deepEqual(parts('1.234', 'KWD'), { minor: 1234, currency: 'KWD' })
    assert.deepEqual(parts('1.2', 'KWD'), { minor: 1200, currency: 'KWD' })
    assert.deepEqual(parts('12.5', 'GBP'), { minor: 1250, currency: 'GBP' })
  })

  test('a yen amount with decimals is refused saying yen have none', () => {
    const row = parseClaimHistoryRow(
      { ...good, partsCost: '1200.5', partsCostPayer: 'vendor', currency: 'JPY' },
      AT,
    )
    assert.ok(isRowProblem(row))
    assert.equal(row.error, 'must be a whole amount such as 1200: JPY has no decimals')
  })

  test('every field it refuses is named', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ serial: ' ' }, 'serial'],
      // No registry serial holds a space or a comma: refused here, not later as "no such unit".
      [{ serial: 'SN 1' }, 'serial'],
      [{ serial: 'SN,1' }, 'serial'],
      [{ claimedOn: '2025-02-29' }, 'claimedOn'],
      [{ claimedOn: '2026-01-01' }, 'claimedOn'],
      [{ problemKind: 'broken' }, 'problemKind'],
      [{ faultConfirmed: 'yes' }, 'faultConfirmed'],
      [{ remedy: 'glue' }, 'remedy'],
      [{ labourCost: '12,50', labourCostPayer: 'vendor', currency: 'USD' }, 'labourCost'],
      [{ labourCost: '12', currency: 'USD' }, 'labourCostPayer'],
      [{ returnFreightPayer: 'vendor' }, 'returnFreight'],
      [{ inboundFreight: '3', inboundFreightPayer: 'vendor' }, 'currency'],
      [{ currency: 'XYZ' }, 'currency'],
      [{ currency: 'RMB' }, 'currency'],
      [{ partsCost: '1200.5', partsCostPayer: 'vendor', currency: 'JPY' }, 'partsCost'],
      [{ partsCost: '1.2345', partsCostPayer: 'vendor', currency: 'KWD' }, 'partsCost'],
      [{ partsCost: '1.234', partsCostPayer: 'vendor', currency: 'USD' }, 'partsCost'],
    ]
    for (const [change, field] of cases) {
      const row = parseClaimHistoryRow({ ...good, ...change }, AT)
      assert.ok(isRowProblem(row), `${JSON.stringify(change)} is refused`)
      assert.equal(row.field, field, JSON.stringify(change))
    }
  })

  test('the natural key ignores everything but serial, day and problem kind; the content sees the rest', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROBLEM_KINDS),
        fc.constantFrom(...IMPORT_REMEDIES),
        fc.boolean(),
        (problemKind, remedy, fault) => {
          const a = parseClaimHistoryRow({ ...good, problemKind, remedy, faultConfirmed: String(fault) }, AT)
          const b = parseClaimHistoryRow(
            { ...good, problemKind, remedy: 'none', faultConfirmed: 'false' },
            AT,
          )
          assert.ok(!isRowProblem(a) && !isRowProblem(b))
          assert.equal(naturalKeyText(a), naturalKeyText(b))
          assert.equal(rowContentText(a) === rowContentText(b), remedy === 'none' && !fault)
        },
      ),
    )
  })

  test('a serial is read as the registry keeps it: upper case, full-width characters as ASCII', () => {
    for (const typed of ['sn-1', ' Sn-1 ', 'ＳＮ－１']) {
      const row = parseClaimHistoryRow({ ...good, serial: typed }, AT)
      assert.ok(!isRowProblem(row), typed)
      assert.equal(row.serial, 'SN-1')
    }
  })
})
