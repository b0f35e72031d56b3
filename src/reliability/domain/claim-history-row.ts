import { PROBLEM_KINDS } from '../../contracts/vocabulary.ts'

/**
 * One row of a claims history file from a seller's old system, checked without I/O. The
 * unit, its sale dates and idempotency are checked by the importer against the database.
 */

export const CLAIM_CSV_REQUIRED = ['serial', 'claimedOn', 'problemKind', 'faultConfirmed', 'remedy'] as const

/** The contract's remedies (decision.schema.json), and `none` for a claim closed without one. */
export const IMPORT_REMEDIES = [
  'repair',
  'replace',
  'refund',
  'remote-fix',
  'software-upgrade',
  'paid-repair',
  'none',
] as const
export type ImportRemedy = (typeof IMPORT_REMEDIES)[number]

export const COST_PAYERS = ['vendor', 'dealer', 'manufacturer', 'customer'] as const
export const IMPORT_CURRENCIES = ['USD', 'CNY', 'EUR'] as const

/** Cost columns of the file, the cost kind each becomes and the column naming who paid it. */
export const COST_COLUMNS = [
  { column: 'partsCost', payerColumn: 'partsCostPayer', kind: 'parts' },
  { column: 'labourCost', payerColumn: 'labourCostPayer', kind: 'labour' },
  { column: 'inboundFreight', payerColumn: 'inboundFreightPayer', kind: 'inbound-shipping' },
  { column: 'returnFreight', payerColumn: 'returnFreightPayer', kind: 'return-shipping' },
] as const

export interface ImportedCost {
  kind: (typeof COST_COLUMNS)[number]['kind']
  /** Minor units (cents, fen): every accepted currency has two decimals. */
  amountMinor: number
  payer: (typeof COST_PAYERS)[number]
}

export interface ClaimHistoryRow {
  serial: string
  claimedOn: string
  problemKind: (typeof PROBLEM_KINDS)[number]
  faultConfirmed: boolean
  remedy: ImportRemedy
  currency: (typeof IMPORT_CURRENCIES)[number] | null
  costs: ImportedCost[]
}

export interface RowProblem {
  field: string
  error: string
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/

function isRealDate(value: string): boolean {
  const m = DATE.exec(value)
  if (!m) return false
  const d = new Date(`${value}T00:00:00.000Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}

const oneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value)

/**
 * Checks one record; `today` (YYYY-MM-DD) bounds the claim date, since a history file
 * holds only claims that already happened.
 */
export function parseClaimHistoryRow(
  record: Record<string, string | undefined>,
  today: string,
): ClaimHistoryRow | RowProblem {
  const serial = (record.serial ?? '').trim()
  if (!serial) return { field: 'serial', error: 'is required' }
  if (serial.length > 100) return { field: 'serial', error: 'must be at most 100 characters' }
  const claimedOn = (record.claimedOn ?? '').trim()
  if (!isRealDate(claimedOn)) return { field: 'claimedOn', error: 'must be a real date YYYY-MM-DD' }
  if (claimedOn > today) return { field: 'claimedOn', error: `is after today (${today})` }
  const problemKind = (record.problemKind ?? '').trim()
  if (!oneOf(PROBLEM_KINDS, problemKind))
    return { field: 'problemKind', error: `must be one of ${PROBLEM_KINDS.join(', ')}` }
  const fault = (record.faultConfirmed ?? '').trim().toLowerCase()
  if (fault !== 'true' && fault !== 'false')
    return { field: 'faultConfirmed', error: 'must be true or false' }
  const remedy = (record.remedy ?? '').trim()
  if (!oneOf(IMPORT_REMEDIES, remedy))
    return { field: 'remedy', error: `must be one of ${IMPORT_REMEDIES.join(', ')}` }

  const costs: ImportedCost[] = []
  for (const { column, payerColumn, kind } of COST_COLUMNS) {
    const cell = (record[column] ?? '').trim()
    const payerCell = (record[payerColumn] ?? '').trim()
    if (!cell) {
      if (payerCell) return { field: column, error: `is empty but ${payerColumn} names a payer` }
      continue
    }
    if (!AMOUNT.test(cell))
      return { field: column, error: 'must be an amount such as 120 or 120.50, without a currency sign' }
    if (!oneOf(COST_PAYERS, payerCell))
      return {
        field: payerColumn,
        error: payerCell
          ? `must be one of ${COST_PAYERS.join(', ')}`
          : `is required when ${column} is given (${COST_PAYERS.join(', ')})`,
      }
    const [whole = '0', fraction = ''] = cell.split('.')
    const amountMinor = Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
    if (amountMinor > 0) costs.push({ kind, amountMinor, payer: payerCell })
  }
  const currencyCell = (record.currency ?? '').trim().toUpperCase()
  if (currencyCell && !oneOf(IMPORT_CURRENCIES, currencyCell))
    return { field: 'currency', error: `must be one of ${IMPORT_CURRENCIES.join(', ')}` }
  if (costs.length > 0 && !currencyCell)
    return { field: 'currency', error: 'is required when a cost is given' }

  return {
    serial,
    claimedOn,
    problemKind,
    faultConfirmed: fault === 'true',
    remedy,
    currency: currencyCell ? (currencyCell as ClaimHistoryRow['currency']) : null,
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

/** Everything else the row says, in a fixed order: equal text means the stored claim is already this row. */
export const rowContentText = (row: ClaimHistoryRow): string =>
  JSON.stringify([
    row.faultConfirmed,
    row.remedy,
    row.currency,
    row.costs.map((c) => [c.kind, c.amountMinor, c.payer]),
  ])

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
