import { once } from 'node:events'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type SqliteDatabase from 'better-sqlite3'

/**
 * Moves the write-ahead log's checkpoints off the event loop. SQLite checkpoints on the
 * connection whose commit took the log past its threshold, inside that commit: it copies
 * the log's pages into the database file and syncs it. On the server that was every 80 or
 * so commits, 6–16 ms each with the whole event loop waiting (a fifth of the commits' time
 * under the mixed load, and as much added to every request in flight).
 *
 * Here a worker thread with a connection of its own runs a passive checkpoint every
 * `intervalMs`: it copies what no reader still needs and never waits for a lock, so the
 * writer and the readers go on while it works. The writer keeps an automatic checkpoint,
 * at a threshold ten times SQLite's, for a worker that falls behind or has stopped.
 *
 * The worker's code is a script evaluated in the thread, not a module file: the command
 * line runs from a bundle, where a separate worker file would have to be built beside it.
 */
export class BackgroundCheckpoint {
  private readonly worker: Worker
  private stopped: Promise<void> | undefined

  constructor(writer: SqliteDatabase.Database, file: string, intervalMs = 100) {
    writer.pragma(`wal_autocheckpoint = ${WRITER_FALLBACK_PAGES}`)
    this.worker = new Worker(WORKER_SCRIPT, {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, intervalMs },
      // A loop of pragmas needs little: a small heap keeps the thread's memory small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    })
    // A failed checkpoint leaves the writer's own to do the work; the server goes on.
    this.worker.on('error', () => {})
    this.worker.unref()
  }

  /** Stops the thread after the checkpoint it may be running; idempotent. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      const exited = once(this.worker, 'exit')
      // Unreferenced, the thread would not keep the process alive to see it stop.
      this.worker.ref()
      this.worker.postMessage('stop')
      await exited
    })()
    return this.stopped
  }
}

/** SQLite's default is 1,000 pages (4 MB); the writer checkpoints only past ten times that. */
export const WRITER_FALLBACK_PAGES = 10_000

const WORKER_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {
    // Busy or closing: the next tick, or the writer's own checkpoint, does it.
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`
