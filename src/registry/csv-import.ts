import { isUtf8 } from 'node:buffer'
import fs from 'node:fs'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify'
import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'
import { type Message, type MessageLanguage, render, translate } from '../shared/messages/translate.ts'
import { spreadsheetSafe } from '../shared/spreadsheet-cell.ts'
import { cannotWriteFile } from '../shared/validate.ts'
import {
  CsvRecordSplitter,
  type CsvSyntaxError,
  columnAt,
  isCsvSyntaxError,
  MOST_RECORD_CHARACTERS,
} from './import-csv-records.ts'

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
  /** How errors name the file: the name it was sent under, not where the server keeps it. */
  fileName?: string
  rejectsPath?: string
  /**
   * The row's natural key (a unit's serial, a model's name) and the column it is read from: a
   * second row with a key already in the file is rejected, naming the line it repeats, rather
   * than silently overwriting the first (and, imported again, flipping it back).
   */
  keyOf?: { column: string; of(value: T): string }
  requiredColumns: readonly string[]
  /**
   * The other columns the spec reads. A header naming one of these or a required column in
   * another case (`SERIAL`, `Batch`) is read as that column; any other name is kept as written.
   */
  knownColumns?: readonly string[]
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
  /**
   * With `writeBatch`: runs `body` in one transaction on the connection `writeBatch` writes
   * to, nested in the file's (a savepoint). Each batch is then read, checked and written
   * synchronously inside it, its rows handed to `writeBatch` a thousand at a time, and other
   * work runs between batches.
   */
  inTransaction?(body: () => void): void
  /**
   * With `writeBatch`: asked once, before any row is written, with the file's estimated data
   * rows. A runner it returns wraps the whole import in one transaction: the file is then
   * read, checked and written synchronously inside it by `body` (nothing else runs on the
   * connection meanwhile), then `finish` runs in the same transaction, and a failure anywhere
   * leaves nothing written.
   */
  wholeFile?(
    estimatedRows: number,
  ): ((body: () => void, finish: (trx: Db) => Promise<void>) => Promise<void>) | undefined
  /** Runs after the file's last row is written, in the file's transaction. */
  finish?(trx: Db): Promise<void>
  /** Opens the file's one transaction, where the spec needs more than `db.transaction()`. */
  fileTransaction?(work: (trx: Db) => Promise<void>): Promise<void>
  onProgress?(bytesRead: number, totalBytes: number): void
  /**
   * Rows written at a time, between which other work runs; every batch belongs to the file's
   * one transaction. Under `wholeFile` the whole file is the one batch.
   */
  batchRows?: number
}

/** Where an import writes its rejected rows when not told: beside the file, `units.rejects.csv`. */
export const rejectsPathBeside = (file: string): string => file.replace(/(\.csv)?$/i, '.rejects.csv')

export const isRejection = (value: unknown): value is RowReject =>
  typeof value === 'object' && value !== null && 'error' in value && 'field' in value

/**
 * Another writer held rows or the database the import needed: PostgreSQL's deadlock and
 * serialization failures (two imports of the same serials in another order), SQLite's busy
 * (a server and the command line writing one file). The file's transaction was undone.
 */
const CONTENDED = /^(40P01|40001|SQLITE_BUSY.*)$/

const APOSTROPHE = 39

/**
 * Undoes `spreadsheetSafe`: the exports (and the rejects file) put an apostrophe before a cell
 * a spreadsheet would run as a formula, and a file they wrote reads back as it was.
 */
function fromSpreadsheetCell(cell: string): string {
  return cell.charCodeAt(0) === APOSTROPHE && /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell
}

/**
 * A parse error with the code and wording csv-parse uses, so both are reported alike. Its
 * column is where the row and the header part: the first one the row lacks, or its first
 * one past the header's.
 */
function recordLengthError(expected: number, got: number, line: number): Error {
  return Object.assign(
    new Error(`Invalid Record Length: columns length is ${expected}, got ${got} on line ${line}`),
    { code: 'CSV_RECORD_INCONSISTENT_COLUMNS', line, column: Math.min(expected, got) + 1, expected, got },
  )
}

/**
 * Rows handed to `writeBatch` at a time inside a transaction the spec holds open: few enough
 * to be collected young. Rows held by the ten thousand outlive the young generation and are
 * collected by full collections (garbage collection took a sixth of the import's CPU time
 * with 25,000 rows held a batch).
 */
const ROWS_PER_WRITE = 1_000

/**
 * Streams a CSV file through `prepare` and `write`, `batchRows` rows at a time, in one
 * transaction: the file's good rows all land or, when the file is refused or the import
 * stops, none do. Bad rows go to a rejects file with their line, field and error.
 */
export async function runCsvImport<T>(db: Db, spec: CsvImportSpec<T>): Promise<ImportSummary> {
  const fileName = spec.fileName ?? spec.file
  const started = performance.now()
  if (!fs.existsSync(spec.file)) {
    throw new AppError(
      'validation',
      { key: 'validation.no-such-file', params: { field: 'FILE', file: fileName } },
      { field: 'FILE' },
    )
  }
  const totalBytes = fs.statSync(spec.file).size
  const rejectsPath = spec.rejectsPath ?? rejectsPathBeside(spec.file)
  const batchRows = spec.batchRows ?? 10_000
  const fd = fs.openSync(spec.file, 'r')
  // Fatal: a file a spreadsheet saved in GBK or Windows-1252 would otherwise be read with its
  // Chinese or accented text turned into U+FFFD and stored so, every row seemingly fine.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
  // Small reads keep the rows of one read few, so that inside a transaction the spec holds
  // open they are written and collected while still young.
  const buffer = Buffer.allocUnsafe(1 << 16)
  let bytesRead = 0
  // A character cut by the end of the file is not UTF-8 either.
  const decoded = (read: number): string | null => {
    try {
      return read > 0 ? decoder.decode(buffer.subarray(0, read), { stream: true }) : decoder.decode() || null
    } catch (error) {
      throw error instanceof TypeError ? NOT_UTF8 : error
    }
  }
  /** The next chunk of text, or null at the end of the file. */
  const readChunk = (): string | null => {
    const read = fs.readSync(fd, buffer, 0, buffer.length, null)
    if (bytesRead === 0 && isUtf16(buffer.subarray(0, read))) {
      throw new AppError('validation', { key: 'import.utf16', params: { field: 'FILE' } }, { field: 'FILE' })
    }
    bytesRead += read
    return decoded(read)
  }
  /** The same, read off the event loop: between batches the server's other work gets its turn. */
  const readChunkAsync = () =>
    new Promise<string | null>((resolve, reject) =>
      fs.read(fd, buffer, 0, buffer.length, null, (error, read) => {
        if (error) return reject(error)
        bytesRead += read
        try {
          resolve(decoded(read))
        } catch (failure) {
          reject(failure)
        }
      }),
    )

  let columns: string[] | null = null
  let rejects: ReturnType<typeof stringify> | null = null
  let rejectsDone: Promise<void> | null = null
  let rejected = 0
  let imported = 0
  let seen = 0
  /** The line each key was first met on, for `keyOf`. */
  const firstLineOf = new Map<string, number>()
  let failed = false
  /**
   * Ends the rejects file and waits until it is on disk, refusing the import when it could not
   * be written (the disk full, the folder gone): called before the rows commit, so a run whose
   * rejects are lost keeps none of its rows either, rather than reporting rows nobody can fix.
   */
  const closeRejects = async (): Promise<void> => {
    const open = rejects as ReturnType<typeof stringify> | null
    const done = rejectsDone as Promise<void> | null
    rejects = null
    rejectsDone = null
    open?.end()
    if (!done) return
    try {
      await done
    } catch (error) {
      throw cannotWriteFile(rejectsPath, error, 'rejects')
    }
  }
  const writeReject = (record: Record<string, string>, line: number, why: RowReject) => {
    rejected++
    if (!rejects) {
      rejects = stringify({
        // Opened in a spreadsheet to be put right: with the mark it reads as UTF-8 there.
        bom: true,
        header: true,
        columns: [...(columns ?? []), 'line', 'field', 'error', 'errorKey', 'errorParams'],
      })
      const out = fs.createWriteStream(rejectsPath)
      rejectsDone = new Promise((resolve, reject) => {
        out.on('finish', resolve)
        out.on('error', reject)
      })
      // Read when the rows are about to commit (`closeRejects`); a file that failed to open
      // fails long before, and must not be reported as a promise nobody awaited.
      rejectsDone.catch(() => undefined)
      rejects.pipe(out)
    }
    // The rejects file is opened in a spreadsheet to be put right: the rows' own cells come
    // from the upload, so none of them may run there as a formula.
    const cells: Record<string, string> = {}
    for (const [column, value] of Object.entries(record)) cells[column] = spreadsheetSafe(value)
    rejects.write({
      ...cells,
      line: String(line),
      field: why.field,
      error: why.error,
      errorKey: why.text.key,
      errorParams: why.text.params ? JSON.stringify(why.text.params) : '',
    })
  }

  let pending: PreparedRow<T>[] = []
  const takeBatch = (size = batchRows) => {
    const rows = pending.length > size ? pending.slice(0, size) : pending
    pending = rows === pending ? [] : pending.slice(size)
    return rows
  }
  const flush = async (trx: Db) => {
    if (pending.length === 0) return
    const rows = takeBatch()
    const refused: Array<[PreparedRow<T>, RowReject]> = []
    const reject = (row: PreparedRow<T>, why: RowReject) => refused.push([row, why])
    imported += spec.writeBatch ? spec.writeBatch(rows, reject) : await spec.write(trx, rows, reject)
    for (const [row, why] of refused) writeReject(row.record, row.line, why)
    spec.onProgress?.(bytesRead, totalBytes)
  }
  let ended = false
  /**
   * Whether the lines end in a bare carriage return (old Mac spreadsheets): decided on the
   * first chunk, which holds at least the header's end, and read then as line feeds.
   */
  let crOnly: boolean | undefined
  /** Hands a chunk read to the splitter; null ends the file. */
  const take = (chunk: string | null) => {
    if (chunk === null) {
      splitter.end()
      ended = true
      return
    }
    crOnly ??= !chunk.includes('\n') && chunk.includes('\r')
    splitter.push(crOnly ? chunk.replaceAll('\r', '\n') : chunk)
  }
  const readMore = () => take(readChunk())
  /**
   * Inside a transaction the spec holds open, where nothing may wait: reads, checks and
   * writes until `limit` rows went to `writeBatch` or the file ends.
   */
  const readAndWrite = (writeBatch: NonNullable<CsvImportSpec<T>['writeBatch']>, limit: number) => {
    let taken = 0
    while (taken < limit) {
      if (pending.length < ROWS_PER_WRITE && !ended) {
        readMore()
        continue
      }
      if (pending.length === 0) return
      const rows = takeBatch(Math.min(ROWS_PER_WRITE, limit - taken))
      taken += rows.length
      imported += writeBatch(rows, (row, why) => writeReject(row.record, row.line, why))
      spec.onProgress?.(bytesRead, totalBytes)
    }
  }

  const splitter = new CsvRecordSplitter((fields, line) => {
    if (columns === null) {
      const header = canonicalColumns(fields, [...spec.requiredColumns, ...(spec.knownColumns ?? [])])
      columns = header
      const missing = spec.requiredColumns.filter((c) => !header.includes(c))
      if (missing.length > 0) {
        throw new AppError(
          'validation',
          { key: 'import.missing-columns', params: { file: fileName, line, columns: missing.join(', ') } },
          { field: missing[0] ?? 'header', details: { line } },
        )
      }
      refuseRepeatedColumn(header, fileName, line)
      spec.start?.(columns)
      return
    }
    if (fields.length !== columns.length) throw recordLengthError(columns.length, fields.length, line)
    const record: Record<string, string> = {}
    for (let i = 0; i < fields.length; i++)
      record[columns[i] as string] = fromSpreadsheetCell(fields[i] as string)
    seen++
    const prepared = spec.prepare(record)
    if (isRejection(prepared)) return writeReject(record, line, prepared)
    if (spec.keyOf) {
      const key = spec.keyOf.of(prepared)
      const first = firstLineOf.get(key)
      if (first !== undefined)
        return writeReject(record, line, {
          field: spec.keyOf.column,
          error: `"${key}" is already on line ${first} of this file`,
          text: { key: 'import.duplicate', params: { value: key, line: first } },
        })
      firstLineOf.set(key, line)
    }
    pending.push({ value: prepared, line, record })
  })

  try {
    // The first chunk holds the header (the spec makes its writers from it) and enough rows to
    // estimate the file's; nothing is written before the way to write it is chosen.
    do readMore()
    while (columns === null && !ended)
    const { writeBatch, inTransaction } = spec
    const runWhole =
      writeBatch && seen > 0
        ? spec.wholeFile?.(Math.round((seen * totalBytes) / Math.max(bytesRead, 1)))
        : undefined
    if (writeBatch && runWhole) {
      await runWhole(
        () => readAndWrite(writeBatch, Number.POSITIVE_INFINITY),
        async (trx) => {
          await closeRejects()
          await spec.finish?.(trx)
        },
      )
    } else {
      // The whole file is one transaction, written batch by batch: a bad line late in the file,
      // a failed write or the process killed leaves none of its rows behind, and between
      // batches the server's other work runs (on SQLite, reads on their own connection; writes
      // wait for the commit).
      const fileTransaction =
        spec.fileTransaction ?? ((work: (trx: Db) => Promise<void>) => db.transaction().execute(work))
      await fileTransaction(async (trx) => {
        if (writeBatch && inTransaction) {
          while (!ended || pending.length > 0) {
            inTransaction(() => readAndWrite(writeBatch, batchRows))
            await new Promise((resolve) => setImmediate(resolve))
          }
        } else {
          while (!ended) {
            while (pending.length >= batchRows) await flush(trx)
            take(await readChunkAsync())
          }
          while (pending.length > 0) await flush(trx)
        }
        await closeRejects()
        await spec.finish?.(trx)
      })
    }
    if (columns === null) {
      throw new AppError(
        'validation',
        { key: 'import.empty-file', params: { field: 'FILE', file: fileName } },
        { field: 'FILE' },
      )
    }
  } catch (error) {
    failed = true
    if (error instanceof AppError) throw error
    if (error === NOT_UTF8) throw await notUtf8(spec.file, fileName, crOnly, columns)
    if (isCsvSyntaxError(error)) throw malformed(error, fileName, columns)
    const { code, line } = error as { code?: string; line?: number }
    if (typeof code === 'string' && CONTENDED.test(code)) {
      throw new AppError(
        'conflict',
        { key: 'import.contended', params: { file: fileName } },
        { field: 'FILE', cause: error },
      )
    }
    if (code === 'CSV_RECORD_INCONSISTENT_COLUMNS' && line !== undefined) {
      // The commonest fault of a file edited by hand: a separator too many or too few.
      const { expected, got, column } = error as { expected: number; got: number; column: number }
      throw new AppError(
        'validation',
        { key: 'import.csv-row-length', params: { file: fileName, line, column, got, expected } },
        { field: columns?.[column - 1] ?? 'FILE', cause: error, details: { line, column } },
      )
    }
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      throw new AppError(
        'validation',
        { key: 'import.bad-csv', params: { file: fileName, detail: (error as Error).message } },
        {
          field: 'FILE',
          cause: error,
          ...(line === undefined ? {} : { details: { line } }),
        },
      )
    }
    throw error
  } finally {
    fs.closeSync(fd)
    // On a refusal the rows are rolled back and the file is removed below: how it ended is moot.
    await closeRejects().catch(() => undefined)
    // A file refused whole wrote nothing: a rejects file beside it would read as a partial import.
    // Nor may a run without rejects leave an earlier run's file there, listing rows since put right.
    // Only a file: what stands there otherwise (a folder named by mistake) is the user's.
    if ((failed || rejected === 0) && fs.statSync(rejectsPath, { throwIfNoEntry: false })?.isFile())
      fs.rmSync(rejectsPath)
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

/** Thrown by the reader on bytes that are not UTF-8; the refusal is worded where the file is known. */
const NOT_UTF8 = Symbol('not UTF-8')

/**
 * The refusal of a file that is not UTF-8, naming the first line that is not, and the column
 * where the line before that point is plain (no quote) and the header is known. Lines are
 * physical lines, as the reader counts them. Read again from the start: only a refused file
 * pays for it.
 */
async function notUtf8(
  file: string,
  fileName: string,
  crOnly: boolean | undefined,
  columns: readonly string[] | null,
): Promise<AppError> {
  const at = await firstLineNotUtf8(file, crOnly)
  // Refused on the first read, before the header was taken: read it from its line.
  const header = at.line > 1 ? (columns ?? headerOf(at.header)) : null
  return notUtf8Error('validation', fileName, at.line, at.bytes, header, 'FILE')
}

function headerOf(line: Buffer): string[] | null {
  try {
    const [record] = parse(line, { bom: true, trim: true, to_line: 1 }) as string[][]
    return record ?? null
  } catch {
    return null
  }
}

const LF = 10
const CR = 13

/**
 * The first line (1-based) whose bytes are not UTF-8, its bytes and the header's; a line
 * break byte is never part of a character. Lines end in bare carriage returns when the reader
 * found them so, or, refused on its first read, when the first read has no line feed.
 */
async function firstLineNotUtf8(
  file: string,
  crOnly: boolean | undefined,
): Promise<{ line: number; bytes: Buffer; header: Buffer }> {
  let lineBreak = crOnly === undefined ? undefined : crOnly ? CR : LF
  let line = 1
  let carry: Buffer = Buffer.alloc(0)
  let header: Buffer = Buffer.alloc(0)
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 16 })) {
    const data: Buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer)
    lineBreak ??= lineBreakOf(data)
    const headerEnd = line === 1 ? data.indexOf(lineBreak) : -1
    if (headerEnd >= 0) header = Buffer.from(data.subarray(0, headerEnd))
    const scanned = scanUtf8Lines(data, lineBreak, line)
    if (scanned.found) return { line: scanned.line, bytes: scanned.bytes, header }
    line = scanned.line
    carry = scanned.bytes
  }
  return { line, bytes: carry, header }
}

/** The byte the lines of `data` end in: a bare carriage return when it has no line feed but one. */
export const lineBreakOf = (data: Uint8Array): number => (!data.includes(LF) && data.includes(CR) ? CR : LF)

/**
 * The lines of `data` ended by `lineBreak`, numbered from `firstLine`: the first whose bytes
 * are not UTF-8 (`found`), else the number of the line not ended yet and its bytes so far.
 */
export function scanUtf8Lines(
  data: Buffer,
  lineBreak: number,
  firstLine: number,
): { found: boolean; line: number; bytes: Buffer } {
  let line = firstLine
  let start = 0
  for (let end = data.indexOf(lineBreak); end >= 0; end = data.indexOf(lineBreak, start)) {
    const bytes = data.subarray(start, end)
    if (!isUtf8(bytes)) return { found: true, line, bytes }
    line++
    start = end + 1
  }
  return { found: false, line, bytes: data.subarray(start) }
}

/**
 * Refuses a file whose line `line` (its `bytes`) is not UTF-8; `fallback` is the field named
 * when the column cannot be told (a quote before the bad bytes, or no header yet).
 */
export function notUtf8Error(
  code: 'validation' | 'unsupported-media-type',
  file: string,
  line: number,
  bytes: Uint8Array,
  columns: readonly string[] | null,
  fallback: string,
): AppError {
  const text = new TextDecoder('utf-8').decode(bytes)
  const column = columnAt(text, Math.max(0, text.indexOf('\uFFFD')))
  const name = columns?.[column - 1]
  return new AppError(
    code,
    name
      ? { key: 'import.not-utf8-at', params: { file, line, column, name } }
      : { key: 'import.not-utf8', params: { file, line, column } },
    { field: name || fallback, details: { line, column } },
  )
}

/** A file saved as UTF-16 (with its byte order mark), as some spreadsheets offer "Unicode text". */
export const isUtf16 = (head: Uint8Array): boolean =>
  head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))

/** csv-parse's refusal as the file's error: the line, the column (the first where not known), and what to put right. */
function malformed(error: CsvSyntaxError, file: string, columns: string[] | null): AppError {
  const { line } = error
  const column = error.column ?? 1
  const name = columns?.[column - 1]
  const where = { file, line, column }
  return new AppError(
    'validation',
    error.code === 'INVALID_OPENING_QUOTE'
      ? { key: 'import.csv-stray-quote', params: where }
      : // Text after a closing quote, whether a letter or a space before one (`"PQ-1" x`).
        error.code === 'CSV_INVALID_CLOSING_QUOTE' ||
          error.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE'
        ? { key: 'import.csv-after-quote', params: where }
        : error.code === 'CSV_QUOTE_NOT_CLOSED'
          ? { key: 'import.csv-quote-not-closed', params: where }
          : error.code === 'CSV_RECORD_TOO_LONG'
            ? { key: 'import.csv-record-too-long', params: { ...where, maximum: MOST_RECORD_CHARACTERS } }
            : { key: 'import.csv-unreadable', params: { ...where, detail: error.message } },
    { field: name || 'FILE', cause: error, details: { line, column } },
  )
}

/** The line an import ends with, in the operator's language. */
export function formatImportSummary(summary: ImportSummary, language: MessageLanguage = 'en'): string {
  const rate = Math.round(summary.rowsPerSecond).toLocaleString('en-US')
  const where = summary.rejectsPath
    ? translate(language, 'cli.import.rejects-in', { file: summary.rejectsPath })
    : ''
  const counts = translate(language, 'cli.import.summary', {
    imported: summary.imported,
    unchanged: summary.unchanged,
    rejected: summary.rejected,
    seconds: summary.seconds.toFixed(1),
    rate,
  })
  return `${counts}${where}`
}

/**
 * The header with each name that is a known column but for its case written as the column
 * (older systems export `SERIAL` or `Serial Number` style headers). Read otherwise, `Serial`
 * made a file lack its required `serial`, and an optional `Batch` was silently not read.
 */
export function canonicalColumns(header: readonly string[], known: readonly string[]): string[] {
  const byLowerCase = new Map(known.map((name) => [name.toLowerCase(), name]))
  return header.map((name) => byLowerCase.get(name.toLowerCase()) ?? name)
}

/**
 * Refuses a header (on `line`) naming a column twice, naming both places: which of the two a
 * row's value should be read from is anyone's guess. Empty names (a trailing comma) may repeat.
 */
export function refuseRepeatedColumn(columns: readonly string[], file: string, line: number): void {
  const repeated = columns.findIndex((name, at) => name !== '' && columns.indexOf(name) < at)
  if (repeated < 0) return
  const name = columns[repeated] as string
  const first = columns.indexOf(name) + 1
  const second = repeated + 1
  throw new AppError(
    'validation',
    { key: 'import.duplicate-column', params: { file, line, column: second, name, first, second } },
    { field: name, details: { line, column: second } },
  )
}
