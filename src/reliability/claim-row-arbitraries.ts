import fc from 'fast-check'
import { PROBLEM_KINDS } from '../contracts/vocabulary.ts'
import { addDays } from '../shared/day-numbers.ts'
import {
  CLAIM_CSV_REQUIRED,
  COST_COLUMNS,
  COST_PAYERS,
  IMPORT_REMEDIES,
  type ImportRemedy,
  isCoveredRemedy,
} from './domain/claim-history-row.ts'

/**
 * Generated rows of a claims history file: good ones in every spelling people type (padded
 * cells, lower case, full-width serials, upper-case booleans), and one-field spoilings with
 * the field a refusal must name.
 */

export const COLUMNS = [
  ...CLAIM_CSV_REQUIRED,
  ...COST_COLUMNS.flatMap((c) => [c.column, c.payerColumn]),
  'currency',
  'exclusion',
] as const
export type Column = (typeof COLUMNS)[number]
export type Record_ = Partial<Record<Column, string>>

/** A cell as people type it: padded with spaces now and then. */
export const padded = (text: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom('', ' ', '  '), text, fc.constantFrom('', ' ')).map(([a, t, b]) => `${a}${t}${b}`)

const FULL_WIDTH_OFFSET = 0xfee0
/** The ways a serial may be typed: as the registry keeps it, in lower case, in full-width characters. */
export const SERIAL_SPELLINGS = [
  (serial: string) => serial,
  (serial: string) => serial.toLowerCase(),
  (serial: string) =>
    [...serial].map((ch) => String.fromCharCode(ch.charCodeAt(0) + FULL_WIDTH_OFFSET)).join(''),
] as const
/** A serial as it may be typed: upper or lower case, or in full-width characters from a Chinese input method. */
export const aSerialSpelling = (serial: string) =>
  fc.constantFrom(...SERIAL_SPELLINGS.map((spell) => spell(serial)))

export const aSerial = fc
  .tuple(fc.constantFrom('PLA', 'ZEUS', 'SN', 'A1'), fc.integer({ min: 0, max: 99_999 }))
  .map(([prefix, n]) => `${prefix}-${n}`)

export const aDay = fc.integer({ min: 0, max: 9000 }).map((n) => addDays('2001-01-01', n))

/** Currencies of two decimals, none (yen) and three (Kuwaiti dinars). */
export const HISTORY_CURRENCIES = ['USD', 'CNY', 'EUR', 'JPY', 'KWD'] as const
const DECIMALS: Record<(typeof HISTORY_CURRENCIES)[number], number> = {
  USD: 2,
  CNY: 2,
  EUR: 2,
  JPY: 0,
  KWD: 3,
}

/** An amount as people type it in a currency of so many decimals: `12`, `12.5`, `12.05`. */
const anAmountOf = (digits: number) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: 999_999 }),
      digits === 0
        ? fc.constant('')
        : fc
            .tuple(fc.integer({ min: 0, max: digits }), fc.integer({ min: 0, max: 10 ** digits - 1 }))
            .map(([shown, n]) => (shown === 0 ? '' : `.${String(n).padStart(digits, '0').slice(0, shown)}`)),
    )
    .map(([whole, fraction]) => `${whole}${fraction}`)

/** A valid record of one of the serials, claimed on one of the days, each cell in one of its accepted spellings. */
export const aGoodRecordOf = (
  serials: fc.Arbitrary<string>,
  days: fc.Arbitrary<string>,
): fc.Arbitrary<Record_> =>
  fc
    .record({
      serial: serials.chain(aSerialSpelling).chain((s) => padded(fc.constant(s))),
      claimedOn: padded(days),
      problemKind: padded(fc.constantFrom(...PROBLEM_KINDS)),
      faultConfirmed: padded(fc.constantFrom('true', 'false', 'TRUE', 'False')),
      remedy: padded(fc.constantFrom(...IMPORT_REMEDIES)),
      exclusion: padded(fc.constantFrom('liquid-damage', 'LIQUID-DAMAGE', 'Liquid-Damage')),
      priced: fc.constantFrom(...HISTORY_CURRENCIES).chain((code) =>
        fc.record({
          costs: fc.array(
            fc.record({
              at: fc.integer({ min: 0, max: COST_COLUMNS.length - 1 }),
              amount: anAmountOf(DECIMALS[code]),
              payer: fc.constantFrom(...COST_PAYERS),
            }),
            { maxLength: 4 },
          ),
          currency: padded(fc.constantFrom(code, code.toLowerCase())),
        }),
      ),
    })
    .map(({ priced: { costs, currency }, exclusion, ...required }) => {
      // A fault confirmed and no free remedy: the row names what ruled it out, a finding
      // every policy the tests seed excludes whatever the problem.
      const refusedWithFault =
        !isCoveredRemedy(required.remedy.trim() as ImportRemedy) &&
        required.faultConfirmed.trim().toLowerCase() === 'true'
      const record: Record_ = { ...required, ...(refusedWithFault ? { exclusion } : {}) }
      for (const c of costs) {
        const column = COST_COLUMNS[c.at]!
        record[column.column] = c.amount
        record[column.payerColumn] = c.payer
      }
      return costs.length > 0 ? { ...record, currency } : record
    })

/** A valid record of any serial and day. */
export const aGoodRecord = aGoodRecordOf(aSerial, aDay)

/**
 * A spoilt cost in a currency, every other cost emptied: a change of currency would
 * otherwise spoil the good record's own amounts too (yen have no decimals), and the
 * refusal could name another column than the one spoilt.
 */
const onlyCost = (currency: string, cells: Record_): Record_ => ({
  ...Object.fromEntries(
    COST_COLUMNS.flatMap((c) => [
      [c.column, ''],
      [c.payerColumn, ''],
    ]),
  ),
  ...cells,
  currency,
})

/** One way to spoil one field of a good record, and the field a reader must be told about. */
export const aSpoiling: fc.Arbitrary<{ change: Record_; field: Column }> = fc.oneof(
  fc
    .constantFrom('', '   ', 'SN 1', 'SN,1', 'SN\u202e1', '#1', 'A'.repeat(101))
    .map((serial) => ({ change: { serial }, field: 'serial' as const })),
  fc
    .constantFrom('', '2025-02-30', '2025/01/01', '25-01-01', '2026-01-01', '2025-13-01', 'today')
    .map((claimedOn) => ({ change: { claimedOn }, field: 'claimedOn' as const })),
  fc
    .constantFrom('', 'broken', 'malfunctions')
    .map((problemKind) => ({ change: { problemKind }, field: 'problemKind' as const })),
  fc
    .constantFrom('', 'yes', '1', 'maybe')
    .map((faultConfirmed) => ({ change: { faultConfirmed }, field: 'faultConfirmed' as const })),
  fc.constantFrom('', 'glue', 'fix').map((remedy) => ({ change: { remedy }, field: 'remedy' as const })),
  fc
    .constantFrom('water', 'expired', 'no-fault-found', 'liquid damage')
    .map((exclusion) => ({ change: { exclusion }, field: 'exclusion' as const })),
  // A finding beside a free remedy: the row contradicts itself.
  fc
    .constantFrom('repair', 'replace', 'refund', 'remote-fix')
    .map((remedy) => ({ change: { remedy, exclusion: 'liquid-damage' }, field: 'exclusion' as const })),
  fc
    .tuple(fc.constantFrom(...COST_COLUMNS), fc.constantFrom('12,50', '-3', '1e3', '12.345', '$5', '1.'))
    .map(([c, amount]) => ({
      change: onlyCost('USD', { [c.column]: amount, [c.payerColumn]: 'vendor' }),
      field: c.column,
    })),
  fc.constantFrom(...COST_COLUMNS).map((c) => ({
    change: onlyCost('USD', { [c.column]: '10', [c.payerColumn]: '' }),
    field: c.payerColumn,
  })),
  fc.constantFrom(...COST_COLUMNS).map((c) => ({
    change: onlyCost('USD', { [c.column]: '10', [c.payerColumn]: 'nobody' }),
    field: c.payerColumn,
  })),
  fc.constantFrom(...COST_COLUMNS).map((c) => ({
    change: { [c.column]: '', [c.payerColumn]: 'vendor' },
    field: c.column,
  })),
  fc
    .constantFrom('XYZ', 'US', '$', 'RMB', '元')
    .map((currency) => ({ change: { currency }, field: 'currency' as const })),
  fc.constantFrom(...COST_COLUMNS).map((c) => ({
    change: onlyCost('JPY', { [c.column]: '1200.5', [c.payerColumn]: 'vendor' }),
    field: c.column,
  })),
)

/** Any record at all: each cell good, spoilt or missing. */
export const anyRecord: fc.Arbitrary<Record_> = fc
  .tuple(aGoodRecord, fc.array(aSpoiling, { maxLength: 3 }), fc.subarray([...COLUMNS]))
  .map(([good, spoilings, dropped]) => {
    const record: Record_ = { ...good }
    for (const s of spoilings) Object.assign(record, s.change)
    for (const column of dropped) delete record[column]
    return record
  })
