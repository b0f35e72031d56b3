import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type SqliteDatabase from 'better-sqlite3'

/** How a checkpoint thread's failure is told; the default prints a process warning on stderr. */
export type CheckpointProblemReporter = (message: string) => void

const warn: CheckpointProblemReporter = (message) =>
  process.emitWarning(message, { code: 'AFTERCARE_CHECKPOINT' })

/**
 * Moves the write-ahead log's checkpoints off the event loop. SQLite checkpoints on the
 * connection whose commit took the log past its threshold, inside that commit: it copies
 * the log's pages into the database file and syncs it. On the server that was every 80 or
 * so commits, 6–16 ms each with the whole event loop waiting (a fifth of the commits' time
 * under the mixed load, and as much added to every request in flight).
 *
 * Here a worker thread with a connection of its own runs a passive checkpoint every
 * `intervalMs` (a second unless told): it copies what no reader still needs and never
 * waits for a lock, so the writer and the readers go on while it works. The writer keeps an automatic checkpoint,
 * at a threshold ten times SQLite's, for a worker that falls behind or has stopped.
 *
 * A failure is told, not swallowed: a checkpoint that fails for any reason but a lock held
 * by someone else is reported once per distinct error, and a thread that dies gives the
 * checkpoints back to the writer at SQLite's own threshold, so the log does not grow to ten
 * times its usual size before anyone copies it.
 *
 * The worker's code is a script evaluated in the thread, not a module file: the command
 * line runs from a bundle, where a separate worker file would have to be built beside it.
 */
export class BackgroundCheckpoint {
  private readonly worker: Worker
  private readonly exited: Promise<void>
  private stopped: Promise<void> | undefined
  private handedBack = false

  constructor(
    private readonly writer: SqliteDatabase.Database,
    file: string,
    options: { intervalMs?: number; report?: CheckpointProblemReporter } = {},
  ) {
    const report = options.report ?? warn
    writer.pragma(`wal_autocheckpoint = ${WRITER_FALLBACK_PAGES}`)
    this.worker = new Worker(WORKER_SCRIPT, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        file,
        intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
      },
      // A loop of pragmas needs little: a small heap keeps the thread's memory small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    })
    this.worker.on('message', (problem: string) => report(`a background checkpoint failed: ${problem}`))
    // The server goes on without the thread; the writer checkpoints as SQLite would.
    this.worker.on('error', (error) => {
      report(`the checkpoint thread stopped (${error.message}); the writer checkpoints the log itself`)
      this.handBack()
    })
    // Listened for from the start: a thread that died early has no exit left to wait for.
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        if (this.stopped === undefined) this.handBack()
        resolve()
      }),
    )
    this.worker.unref()
  }

  /** Gives the writer SQLite's own threshold back, once the thread is gone. */
  private handBack(): void {
    if (this.handedBack || !this.writer.open) return
    try {
      this.writer.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`)
      this.handedBack = true
    } catch {
      // A statement iterating on the writer holds it: try again shortly.
      setTimeout(() => this.handBack(), 50).unref()
    }
  }

  /** Stops the thread after the checkpoint it may be running; idempotent. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      // Unreferenced, the thread would not keep the process alive to see it stop.
      this.worker.ref()
      this.worker.postMessage('stop')
      await this.exited
    })()
    return this.stopped
  }
}

/**
 * A second between checkpoints: under the mixed load, against a tenth of a second, four
 * alternating pairs of runs (two of them beside other work) served 2–26 % more requests at
 * 4–23 % less CPU a request, with fewer passes over the log index and fewer syncs of the
 * database file. The log then holds at most a second of commits, a few thousand pages,
 * below the writer's fallback threshold.
 */
export const CHECKPOINT_INTERVAL_MS = 1_000

/** SQLite's default is 1,000 pages (4 MB); the writer checkpoints only past ten times that. */
export const SQLITE_DEFAULT_PAGES = 1_000
export const WRITER_FALLBACK_PAGES = 10 * SQLITE_DEFAULT_PAGES

const WORKER_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
let lastProblem
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
    lastProblem = undefined
  } catch (error) {
    // Someone else holding a lock is the normal case: the next tick does it.
    if (/^SQLITE_(BUSY|LOCKED)/.test(String(error && error.code))) return
    const problem = String((error && error.message) || error)
    if (problem !== lastProblem) parentPort.postMessage(problem)
    lastProblem = problem
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`
