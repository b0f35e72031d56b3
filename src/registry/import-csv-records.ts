import { parse } from 'csv-parse/sync'

/** Receives one record: its trimmed fields and the line it ends on (1-based, physical lines). */
export type CsvRecordSink = (fields: string[], line: number) => void

/** Marks an error as the file's CSV being malformed (csv-parse's, with the file's line and 1-based column). */
export const CSV_SYNTAX = Symbol('csv syntax')

export interface CsvSyntaxError extends Error {
  code?: string
  line: number
  column: number | undefined
  [CSV_SYNTAX]: true
}

export const isCsvSyntaxError = (error: unknown): error is CsvSyntaxError =>
  error instanceof Error && (error as Partial<CsvSyntaxError>)[CSV_SYNTAX] === true

const CR = 13
const LF = 10
const QUOTE = 34
const COMMA = 44

/**
 * The longest record read, in characters: a unit's row is about a hundred, a model's with its
 * descriptions a few thousand. A longer one is a file that is not what it claims (a quote
 * never closed takes every line after it), and reading on would hold the rest of a 200 MB
 * upload in one string, rescanned on every read.
 */
export const MOST_RECORD_CHARACTERS = 1 << 20

/**
 * The 1-based column of the record `text` begins, at its character `end`: commas outside
 * quotes are counted, and a line break outside quotes starts a record again. A record that
 * runs on without its quote closing is so named by the column its quoted field opened in.
 */
export function columnAt(text: string, end = text.length): number {
  let column = 1
  let quoted = false
  for (let at = 0; at < end && at < text.length; at++) {
    const code = text.charCodeAt(at)
    if (code === QUOTE) quoted = !quoted
    else if (quoted) continue
    else if (code === COMMA) column++
    else if (code === LF || code === CR) column = 1
  }
  return column
}

/** `text` begins the record at `line`; the column named is where it passes the limit. */
function recordTooLong(line: number, text: string): CsvSyntaxError {
  const column = columnAt(text, MOST_RECORD_CHARACTERS + 1)
  return Object.assign(
    new Error(`the record on line ${line} is longer than ${MOST_RECORD_CHARACTERS} characters`),
    { code: 'CSV_RECORD_TOO_LONG', line, column, [CSV_SYNTAX]: true as const },
  )
}

/** Whitespace csv-parse's `trim` removes around a field: space, tab, form feed, CR, LF. */
const isTrimmable = (code: number) => code === 32 || code === 9 || code === 12 || code === CR || code === LF

function trimField(field: string): string {
  const last = field.length - 1
  if (last < 0 || (!isTrimmable(field.charCodeAt(0)) && !isTrimmable(field.charCodeAt(last)))) return field
  let start = 0
  let end = last
  while (start <= end && isTrimmable(field.charCodeAt(start))) start++
  while (end >= start && isTrimmable(field.charCodeAt(end))) end--
  return field.slice(start, end + 1)
}

function countQuotes(text: string): number {
  let count = 0
  for (let at = text.indexOf('"'); at >= 0; at = text.indexOf('"', at + 1)) count++
  return count
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isTrimmable(text.charCodeAt(i))) return false
  return true
}

/**
 * Splits streamed CSV text into records the way csv-parse does with `bom`, `trim` and
 * `skip_empty_lines`. csv-parse costs 12–22 µs a row here, over the whole import budget, so
 * the common line (no quote, no stray carriage return, not blank) is split on commas
 * directly; any other line, together with the lines its quoted field spans, is handed to
 * csv-parse itself. Line numbers are physical lines, where csv-parse counts a CRLF inside a
 * quoted field as two.
 */
export class CsvRecordSplitter {
  private rest = ''
  private line = 0
  private started = false
  /** Raw text of a record being handed to csv-parse, kept until its quotes balance. */
  private held = ''
  private heldQuotes = 0
  private heldFromLine = 0

  constructor(private readonly emit: CsvRecordSink) {}

  push(chunk: string): void {
    let text = this.rest.length > 0 ? this.rest + chunk : chunk
    if (!this.started && text.length > 0) {
      this.started = true
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    let start = 0
    for (let end = text.indexOf('\n', start); end >= 0; end = text.indexOf('\n', start)) {
      this.line++
      this.takeLine(text, start, end + 1)
      start = end + 1
    }
    this.rest = start === 0 ? text : text.slice(start)
    // A line not ended yet (one more character for a CR whose LF comes next).
    if (this.rest.length > MOST_RECORD_CHARACTERS + 1)
      throw this.held.length > 0
        ? recordTooLong(this.heldFromLine, this.held + this.rest)
        : recordTooLong(this.line + 1, this.rest)
    if (this.held.length + this.rest.length > MOST_RECORD_CHARACTERS)
      throw recordTooLong(this.heldFromLine, this.held + this.rest)
  }

  /** Takes the last line when the file does not end with a newline; csv-parse reports an unclosed quote. */
  end(): void {
    if (this.rest.length > 0) {
      this.line++
      this.takeLine(this.rest, 0, this.rest.length)
      this.rest = ''
    }
    if (this.held.length > 0) this.releaseHeld()
  }

  /** `stop` is just past the line's `\n` (or the end of the text on the last line). */
  private takeLine(text: string, start: number, stop: number): void {
    if (this.held.length > 0) {
      const raw = text.slice(start, stop)
      this.held += raw
      if (this.held.length > MOST_RECORD_CHARACTERS) throw recordTooLong(this.heldFromLine, this.held)
      this.heldQuotes += countQuotes(raw)
      if (this.heldQuotes % 2 === 0) this.releaseHeld()
      return
    }
    let end = stop
    if (end > start && text.charCodeAt(end - 1) === LF) end--
    if (end > start && text.charCodeAt(end - 1) === CR) end--
    if (end === start) return
    if (end - start > MOST_RECORD_CHARACTERS) throw recordTooLong(this.line, text.slice(start, end))
    const body = text.slice(start, end)
    if (body.includes('"') || body.includes('\r') || isBlank(body)) {
      this.held = text.slice(start, stop)
      this.heldQuotes = countQuotes(this.held)
      this.heldFromLine = this.line
      if (this.heldQuotes % 2 === 0) this.releaseHeld()
      return
    }
    const fields = body.split(',')
    for (let i = 0; i < fields.length; i++) fields[i] = trimField(fields[i] as string)
    this.emit(fields, this.line)
  }

  private releaseHeld(): void {
    const raw = this.held
    this.held = ''
    this.heldQuotes = 0
    let records: Array<{ record: string[]; info: { lines: number } }>
    try {
      records = parse(raw, {
        bom: false,
        trim: true,
        skip_empty_lines: true,
        relax_column_count: true,
        info: true,
      }) as unknown as typeof records
    } catch (error) {
      if (!(error instanceof Error)) throw error
      // csv-parse numbers lines from the start of the text it was given, and fields from 0.
      // An unclosed quote is found at the end of the text: the line it opened on is the one to
      // put right. csv-parse counts a CRLF inside quotes as two lines, so its count is capped.
      const { code, lines, column } = error as { code?: unknown; lines?: unknown; column?: unknown }
      const counted = typeof lines === 'number' && lines > 0 ? lines : 1
      error.message += ` (in the record starting on line ${this.heldFromLine})`
      throw Object.assign(error, {
        line:
          code === 'CSV_QUOTE_NOT_CLOSED'
            ? this.heldFromLine
            : Math.min(this.heldFromLine - 1 + counted, Math.max(this.line, this.heldFromLine)),
        column: typeof column === 'number' ? column + 1 : undefined,
        [CSV_SYNTAX]: true,
      })
    }
    // One record (the usual case) ends on the current line; a file split by bare carriage
    // returns gives several, numbered as csv-parse counts them, but never past the text's
    // last line (csv-parse counts a CRLF inside quotes as two).
    const breaks = raw.match(/\r\n|\r|\n/g)?.length ?? 0
    const last = this.heldFromLine - 1 + breaks + (/[\r\n]$/.test(raw) ? 0 : 1)
    for (const { record, info } of records) {
      this.emit(record, records.length === 1 ? this.line : Math.min(this.heldFromLine - 1 + info.lines, last))
    }
  }
}
