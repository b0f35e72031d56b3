import { isAscii, isUtf8 } from 'node:buffer'
import fs from 'node:fs'
import type { WarrantyCase } from '../contracts/case.ts'
import { AppError } from '../shared/errors.ts'
import type { BatchOutput } from './batch-output.ts'
import { createDecisionLineWriter } from './decision-lines.ts'
import { checkVersion, parseCaseLine } from './parse-case-line.ts'
import type { PolicyLibrary } from './policy-library.ts'

/**
 * Where a batch reads its input: copies up to `length` bytes into `into` at `at` and
 * answers how many it copied, 0 at the end. A file is read in pieces instead of whole:
 * memory a process touches for the first time costs it more than the reading (on the
 * 2-core machine, 145 ms to read 48 MB into a new buffer, 4 ms into one already used).
 */
export type ByteSource = (into: Buffer, at: number, length: number) => number

/** The bytes of a file descriptor (a file, or standard input), read as the batch asks. */
export const fileSource =
  (fd: number): ByteSource =>
  (into, at, length) =>
    fs.readSync(fd, into, at, length, null)

/** Bytes already in memory. */
export function bufferSource(bytes: Uint8Array): ByteSource {
  let read = 0
  return (into, at, length) => {
    const n = Math.min(length, bytes.length - read)
    into.set(bytes.subarray(read, read + n), at)
    read += n
    return n
  }
}

/** Bytes read at a time; a longer line makes the buffer grow to hold it. */
export const INPUT_CHUNK_BYTES = 1 << 20

/**
 * `decide --batch`: decides every line of a JSONL input, validating all of them before
 * deciding any (a bad line writes nothing), and hands the decisions, one JSON line each,
 * to `output` in large byte chunks: a batch's output (~9 KB a decision) can exceed what
 * one string may hold.
 */
export async function decideBatch(
  input: Uint8Array | ByteSource,
  library: PolicyLibrary,
  version: string | undefined,
  output: BatchOutput,
  options: { chunkBytes?: number } = {},
): Promise<void> {
  const cases = readCases(
    typeof input === 'function' ? input : bufferSource(input),
    library,
    options.chunkBytes ?? INPUT_CHUNK_BYTES,
  )
  const byVersion = version === undefined ? undefined : { version }
  if (version !== undefined) {
    // Every case is checked before any is decided, so a wrong version writes nothing.
    for (let i = 0; i < cases.length; i++) checkVersion(library, cases[i]!.policy, version)
  }
  const out = createDecisionLineWriter((chunk) => output.write(chunk), { nextChunk: output.nextChunk })
  for (let i = 0; i < cases.length; i++) {
    out.write(library.decide(cases[i]!, byVersion))
    const drained = output.drain()
    if (drained !== undefined) await drained
  }
  out.end()
  await output.end()
}

/**
 * Every case of the input, validated. Each line is read from the bytes on its own, not from
 * one string of the whole input: that string is a large allocation the batch never needs
 * whole. Text that is all ASCII is read a byte a character. Whole lines are checked to be
 * UTF-8 a piece at a time, which is the same as checking all of them at once: a newline
 * byte is never part of a longer character.
 */
function readCases(source: ByteSource, library: PolicyLibrary, chunkBytes: number): WarrantyCase[] {
  const cases: WarrantyCase[] = []
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
    checkUtf8(piece, line)
    let start = firstPiece && hasByteOrderMark(piece) ? 3 : 0
    firstPiece = false
    const encoding = isAscii(piece) ? 'latin1' : 'utf8'
    while (start < wholeEnd) {
      let end = piece.indexOf(NEWLINE, start)
      if (end < 0) end = wholeEnd
      const text = piece.toString(encoding, start, end)
      start = end + 1
      if (text.trim() !== '') cases.push(parseCaseLine(text, library, line))
      line++
    }
    buffer.copy(buffer, 0, wholeEnd, filled)
    filled -= wholeEnd
  }
  return cases
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
