import fs from 'node:fs'
import { stringify } from 'csv-stringify'
import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'
import { type Message, render } from '../shared/messages/translate.ts'
import { CsvRecordSplitter } from './import-csv-records.ts'

export interface RowReject {
  field: string
  /** Why, in English (the rejects file's `error` column). */
  error: string
  /** The same as a catalogue message, so the import page can say it in its reader's language. */
  text: Message
}

/** A rejection worded from the message catalogue. */
export const rejectWith = (field: string, text: Message): RowReject => ({
  field,
  error: render('en', text),
  text,
})

export interface PreparedRow<T> {
  value: T
  line: number
  record: Record<string, string>
}

export interface ImportSummary {
  imported: number
  unchanged: number
  rejected: number
  seconds: number
  rowsPerSecond: number
  /** Where the rejected rows were written, or null when none were. */
  rejectsPath: string | null
}

export interface CsvImportSpec<T> {
  file: string
  rejectsPath?: string
  requiredColumns: readonly string[]
  /** Called once with the header, before any row: the spec may decide what a re-import overwrites. */
  start?(columns: string[]): void
  /** Checks one row without I/O; returns its value or why it is rejected. */
  prepare(record: Record<string, string>): T | RowReject
  /** Writes a batch inside a transaction; calls `reject` for rows it refuses; returns rows written or changed. */
  write(
    trx: Db,
    rows: PreparedRow<T>[],
    reject: (row: PreparedRow<T>, why: RowReject) => void,
  ): Promise<number>
  /**
   * Replaces `write` when set: writes a whole batch atomically in its own transaction, for
   * bulk paths that bypass the query builder (the raw SQLite connection).
   */
  writeBatch?(rows: PreparedRow<T>[], reject: (row: PreparedRow<T>, why: RowReject) => void): number
  onProgress?(bytesRead: number, totalBytes: number): void
  /** Rows per transaction: a crash loses at most one uncommitted batch, never half of one. */
  batchRows?: number
}

export const isRejection = (value: unknown): value is RowReject =>
  typeof value === 'object' && value !== null && 'error' in value && 'field' in value

/** A parse error with the code and wording csv-parse uses, so both are reported alike. */
function recordLengthError(expected: number, got: number, line: number): Error {
  return Object.assign(
    new Error(`Invalid Record Length: columns length is ${expected}, got ${got} on line ${line}`),
    { code: 'CSV_RECORD_INCONSISTENT_COLUMNS' },
  )
}

/**
 * Streams a CSV file through `prepare` and `write` in transactions of `batchRows` rows.
 * Good rows are kept; bad ones go to a rejects file with their line, field and error.
 */
export async function runCsvImport<T>(db: Db, spec: CsvImportSpec<T>): Promise<ImportSummary> {
  const started = performance.now()
  if (!fs.existsSync(spec.file)) {
    throw new AppError(
      'validation',
      { key: 'validation.no-such-file', params: { field: 'FILE', file: spec.file } },
      { field: 'FILE' },
    )
  }
  const totalBytes = fs.statSync(spec.file).size
  const rejectsPath = spec.rejectsPath ?? spec.file.replace(/(\.csv)?$/i, '.rejects.csv')
  const batchRows = spec.batchRows ?? 10_000
  const input = fs.createReadStream(spec.file, { highWaterMark: 1 << 20, encoding: 'utf8' })

  let columns: string[] | null = null
  let rejects: ReturnType<typeof stringify> | null = null
  let rejectsDone: Promise<void> | null = null
  let rejected = 0
  let imported = 0
  let seen = 0
  const writeReject = (record: Record<string, string>, line: number, why: RowReject) => {
    rejected++
    if (!rejects) {
      rejects = stringify({
        header: true,
        columns: [...(columns ?? []), 'line', 'field', 'error', 'errorKey', 'errorParams'],
      })
      const out = fs.createWriteStream(rejectsPath)
      rejectsDone = new Promise((resolve, reject) => {
        out.on('finish', resolve)
        out.on('error', reject)
      })
      rejects.pipe(out)
    }
    rejects.write({
      ...record,
      line: String(line),
      field: why.field,
      error: why.error,
      errorKey: why.text.key,
      errorParams: why.text.params ? JSON.stringify(why.text.params) : '',
    })
  }

  let pending: PreparedRow<T>[] = []
  const flush = async () => {
    if (pending.length === 0) return
    const rows = pending.length > batchRows ? pending.slice(0, batchRows) : pending
    pending = rows === pending ? [] : pending.slice(batchRows)
    const refused: Array<[PreparedRow<T>, RowReject]> = []
    const reject = (row: PreparedRow<T>, why: RowReject) => refused.push([row, why])
    imported += spec.writeBatch
      ? spec.writeBatch(rows, reject)
      : await db.transaction().execute((trx) => spec.write(trx, rows, reject))
    for (const [row, why] of refused) writeReject(row.record, row.line, why)
    spec.onProgress?.(input.bytesRead, totalBytes)
  }

  const splitter = new CsvRecordSplitter((fields, line) => {
    if (columns === null) {
      columns = fields
      const missing = spec.requiredColumns.filter((c) => !fields.includes(c))
      if (missing.length > 0) {
        throw new AppError(
          'validation',
          { key: 'import.missing-columns', params: { file: spec.file, columns: missing.join(', ') } },
          {
            field: missing[0] ?? 'header',
          },
        )
      }
      spec.start?.(columns)
      return
    }
    if (fields.length !== columns.length) throw recordLengthError(columns.length, fields.length, line)
    const record: Record<string, string> = {}
    for (let i = 0; i < fields.length; i++) record[columns[i] as string] = fields[i] as string
    seen++
    const prepared = spec.prepare(record)
    if (isRejection(prepared)) writeReject(record, line, prepared)
    else pending.push({ value: prepared, line, record })
  })

  try {
    for await (const chunk of input as AsyncIterable<string>) {
      splitter.push(chunk)
      while (pending.length >= batchRows) await flush()
    }
    splitter.end()
    while (pending.length > 0) await flush()
  } catch (error) {
    if (error instanceof AppError) throw error
    const code = (error as { code?: string }).code
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      throw new AppError(
        'validation',
        { key: 'import.bad-csv', params: { file: spec.file, detail: (error as Error).message } },
        {
          field: 'FILE',
          cause: error,
        },
      )
    }
    throw error
  } finally {
    input.destroy()
    const open = rejects as ReturnType<typeof stringify> | null
    open?.end()
    if (rejectsDone) await rejectsDone
  }
  const seconds = (performance.now() - started) / 1000
  const good = seen - rejected
  return {
    imported,
    unchanged: good - imported,
    rejected,
    seconds,
    rowsPerSecond: seconds > 0 ? seen / seconds : seen,
    rejectsPath: rejected > 0 ? rejectsPath : null,
  }
}

export function formatImportSummary(summary: ImportSummary): string {
  const rate = Math.round(summary.rowsPerSecond).toLocaleString('en-US')
  const where = summary.rejectsPath ? `; rejects in ${summary.rejectsPath}` : ''
  return `imported ${summary.imported}, unchanged ${summary.unchanged}, rejected ${summary.rejected} in ${summary.seconds.toFixed(1)} s (${rate} rows/s)${where}`
}
