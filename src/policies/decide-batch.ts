import { isAscii, isUtf8 } from 'node:buffer'
import fs from 'node:fs'
import type { WarrantyCase } from '../contracts/case.ts'
import { AppError } from '../shared/errors.ts'
import type { BatchOutput } from './batch-output.ts'
import { createDecisionLineWriter } from './decision-lines.ts'
import { CaseFactsTable } from './domain/case-facts.ts'
import type { CompiledPolicy } from './domain/compile-policy.ts'
import { checkVersion, FullCaseCheckNeeded, loadFullCaseCheck, parseCaseLine } from './parse-case-line.ts'
import type { PolicyLibrary } from './policy-library.ts'

/**
 * Where a batch reads its input: copies up to `length` bytes into `into` at `at` and
 * answers how many it copied, 0 at the end. A file is read in pieces instead of whole:
 * memory a process touches for the first time costs it more than the reading (on the
 * 2-core machine, 145 ms to read 48 MB into a new buffer, 4 ms into one already used).
 */
export type ByteSource = (into: Buffer, at: number, length: number) => number

/**
 * A batch's input: `open()` gives its bytes from the start. Every line is validated before
 * any is decided, and the cases are kept between as their facts (see `KEEP_CASES`): an
 * input that can be opened a second time (a file) is read again for the cases past those
 * kept; one that cannot (a pipe) keeps them all.
 */
export interface BatchInput {
  open(): ByteSource
  reopens: boolean
}

/** A file descriptor's bytes: read at positions when it is a file, so it opens again; else as they come. */
export function fileInput(fd: number): BatchInput {
  if (!fs.fstatSync(fd).isFile()) {
    return { open: () => (into, at, length) => fs.readSync(fd, into, at, length, null), reopens: false }
  }
  return {
    open: () => {
      let position = 0
      return (into, at, length) => {
        const n = fs.readSync(fd, into, at, length, position)
        position += n
        return n
      }
    },
    reopens: true,
  }
}

/** Bytes already in memory. */
export function bufferInput(bytes: Uint8Array): BatchInput {
  return {
    open: () => {
      let read = 0
      return (into, at, length) => {
        const n = Math.min(length, bytes.length - read)
        into.set(bytes.subarray(read, read + n), at)
        read += n
        return n
      }
    },
    reopens: true,
  }
}

/**
 * Bytes read at a time; a longer line makes the buffer grow to hold it. Small enough that
 * the string made of them is an ordinary young object: a larger one is mapped afresh each
 * time, and memory touched for the first time is what the batch avoids.
 */
export const INPUT_CHUNK_BYTES = 64 << 10

/**
 * `decide --batch`: decides every line of a JSONL input, validating all of them before
 * deciding any (a bad line writes nothing), and hands the decisions, one JSON line each,
 * to `output` in large byte chunks: a batch's output (~9 KB a decision) can exceed what
 * one string may hold.
 */
export async function decideBatch(
  input: Uint8Array | BatchInput,
  library: PolicyLibrary,
  version: string | undefined,
  output: BatchOutput,
  options: { chunkBytes?: number; keepCases?: number } = {},
): Promise<void> {
  const from = input instanceof Uint8Array ? bufferInput(input) : input
  const chunkBytes = options.chunkBytes ?? INPUT_CHUNK_BYTES
  const byVersion = version === undefined ? undefined : { version }
  // A pipe cannot be read again, so a case that needs the full check must find it loaded.
  if (!from.reopens) await loadFullCaseCheck()
  let kept: Kept
  for (;;) {
    try {
      kept = readFirst(from, library, chunkBytes, byVersion, options.keepCases ?? KEEP_CASES)
      break
    } catch (error) {
      if (!(error instanceof FullCaseCheckNeeded)) throw error
      await loadFullCaseCheck()
    }
  }
  const out = createDecisionLineWriter((chunk) => output.write(chunk), { nextChunk: output.nextChunk })
  const { engines, facts } = kept
  for (let i = 0; i < facts.length; i++) {
    out.write(engines[i]!.decideStored(facts, i))
    const drained = output.drain()
    if (drained !== undefined) await drained
  }
  if (!kept.all) {
    for (const input of casesOf(from.open(), library, chunkBytes, facts.length)) {
      out.write(library.decide(input, byVersion))
      const drained = output.drain()
      if (drained !== undefined) await drained
    }
  }
  out.end()
  await output.end()
}

/**
 * Cases whose facts a batch keeps from its first reading at most, about 10 MB for each
 * 100,000 (a table of numbers, see `CaseFactsTable`): their lines are spared a second
 * parse, which measured slower than keeping them so. Past them, a file is read again for
 * the rest, so a batch of any length fits in bounded memory; a pipe, which cannot be read
 * again, keeps them all.
 */
export const KEEP_CASES = 1 << 20

/** The first cases of a batch, as the facts their versions decide them by. */
interface Kept {
  engines: CompiledPolicy[]
  facts: CaseFactsTable
  /** Whether these are all the cases of the input. */
  all: boolean
}

/** Validates every case of the input, keeping the facts of the first `keepCases` of them (see `KEEP_CASES`). */
function readFirst(
  from: BatchInput,
  library: PolicyLibrary,
  chunkBytes: number,
  byVersion: { version: string } | undefined,
  keepCases: number,
): Kept {
  const most = from.reopens ? keepCases : Number.POSITIVE_INFINITY
  const kept: Kept = { engines: [], facts: new CaseFactsTable(), all: true }
  for (const input of casesOf(from.open(), library, chunkBytes)) {
    // Every case is checked before any is decided, so a wrong version writes nothing.
    if (byVersion !== undefined) checkVersion(library, input.policy, byVersion.version)
    if (kept.facts.length < most) {
      kept.engines.push(library.engineFor(input, byVersion))
      kept.facts.add(input)
    } else kept.all = false
  }
  return kept
}

/**
 * The cases of the input, validated, in order. The input is read a piece of whole lines at
 * a time, never into one string of all of it: that string is a large allocation the batch
 * never needs whole. A piece that is all ASCII is read a byte a character. Pieces are
 * checked to be UTF-8 one by one, which is the same as checking all of them at once: a
 * newline byte is never part of a longer character.
 *
 * Read again (`skip` given: the number of cases decided from their kept facts, whose lines
 * are passed over unparsed), after every line was found valid, a line that no longer is
 * means the input changed under the batch: said as such, since decisions have been
 * written by then.
 */
function* casesOf(
  source: ByteSource,
  library: PolicyLibrary,
  chunkBytes: number,
  skip?: number,
): Generator<WarrantyCase> {
  const again = skip !== undefined
  let index = 0
  let buffer = Buffer.allocUnsafe(chunkBytes)
  let filled = 0
  let ended = false
  let firstPiece = true
  let line = 1
  while (!ended) {
    if (filled === buffer.length) {
      // A line longer than the buffer: double it until the line fits.
      const larger = Buffer.allocUnsafe(buffer.length * 2)
      buffer.copy(larger, 0, 0, filled)
      buffer = larger
    }
    const n = source(buffer, filled, buffer.length - filled)
    filled += n
    ended = n === 0
    // The whole lines read so far, or everything at the end.
    const wholeEnd = ended ? filled : buffer.lastIndexOf(NEWLINE, filled - 1) + 1
    if (wholeEnd === 0 && !ended) continue
    const piece = buffer.subarray(0, wholeEnd)
    if (!again) checkUtf8(piece, line)
    else if (!isUtf8(piece)) throw inputChanged(line)
    const start = firstPiece && hasByteOrderMark(piece) ? 3 : 0
    firstPiece = false
    // The piece's lines are read from one string of it: each line is a slice that points
    // into it (no copy) and that JSON.parse reads in place.
    const pieceText = piece.toString(isAscii(piece) ? 'latin1' : 'utf8', start)
    for (let at = 0; at < pieceText.length; ) {
      let end = pieceText.indexOf('\n', at)
      if (end < 0) end = pieceText.length
      const text = pieceText.slice(at, end)
      at = end + 1
      if (text.trim() !== '') {
        if (!again) yield parseCaseLine(text, library, line)
        else if (index < skip) {
          // Decided from its kept facts.
        } else {
          let input: WarrantyCase
          try {
            input = parseCaseLine(text, library, line)
          } catch {
            throw inputChanged(line)
          }
          yield input
        }
        index++
      }
      line++
    }
    buffer.copy(buffer, 0, wholeEnd, filled)
    filled -= wholeEnd
  }
}

const inputChanged = (line: number): AppError => {
  const field = `line ${line}`
  return new AppError('conflict', { key: 'policies.batch-input-changed', params: { field } }, { field })
}

/**
 * Refuses bytes that are not UTF-8 (a silent U+FFFD would change what a case says); the
 * error names the first line that holds them, counting from `firstLine`.
 */
export function checkUtf8(bytes: Uint8Array, firstLine = 1): void {
  if (isUtf8(bytes)) return
  let line = firstLine
  let start = 0
  for (let at = 0; at <= bytes.length; at++) {
    if (at < bytes.length && bytes[at] !== NEWLINE) continue
    if (!isUtf8(bytes.subarray(start, at))) break
    line++
    start = at + 1
  }
  const field = `line ${line}`
  throw new AppError(
    'validation',
    { key: 'policies.not-utf8', params: { field, encoding: 'UTF-8' } },
    { field },
  )
}

const NEWLINE = 0x0a

/** A leading UTF-8 byte order mark, which a text decoder drops. */
const hasByteOrderMark = (bytes: Buffer): boolean =>
  bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
