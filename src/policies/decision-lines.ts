import type { Decision, TraceLine } from '../contracts/decision.ts'

/** Bytes handed to the sink at a time. */
export const CHUNK_BYTES = 1 << 20

/**
 * Writes decisions as JSON lines (the text `JSON.stringify` gives) into large byte chunks
 * for a sink such as stdout. A trace is ~90% of a line (the policy's words and their
 * translations, ~9 KB); traces, payers, remedy lists, exclusions and their lists are frozen
 * parts shared between decisions (see `compilePolicy`), so the UTF-8 bytes of each are
 * encoded once and copied; only the rest of the line is encoded each time. Call `end()` to
 * hand on the last chunk.
 */
export function createDecisionLineWriter(
  sink: (chunk: Uint8Array) => void,
  options: {
    /**
     * The next chunk to fill: one the sink has finished with, or a new one (the default,
     * for a sink that keeps what it is given).
     */
    nextChunk?: () => Buffer
  } = {},
) {
  const nextChunk = options.nextChunk ?? (() => Buffer.allocUnsafe(CHUNK_BYTES))
  // UTF-8 bytes of the shared, frozen parts: whole traces, and the policy's trace lines
  // that per-case traces are made of.
  const partBytes = new WeakMap<object, Buffer>()
  let chunk = nextChunk()
  let used = 0

  const bytesOf = (part: object): Buffer => {
    let bytes = partBytes.get(part)
    if (bytes === undefined) {
      bytes = Buffer.from(JSON.stringify(part))
      partBytes.set(part, bytes)
    }
    return bytes
  }
  const flush = (): void => {
    if (used === 0) return
    sink(chunk.subarray(0, used))
    chunk = nextChunk()
    used = 0
  }
  /** Room for `most` more bytes in the chunk. */
  const reserve = (most: number): void => {
    if (used + most <= chunk.length) return
    flush()
    if (most > chunk.length) chunk = Buffer.allocUnsafe(most)
  }
  const put = (bytes: Uint8Array): void => {
    const length = bytes.length
    reserve(length)
    // A few bytes are copied faster by a loop than through the built-in's call.
    if (length <= SHORT) for (let i = 0; i < length; i++) chunk[used + i] = bytes[i]!
    else chunk.set(bytes, used)
    used += length
  }
  // A UTF-16 code unit takes at most 3 bytes in UTF-8.
  const putText = (text: string): void => {
    reserve(3 * text.length)
    used += chunk.write(text, used)
  }
  const putByte = (byte: number): void => {
    reserve(1)
    chunk[used++] = byte
  }
  // Reasons and explanations are a case's own words, most of the text encoded per line:
  // written as they are, between quotes, when JSON would not escape a character of them,
  // saving the copy `JSON.stringify` makes of each.
  const putJsonString = (text: string): void => {
    if (NEEDS_ESCAPE.test(text)) {
      putText(JSON.stringify(text))
      return
    }
    reserve(3 * text.length + 2)
    chunk[used++] = QUOTE
    used += chunk.write(text, used)
    chunk[used++] = QUOTE
  }
  const putWords = (words: { en: string; zh: string }): void => {
    putAscii('{"en":')
    putJsonString(words.en)
    putAscii(',"zh":')
    putJsonString(words.zh)
    putByte(RIGHT_BRACE)
  }
  // Keys, punctuation and dates: one byte a character, written by a loop when short.
  const putAscii = (text: string): void => {
    const length = text.length
    reserve(length)
    if (length <= SHORT) {
      for (let i = 0; i < length; i++) chunk[used + i] = text.charCodeAt(i)
      used += length
    } else used += chunk.write(text, used, 'latin1')
  }
  // A case's own line differs from the policy's only in its `because`: the text before it
  // (the clause, its words and their translations, the outcome) is encoded once per clause
  // text and outcome. Keyed by the words, not the clause id: two versions of a policy share
  // ids, not always words. Translations are one frozen object per clause of a compiled
  // policy, so the same object means the same translation.
  const openings = new Map<
    string,
    { clause: string; outcome: string; translations: object | undefined; bytes: Buffer }[]
  >()
  const openingOf = (line: TraceLine): Buffer => {
    let known = openings.get(line.text)
    if (known === undefined) {
      known = []
      openings.set(line.text, known)
    }
    for (const opening of known) {
      if (
        opening.clause === line.clause &&
        opening.outcome === line.outcome &&
        opening.translations === line.translations
      )
        return opening.bytes
    }
    const { because: _, ...rest } = line
    const bytes = Buffer.from(`${JSON.stringify(rest).slice(0, -1)},"because":`)
    known.push({ clause: line.clause, outcome: line.outcome!, translations: line.translations, bytes })
    return bytes
  }
  const putOwnLine = (line: TraceLine): void => {
    // Lines as the engine makes them, `because` last; anything else is written whole.
    if (
      line.because === undefined ||
      line.outcome === undefined ||
      line.applies !== true ||
      !becauseLast(line)
    ) {
      putText(JSON.stringify(line))
      return
    }
    put(openingOf(line))
    if (isWords(line.because)) putWords(line.because)
    else putText(JSON.stringify(line.because))
    putByte(RIGHT_BRACE)
  }

  // A trace with lines of its own case is a shared trace with a few lines replaced, so
  // the runs of shared lines between them recur from decision to decision: each run's
  // bytes, commas included, are kept and copied whole, found by its first line and checked
  // line by line, instead of every line being looked up and copied on its own.
  const runs = new Map<TraceLine, Run[]>()
  let runBytesKept = 0
  const runBytes = (trace: readonly TraceLine[], from: number, to: number): Buffer => {
    const first = trace[from]!
    const last = trace[to - 1]!
    const length = to - from
    let known = runs.get(first)
    if (known !== undefined) {
      for (let k = 0; k < known.length; k++) {
        const run = known[k]!
        if (run.length === length && run.last === last && sameLines(run.lines, trace, from)) return run.bytes
      }
    }
    const parts: Buffer[] = []
    for (let i = from; i < to; i++) {
      if (i > from) parts.push(COMMA_BYTES)
      parts.push(bytesOf(trace[i]!))
    }
    const bytes = Buffer.concat(parts)
    if (
      runBytesKept + bytes.length <= MAX_RUN_BYTES &&
      (known === undefined || known.length < MAX_RUNS_PER_LINE)
    ) {
      if (known === undefined) {
        known = []
        runs.set(first, known)
      }
      known.push({ length, last, lines: trace.slice(from, to), bytes })
      runBytesKept += bytes.length
    }
    return bytes
  }

  // Short strings repeated on every line (policy, basis, handler), encoded once each.
  const names = new Map<string, Buffer>()
  const putName = (text: string): void => {
    let bytes = names.get(text)
    if (bytes === undefined) {
      bytes = Buffer.from(JSON.stringify(text))
      if (names.size < MAX_NAMES) names.set(text, bytes)
    }
    put(bytes)
  }
  /** A part of a decision, as ready-made bytes when it is frozen and so shared. */
  const putPart = (part: object): void => {
    if (Object.isFrozen(part)) put(bytesOf(part))
    else if (Array.isArray(part) && part.every(isFrozenObject)) {
      // A case's own list of shared items (its exclusions): only the brackets and commas are new.
      putByte(LEFT_BRACKET)
      for (let i = 0; i < part.length; i++) {
        if (i > 0) putByte(COMMA)
        put(bytesOf(part[i]!))
      }
      putByte(RIGHT_BRACKET)
    } else putText(JSON.stringify(part))
  }
  // The decision's fields before its trace, in the order `compilePolicy` creates them.
  const putHead = (d: Decision): void => {
    putAscii('{"policy":')
    putName(d.policy)
    putAscii(d.provisional ? ',"provisional":true,"covered":' : ',"provisional":false,"covered":')
    putAscii(d.covered ? 'true,"basis":' : 'false,"basis":')
    putName(d.basis)
    putAscii(',"remedies":')
    putPart(d.remedies)
    putAscii(',"warranty":')
    if (d.warranty === null) putAscii('null')
    else if (isPeriod(d.warranty)) {
      putAscii('{"starts":"')
      putAscii(d.warranty.starts)
      putAscii('","ends":"')
      putAscii(d.warranty.ends)
      putAscii('"}')
    } else putText(JSON.stringify(d.warranty))
    putAscii(',"exclusions":')
    putPart(d.exclusions)
    putAscii(',"missingEvidence":')
    putPart(d.missingEvidence)
    putAscii(',"payers":')
    putPart(d.payers)
    putAscii(',"handler":')
    putName(d.handler)
    putAscii(',"trace":')
  }

  return {
    write(decision: Decision): void {
      putHead(decision)
      const trace = decision.trace
      if (Object.isFrozen(trace)) put(bytesOf(trace))
      else {
        // A trace with lines of its own case's facts: the policy's lines are copied as
        // ready-made bytes, only this case's few lines are written afresh.
        putByte(LEFT_BRACKET)
        for (let i = 0; i < trace.length; ) {
          if (i > 0) putByte(COMMA)
          const line = trace[i]!
          if (!Object.isFrozen(line)) {
            putOwnLine(line)
            i++
            continue
          }
          let end = i + 1
          while (end < trace.length && Object.isFrozen(trace[end]!)) end++
          put(runBytes(trace, i, end))
          i = end
        }
        putByte(RIGHT_BRACKET)
      }
      if (decision.service !== undefined) putText(`,"service":${JSON.stringify(decision.service)}`)
      const explanation = decision.explanation
      if (explanation !== undefined) {
        putAscii(',"explanation":')
        // Most decisions' words are shared with others of their shape and dates (frozen):
        // their bytes are encoded once.
        if (Object.isFrozen(explanation)) put(bytesOf(explanation))
        else if (isWords(explanation)) putWords(explanation)
        else putText(JSON.stringify(explanation))
      }
      // Rare (dates out of order), so written as JSON.stringify writes it.
      if (decision.dateWarnings !== undefined)
        putText(`,"dateWarnings":${JSON.stringify(decision.dateWarnings)}`)
      putByte(RIGHT_BRACE)
      putByte(NEWLINE)
    },
    end: flush,
  }
}

/** Whether `trace` holds `lines`, the same objects, from `from` on. */
function sameLines(lines: readonly TraceLine[], trace: readonly TraceLine[], from: number): boolean {
  for (let i = 0; i < lines.length; i++) if (lines[i] !== trace[from + i]) return false
  return true
}

/** Bytes of shared runs of trace lines kept at most: a few policies' traces fit many times over. */
const MAX_RUN_BYTES = 64 << 20
/**
 * Runs kept per first line. Every trace of a policy starts with the same line or two, so a
 * policy's runs share few first lines: the five seeds' 100,000-case mix has 278 runs. Past
 * the bound (a policy of many more shapes), the lines are written one by one.
 */
const MAX_RUNS_PER_LINE = 256

/** Shared trace lines that recur together, with their bytes. */
interface Run {
  length: number
  last: TraceLine
  lines: readonly TraceLine[]
  bytes: Buffer
}

const COMMA_BYTES = Buffer.from(',')

/** `because` last, as the engine makes a line. */
function becauseLast(line: TraceLine): boolean {
  let last = ''
  for (const key in line) last = key
  return last === 'because'
}

const isFrozenObject = (item: unknown): item is object =>
  typeof item === 'object' && item !== null && Object.isFrozen(item)

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** A warranty as the engine makes it: `starts`, then `ends`, both days, nothing else. */
const isPeriod = (value: object): value is { starts: string; ends: string } =>
  isStringPair(value, 'starts', 'ends') && DAY.test(value.starts) && DAY.test(value.ends)

/** Words as the engine makes them: `en`, then `zh`, both strings, nothing else. */
const isWords = (value: unknown): value is { en: string; zh: string } => isStringPair(value, 'en', 'zh')

/**
 * An object with the keys `first` and `second`, in that order, both strings, and no other:
 * the shape whose JSON the writer may write piece by piece.
 */
function isStringPair<A extends string, B extends string>(
  value: unknown,
  first: A,
  second: B,
): value is Record<A | B, string> {
  if (typeof value !== 'object' || value === null) return false
  const pair = value as Record<string, unknown>
  if (typeof pair[first] !== 'string' || typeof pair[second] !== 'string') return false
  let keys = 0
  for (const key in pair) {
    if ((keys === 0 && key !== first) || (keys === 1 && key !== second) || keys > 1) return false
    keys++
  }
  return keys === 2
}

/** What `JSON.stringify` escapes in a string: quotes, backslashes, control characters, lone surrogates (and, to keep the test simple, paired ones). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/** Bound on the names remembered, should a caller's decisions carry endless distinct ones. */
const MAX_NAMES = 1024

/** Up to this many bytes, a loop copies faster than `set` or `write` (measured on the batch: their calls cost more than the copy). */
const SHORT = 40

const QUOTE = 0x22
const LEFT_BRACKET = 0x5b
const RIGHT_BRACKET = 0x5d
const RIGHT_BRACE = 0x7d
const COMMA = 0x2c
const NEWLINE = 0x0a
