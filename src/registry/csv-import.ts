import fs from 'node:fs'
import { parse } from 'csv-parse'
import { stringify } from 'csv-stringify'
import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'

export interface RowReject {
  field: string
  error: string
}

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
  onProgress?(bytesRead: number, totalBytes: number): void
  /** Rows per transaction: a crash loses at most one uncommitted batch, never half of one. */
  batchRows?: number
}

export const isRejection = (value: unknown): value is RowReject =>
  typeof value === 'object' && value !== null && 'error' in value && 'field' in value

/**
 * Streams a CSV file through `prepare` and `write` in transactions of `batchRows` rows.
 * Good rows are kept; bad ones go to a rejects file with their line, field and error.
 */
export async function runCsvImport<T>(db: Db, spec: CsvImportSpec<T>): Promise<ImportSummary> {
  const started = performance.now()
  if (!fs.existsSync(spec.file)) {
    throw new AppError('validation', `FILE: no such file ${spec.file}`, { field: 'FILE' })
  }
  const totalBytes = fs.statSync(spec.file).size
  const rejectsPath = spec.rejectsPath ?? spec.file.replace(/(\.csv)?$/i, '.rejects.csv')
  const batchRows = spec.batchRows ?? 10_000
  const input = fs.createReadStream(spec.file, { highWaterMark: 1 << 20 })
  const parser = input.pipe(
    parse({
      columns: true,
      info: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }),
  )

  let columns: string[] | null = null
  let rejects: ReturnType<typeof stringify> | null = null
  let rejectsDone: Promise<void> | null = null
  let rejected = 0
  let imported = 0
  let seen = 0
  const writeReject = (record: Record<string, string>, line: number, why: RowReject) => {
    rejected++
    if (!rejects) {
      rejects = stringify({ header: true, columns: [...(columns ?? []), 'line', 'field', 'error'] })
      const out = fs.createWriteStream(rejectsPath)
      rejectsDone = new Promise((resolve, reject) => {
        out.on('finish', resolve)
        out.on('error', reject)
      })
      rejects.pipe(out)
    }
    rejects.write({ ...record, line: String(line), field: why.field, error: why.error })
  }

  let pending: PreparedRow<T>[] = []
  const flush = async () => {
    if (pending.length === 0) return
    const rows = pending
    pending = []
    const refused: Array<[PreparedRow<T>, RowReject]> = []
    imported += await db
      .transaction()
      .execute((trx) => spec.write(trx, rows, (row, why) => refused.push([row, why])))
    for (const [row, why] of refused) writeReject(row.record, row.line, why)
    spec.onProgress?.(input.bytesRead, totalBytes)
  }

  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>
      info: { lines: number; columns: Array<{ name: string }> }
    }>) {
      if (columns === null) {
        columns = info.columns.map((c) => c.name)
        const missing = spec.requiredColumns.filter((c) => !columns?.includes(c))
        if (missing.length > 0) {
          throw new AppError('validation', `${spec.file}: missing column ${missing.join(', ')}`, {
            field: missing[0] ?? 'header',
          })
        }
        spec.start?.(columns)
      }
      seen++
      const prepared = spec.prepare(record)
      if (isRejection(prepared)) writeReject(record, info.lines, prepared)
      else pending.push({ value: prepared, line: info.lines, record })
      if (pending.length >= batchRows) await flush()
    }
    await flush()
  } catch (error) {
    if (error instanceof AppError) throw error
    const code = (error as { code?: string }).code
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      throw new AppError('validation', `${spec.file}: ${(error as Error).message}`, {
        field: 'FILE',
        cause: error,
      })
    }
    throw error
  } finally {
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
