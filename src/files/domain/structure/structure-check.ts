/**
 * A file's structure checked as it streams in: each format is a chain of steps (read a small
 * header, pass over a counted body, scan for a marker), fed chunks of any size in order.
 * Pure: no I/O, and memory bounded by the largest header, never by the file.
 */

/** A check of one file's structure, fed its bytes in order, in chunks of any size. */
export interface StructureCheck {
  /** Reads the next bytes: the problem found so far, or null while the file may still be whole. */
  push(bytes: Uint8Array): string | null
  /** The file has ended: the problem with it, or null when it is whole. */
  end(): string | null
}

/** What comes after a step: the next one, or the problem that ends the check. */
export type Next = Step | { problem: string }

export type Step =
  /** Collects `read` bytes (at most 16) and hands them over at once. */
  | { read: number; what: string; andThen: (field: Uint8Array) => Next; endsHere?: () => string | null }
  /** Passes over `pass` bytes, showing them to `see` (a checksum) on the way. */
  | { pass: number; what: string; see?: (bytes: Uint8Array) => void; andThen: () => Next }
  /** Takes bytes until it has found what it looks for; `used` may be all of them. */
  | {
      scan: (bytes: Uint8Array, from: number) => { used: number; next?: Next }
      endsHere: () => string | null
    }
  /** The file is whole; any bytes after it are ignored, or refused with `refuse`. */
  | { done: true; refuse?: string }

export const problem = (text: string): { problem: string } => ({ problem: text })

const isProblem = (next: Next): next is { problem: string } => 'problem' in next

const MAX_FIELD = 16

/** Runs a chain of steps from `first` over the bytes pushed to it. */
export function checkSteps(first: Step): StructureCheck {
  const field = new Uint8Array(MAX_FIELD)
  let filled = 0
  let left = 0
  let step: Step = first
  let found: string | null = null

  // A pass of nothing is over as soon as it starts: a chunk of length zero has no data, and
  // the file may end right after it.
  const enter = (next: Next): void => {
    let current = next
    while (!isProblem(current) && 'pass' in current && current.pass === 0) current = current.andThen()
    if (isProblem(current)) {
      found = current.problem
      return
    }
    // No file we take comes near 2^53 bytes, and past it a count would lose bytes.
    if ('pass' in current && !Number.isSafeInteger(current.pass)) {
      found = `${current.what} claims more bytes than any file holds`
      return
    }
    step = current
    if ('pass' in current) left = current.pass
    if ('read' in current && current.read > MAX_FIELD) throw new Error(`A field of ${current.read} bytes`)
  }
  enter(first)

  return {
    push(bytes) {
      let at = 0
      while (found === null && at < bytes.length) {
        const current: Step = step
        if ('read' in current) {
          const n = Math.min(current.read - filled, bytes.length - at)
          field.set(bytes.subarray(at, at + n), filled)
          filled += n
          at += n
          if (filled < current.read) break
          filled = 0
          enter(current.andThen(field.subarray(0, current.read)))
        } else if ('pass' in current) {
          const n = Math.min(left, bytes.length - at)
          current.see?.(bytes.subarray(at, at + n))
          left -= n
          at += n
          if (left === 0) enter(current.andThen())
        } else if ('scan' in current) {
          const outcome = current.scan(bytes, at)
          at = outcome.used
          if (outcome.next) enter(outcome.next)
        } else {
          if (current.refuse !== undefined) found = current.refuse
          break
        }
      }
      return found
    },
    end() {
      if (found !== null) return found
      const current: Step = step
      if ('done' in current) return null
      if ('read' in current) {
        if (filled === 0 && current.endsHere) return current.endsHere()
        return `the file ends inside ${current.what}`
      }
      if ('pass' in current) return `the file ends inside ${current.what}, ${left} bytes short`
      return current.endsHere()
    },
  }
}

export const readU16BE = (b: Uint8Array, at = 0): number => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0)
export const readU32BE = (b: Uint8Array, at = 0): number =>
  (b[at] ?? 0) * 0x1000000 + (((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0))
export const readU32LE = (b: Uint8Array, at = 0): number =>
  (b[at + 3] ?? 0) * 0x1000000 + (((b[at + 2] ?? 0) << 16) | ((b[at + 1] ?? 0) << 8) | (b[at] ?? 0))
export const fourCc = (b: Uint8Array, at = 0): string =>
  String.fromCharCode(b[at] ?? 0, b[at + 1] ?? 0, b[at + 2] ?? 0, b[at + 3] ?? 0)
