import fs from 'node:fs'
import type { Writable } from 'node:stream'

/**
 * Where `decide --batch` sends its chunks of JSON lines. The batch fills a chunk, hands it
 * on with `write`, and fills the chunk `nextChunk` gives it; between chunks it awaits
 * `drain()` when that returns a promise, so writes under way can complete and a slow
 * reader holds the batch back instead of the batch holding its whole output in memory.
 */
export interface BatchOutput {
  write(chunk: Uint8Array): void
  /** A chunk to fill: one already written, or a new one. */
  nextChunk(): Buffer
  /** A promise when the batch should let the event loop run before going on; else undefined. */
  drain(): Promise<void> | undefined
  /** Resolves once everything handed on is written; rejects with the first failed write. */
  end(): Promise<void>
}

/** Chunks handed on and not yet written, beyond which the batch waits. */
const MOST_QUEUED = 4

/**
 * Writes chunks to a file descriptor, in order, on libuv's thread pool: the copy into the
 * file's pages (a tenth of a batch's time when it is all in one thread) runs on the other
 * core while the batch decides the next chunk. One write at a time keeps the order, with
 * or without a position (a file opened to append has none). Written chunks are filled
 * again instead of new ones being allocated, whose pages the kernel would first have to map.
 */
export function createFileOutput(fd: number, chunkBytes: number): BatchOutput {
  const queue: Uint8Array[] = []
  const spare: Buffer[] = []
  let writing: Uint8Array | undefined
  let handedOn = false
  let failure: Error | undefined
  let wake: (() => void) | undefined

  const settle = (): void => {
    const resume = wake
    wake = undefined
    resume?.()
  }
  const writeNext = (): void => {
    const chunk = queue.shift()
    writing = chunk
    if (chunk === undefined || failure !== undefined) {
      settle()
      return
    }
    const writeFrom = (at: number): void => {
      fs.write(fd, chunk, at, chunk.length - at, null, (error, written) => {
        if (error) {
          failure = error
          queue.length = 0
          writing = undefined
          settle()
          return
        }
        if (at + written < chunk.length) {
          writeFrom(at + written)
          return
        }
        // Subarrays of a whole chunk go back to be filled again; a larger one made for one long line does not.
        if (chunk.byteOffset === 0 && chunk.buffer.byteLength === chunkBytes) {
          spare.push(Buffer.from(chunk.buffer, 0, chunkBytes))
        }
        writeNext()
      })
    }
    writeFrom(0)
  }
  const waitUntil = (done: () => boolean): Promise<void> =>
    new Promise<void>((resolve) => {
      const check = (): void => {
        if (done()) resolve()
        else wake = check
      }
      check()
    })

  return {
    write(chunk) {
      if (failure !== undefined) return
      queue.push(chunk)
      handedOn = true
      if (writing === undefined) writeNext()
    },
    nextChunk: () => spare.pop() ?? Buffer.allocUnsafe(chunkBytes),
    drain() {
      if (failure !== undefined) return Promise.reject(failure)
      if (!handedOn) return undefined
      handedOn = false
      // One turn of the event loop lets a finished write start the next; beyond a few
      // chunks queued, wait for the writes to catch up.
      if (queue.length < MOST_QUEUED) return new Promise((resolve) => setImmediate(resolve))
      return waitUntil(() => failure !== undefined || queue.length < MOST_QUEUED)
    },
    async end() {
      await waitUntil(() => writing === undefined)
      if (failure !== undefined) throw failure
    },
  }
}

/**
 * Chunks to a stream such as standard output into a pipe. The stream keeps each chunk it is
 * given, so every chunk is a new one; the batch waits for `drain` when the stream asks.
 */
export function createStreamOutput(stream: Writable, chunkBytes: number): BatchOutput {
  let failure: Error | undefined
  stream.on('error', (error: Error) => {
    failure ??= error
  })
  return {
    write(chunk) {
      stream.write(chunk)
    },
    nextChunk: () => Buffer.allocUnsafe(chunkBytes),
    drain() {
      if (failure !== undefined) return Promise.reject(failure)
      if (!stream.writableNeedDrain) return undefined
      return new Promise<void>((resolve, reject) => {
        const done = (): void => {
          stream.off('drain', done)
          stream.off('error', done)
          if (failure !== undefined) reject(failure)
          else resolve()
        }
        stream.on('drain', done)
        stream.on('error', done)
      })
    },
    // An empty write's callback runs once the writes before it are done, or failed.
    end: () =>
      new Promise<void>((resolve, reject) => {
        if (failure !== undefined) return reject(failure)
        stream.write(Buffer.alloc(0), (error) => {
          const failed = failure ?? error
          if (failed) reject(failed)
          else resolve()
        })
      }),
  }
}
