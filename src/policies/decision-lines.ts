import type { Decision } from '../contracts/decision.ts'
import { decisionHead, decisionTail, traceJson } from './domain/decision-json.ts'

/** Bytes handed to the sink at a time. */
const CHUNK_BYTES = 1 << 20

/**
 * Writes decisions as JSON lines (the text of `stringifyDecision`) into large byte chunks
 * for a sink such as stdout. A trace is ~90% of a line and shared between decisions, so
 * its UTF-8 bytes are encoded once and copied; only the rest of the line is encoded each
 * time. Call `end()` to hand on the last chunk.
 */
export function createDecisionLineWriter(sink: (chunk: Uint8Array) => void) {
  const traceBytes = new WeakMap<object, Buffer>()
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES)
  let used = 0

  // A trace with lines of its own case's facts is this decision's alone: written as text, not kept.
  const bytesOfTrace = (trace: Decision['trace']): Buffer | string => {
    if (!Object.isFrozen(trace)) return traceJson(trace)
    let bytes = traceBytes.get(trace)
    if (bytes === undefined) {
      bytes = Buffer.from(traceJson(trace))
      traceBytes.set(trace, bytes)
    }
    return bytes
  }
  const flush = (): void => {
    if (used === 0) return
    sink(chunk.subarray(0, used))
    // The sink may keep the bytes it was given (an asynchronous stream does): start a new chunk.
    chunk = Buffer.allocUnsafe(CHUNK_BYTES)
    used = 0
  }

  return {
    write(decision: Decision): void {
      const head = decisionHead(decision)
      const trace = bytesOfTrace(decision.trace)
      const tail = `${decisionTail(decision)}\n`
      // A UTF-16 code unit takes at most 3 bytes in UTF-8.
      const most =
        3 * (head.length + tail.length) + (typeof trace === 'string' ? 3 * trace.length : trace.length)
      if (used + most > chunk.length) {
        flush()
        if (most > chunk.length) chunk = Buffer.allocUnsafe(most)
      }
      used += chunk.write(head, used)
      used += typeof trace === 'string' ? chunk.write(trace, used) : trace.copy(chunk, used)
      used += chunk.write(tail, used)
    },
    end: flush,
  }
}
