import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { minorToDecimal } from '../../contracts/money.ts'
import {
  aGoodRecord,
  anyRecord,
  aSerial,
  aSerialSpelling,
  aSpoiling,
  COLUMNS,
  type Record_,
} from '../claim-row-arbitraries.ts'
import {
  type ClaimHistoryRow,
  COST_COLUMNS,
  isRowProblem,
  naturalKeyText,
  parseClaimHistoryRow,
  rowContentText,
} from './claim-history-row.ts'

/** Still 31 December at UTC+14, where the day is latest. */
const AT = '2025-12-31T09:00:00.000Z'

/** The row written back as a history file's cells, in the plainest spelling. */
function recordOf(row: ClaimHistoryRow): Record_ {
  const record: Record_ = {
    serial: row.serial,
    claimedOn: row.claimedOn,
    problemKind: row.problemKind,
    faultConfirmed: String(row.faultConfirmed),
    remedy: row.remedy,
    currency: row.currency ?? '',
    exclusion: row.exclusion ?? '',
  }
  for (const cost of row.costs) {
    const column = COST_COLUMNS.find((c) => c.kind === cost.kind)!
    record[column.column] = minorToDecimal(cost.amountMinor, row.currency ?? 'USD')
    record[column.payerColumn] = cost.payer
  }
  return record
}

describe('claims history rows (properties)', () => {
  test('any record parses to a row that reads back the same when written out, or is refused naming one of its columns', () => {
    fc.assert(
      fc.property(anyRecord, (record) => {
        const row = parseClaimHistoryRow(record, AT)
        if (isRowProblem(row)) {
          assert.ok((COLUMNS as readonly string[]).includes(row.field), `named ${row.field}`)
          assert.ok(row.error.length > 0)
          return
        }
        const again = parseClaimHistoryRow(recordOf(row), AT)
        assert.ok(!isRowProblem(again), JSON.stringify(again))
        assert.deepEqual(again, row)
        assert.equal(naturalKeyText(again), naturalKeyText(row))
        assert.equal(rowContentText(again), rowContentText(row))
      }),
      { numRuns: 1000 },
    )
  })

  test('a good record is accepted in any of its spellings, and means the same as its plainest one', () => {
    fc.assert(
      fc.property(aGoodRecord, (record) => {
        const row = parseClaimHistoryRow(record, AT)
        assert.ok(!isRowProblem(row), `${JSON.stringify(record)}: ${JSON.stringify(row)}`)
        const plain = parseClaimHistoryRow(
          Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v.trim()])),
          AT,
        )
        assert.deepEqual(plain, row)
      }),
      { numRuns: 500 },
    )
  })

  test('one spoilt field is refused, naming that field', () => {
    fc.assert(
      fc.property(aGoodRecord, aSpoiling, (record, spoiling) => {
        const row = parseClaimHistoryRow({ ...record, ...spoiling.change }, AT)
        assert.ok(isRowProblem(row), `${JSON.stringify(spoiling.change)} was accepted`)
        assert.equal(row.field, spoiling.field, `${JSON.stringify(spoiling.change)}: ${row.error}`)
      }),
      { numRuns: 500 },
    )
  })

  test('a serial typed in lower case or full width is the registry’s serial, with the same natural key', () => {
    fc.assert(
      fc.property(
        aSerial.chain((s) => fc.tuple(fc.constant(s), aSerialSpelling(s))),
        aGoodRecord,
        ([serial, typed], record) => {
          const a = parseClaimHistoryRow({ ...record, serial }, AT)
          const b = parseClaimHistoryRow({ ...record, serial: typed }, AT)
          assert.ok(!isRowProblem(a) && !isRowProblem(b), JSON.stringify([a, b]))
          assert.equal(b.serial, serial)
          assert.equal(naturalKeyText(b), naturalKeyText(a))
        },
      ),
      { numRuns: 300 },
    )
  })
})
