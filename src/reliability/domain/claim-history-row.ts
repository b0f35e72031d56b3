import type { Inspection } from '../../contracts/case.ts'
import { minorDigits } from '../../contracts/money.ts'
import { canonicalSerial, isSerial } from '../../contracts/serial.ts'
import { FINDINGS, PARTIES, PROBLEM_KINDS, REMEDIES } from '../../contracts/vocabulary.ts'
import { type Message, render } from '../../shared/messages/translate.ts'
import { isLaterThanToday, latestToday } from '../../shared/not-later-than-today.ts'

/**
 * One row of a claims history file from a seller's old system, checked without I/O. The
 * unit, its sale dates and idempotency are checked by the importer against the database.
 */

export const CLAIM_CSV_REQUIRED = ['serial', 'claimedOn', 'problemKind', 'faultConfirmed', 'remedy'] as const

/** The contract's remedies (decision.schema.json), and `none` for a claim closed without one. */
export const IMPORT_REMEDIES = [...REMEDIES, 'none'] as const
export type ImportRemedy = (typeof IMPORT_REMEDIES)[number]

/**
 * Why the earlier system gave no free remedy, where the fault was confirmed: an inspection
 * finding (ADJUDICATION.md, Findings), or `not-manufacturing-defect`. A claim whose fault was
 * not confirmed needs none: the policy's no-fault clause says why.
 */
export const IMPORT_EXCLUSIONS = [...FINDINGS, 'not-manufacturing-defect'] as const
export type ImportExclusion = (typeof IMPORT_EXCLUSIONS)[number]

/** Who may pay an imported cost: the contract's parties (decision.schema.json). */
export const COST_PAYERS = PARTIES
/**
 * The currencies a history file may be in: every ISO 4217 code the runtime knows (a seller
 * in Japan kept its costs in yen). Amounts are read with the currency's own decimals.
 */
const IMPORT_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'))
export const isImportCurrency = (code: string): boolean => IMPORT_CURRENCIES.has(code)

/** Cost columns of the file, the cost kind each becomes and the column naming who paid it. */
export const COST_COLUMNS = [
  { column: 'partsCost', payerColumn: 'partsCostPayer', kind: 'parts' },
  { column: 'labourCost', payerColumn: 'labourCostPayer', kind: 'labour' },
  { column: 'inboundFreight', payerColumn: 'inboundFreightPayer', kind: 'inbound-shipping' },
  { column: 'returnFreight', payerColumn: 'returnFreightPayer', kind: 'return-shipping' },
] as const

/** Every column the importer reads. */
export const CLAIM_CSV_COLUMNS: readonly string[] = [
  ...CLAIM_CSV_REQUIRED,
  ...COST_COLUMNS.flatMap(({ column, payerColumn }) => [column, payerColumn]),
  'currency',
  'exclusion',
]

export interface ImportedCost {
  kind: (typeof COST_COLUMNS)[number]['kind']
  /** Minor units of the row's currency (cents, fen; whole yen, for a currency without decimals). */
  amountMinor: number
  payer: (typeof COST_PAYERS)[number]
}

export interface ClaimHistoryRow {
  serial: string
  claimedOn: string
  problemKind: (typeof PROBLEM_KINDS)[number]
  faultConfirmed: boolean
  remedy: ImportRemedy
  /** What the inspection found that ruled out free service; null when nothing is named. */
  exclusion: ImportExclusion | null
  /** An ISO 4217 code in upper case; null for a row without costs that named none. */
  currency: string | null
  costs: ImportedCost[]
}

export interface RowProblem {
  field: string
  /** Why, in English. */
  error: string
  /** The same as a catalogue message, for readers of other languages. */
  text: Message
}

const problem = (field: string, text: Message): RowProblem => ({ field, error: render('en', text), text })

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const AMOUNT = /^(\d{1,12})(?:\.(\d{1,3}))?$/

function isRealDate(value: string): boolean {
  const m = DATE.exec(value)
  if (!m) return false
  const d = new Date(`${value}T00:00:00.000Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}

const oneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value)

/**
 * Checks one record, read at the instant `at`: a history file holds only claims that
 * already happened, so a claim's day is not later than today anywhere on Earth.
 */
export function parseClaimHistoryRow(
  record: Record<string, string | undefined>,
  at: Date | string,
): ClaimHistoryRow | RowProblem {
  // As the units import reads it (contracts/serial.ts): `pla-10105` or full-width `ＰＬＡ－１０１０５`
  // from an old system is the registry's `PLA-10105`, and one claim has one natural key.
  const serial = canonicalSerial(record.serial ?? '')
  if (!serial) return problem('serial', { key: 'import.required' })
  if (!isSerial(serial)) return problem('serial', { key: 'import.serial', params: { value: serial } })
  const claimedOn = (record.claimedOn ?? '').trim()
  if (!isRealDate(claimedOn)) return problem('claimedOn', { key: 'import.date-plain' })
  if (isLaterThanToday(claimedOn, at))
    return problem('claimedOn', { key: 'import.claim.after-today', params: { today: latestToday(at) } })
  const problemKind = (record.problemKind ?? '').trim()
  if (!oneOf(PROBLEM_KINDS, problemKind))
    return problem('problemKind', { key: 'import.one-of', params: { values: PROBLEM_KINDS.join(', ') } })
  const fault = (record.faultConfirmed ?? '').trim().toLowerCase()
  if (fault !== 'true' && fault !== 'false') return problem('faultConfirmed', { key: 'import.boolean-plain' })
  const remedy = (record.remedy ?? '').trim()
  if (!oneOf(IMPORT_REMEDIES, remedy))
    return problem('remedy', { key: 'import.one-of', params: { values: IMPORT_REMEDIES.join(', ') } })
  const exclusionCell = (record.exclusion ?? '').trim().toLowerCase()
  const exclusion = oneOf(IMPORT_EXCLUSIONS, exclusionCell) ? exclusionCell : null
  if (exclusionCell && !exclusion)
    return problem('exclusion', { key: 'import.one-of', params: { values: IMPORT_EXCLUSIONS.join(', ') } })
  if (exclusion && isCoveredRemedy(remedy))
    return problem('exclusion', { key: 'import.claim.exclusion-on-covered', params: { remedy } })

  const currencyCell = (record.currency ?? '').trim().toUpperCase()
  if (currencyCell && !isImportCurrency(currencyCell))
    return problem('currency', { key: 'import.claim.currency', params: { examples: 'USD, CNY, EUR, JPY' } })
  // Before a currency is known, amounts read as most currencies write them, with two decimals.
  const digits = currencyCell ? minorDigits(currencyCell) : 2
  const costs: ImportedCost[] = []
  for (const { column, payerColumn, kind } of COST_COLUMNS) {
    const cell = (record[column] ?? '').trim()
    const payerCell = (record[payerColumn] ?? '').trim()
    if (!cell) {
      if (payerCell)
        return problem(column, { key: 'import.claim.payer-without-cost', params: { payerColumn } })
      continue
    }
    const amount = AMOUNT.exec(cell)
    const [, whole = '0', fraction = ''] = amount ?? []
    if (!amount || fraction.length > digits)
      return problem(
        column,
        digits === 0
          ? { key: 'import.claim.whole-amount', params: { currency: currencyCell, example: '1200' } }
          : {
              key: 'import.claim.amount',
              params: { example: '120', other: `120.${'5'.padEnd(digits, '0')}` },
            },
      )
    if (!oneOf(COST_PAYERS, payerCell))
      return problem(
        payerColumn,
        payerCell
          ? { key: 'import.one-of', params: { values: COST_PAYERS.join(', ') } }
          : { key: 'import.claim.payer-required', params: { column, values: COST_PAYERS.join(', ') } },
      )
    const amountMinor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0')
    if (amountMinor > 0) costs.push({ kind, amountMinor, payer: payerCell })
  }
  if (costs.length > 0 && !currencyCell) return problem('currency', { key: 'import.claim.currency-required' })

  return {
    serial,
    claimedOn,
    problemKind,
    faultConfirmed: fault === 'true',
    remedy,
    exclusion,
    currency: currencyCell || null,
    costs,
  }
}

export const isRowProblem = (value: ClaimHistoryRow | RowProblem): value is RowProblem => 'error' in value

/**
 * The natural key of an imported claim: one unit, one day, one kind of problem. A file
 * re-exported by the old system with a cost corrected or its rows reordered keeps the key,
 * so a re-import updates that claim instead of adding a second one, which a hash of the
 * whole row would do.
 */
export const naturalKeyText = (row: Pick<ClaimHistoryRow, 'serial' | 'claimedOn' | 'problemKind'>): string =>
  `${row.serial}\u0000${row.claimedOn}\u0000${row.problemKind}`

/**
 * Everything else the row says, in a fixed order: equal text means the stored claim is already
 * this row. A row without an exclusion keeps the text rows had before the column existed, so
 * re-importing an old file still changes nothing.
 */
export const rowContentText = (row: ClaimHistoryRow): string =>
  JSON.stringify([
    row.faultConfirmed,
    row.remedy,
    row.currency,
    row.costs.map((c) => [c.kind, c.amountMinor, c.payer]),
    ...(row.exclusion ? [row.exclusion] : []),
  ])

/**
 * The inspection the earlier system made, as the contract states it: the claim is judged on
 * it, so a refusal is explained by the policy's own clause (no fault found, a finding).
 */
export function inspectionOf(row: Pick<ClaimHistoryRow, 'faultConfirmed' | 'exclusion'>): Inspection {
  if (row.exclusion === 'not-manufacturing-defect')
    return { faultConfirmed: row.faultConfirmed, manufacturingDefect: false }
  return row.exclusion
    ? { faultConfirmed: row.faultConfirmed, findings: [row.exclusion] }
    : { faultConfirmed: row.faultConfirmed }
}

/** Whether the warranty covered the claim: a remedy given free of charge. */
export const isCoveredRemedy = (remedy: ImportRemedy): boolean =>
  remedy !== 'none' && remedy !== 'paid-repair'

/** The closing outcome, in the words of the claim lifecycle's close step. */
export function outcomeOf(row: Pick<ClaimHistoryRow, 'faultConfirmed' | 'remedy'>): string {
  if (row.remedy === 'refund') return 'refunded'
  if (row.remedy === 'remote-fix') return 'resolved-remotely'
  if (row.remedy === 'none') return 'returned-unrepaired'
  return 'completed'
}
