import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { finished } from 'node:stream/promises'

/** A file being written that takes its name only once it is whole (see `openWholeFile`). */
export interface WholeFile {
  /** Where the content goes; ending it is left to `commit`, which ends it if the writer did not. */
  readonly stream: fs.WriteStream
  /** Flushes the content to disk and gives it the file's name, replacing what was there. */
  commit(): Promise<void>
  /** Forgets the content; the file keeps what it held. Safe after `commit` and twice. */
  discard(): void
}

/**
 * Opens `file` for writing under a hidden name in the same folder; only `commit` gives the
 * content the file's name, by a rename after it reached the disk. A writer that fails part-way
 * (the database unreachable, the disk full, the process killed) leaves the previous file as it
 * was, never cut short or emptied, and nobody opens a file that is still being written.
 * It is opened here, before any work is done, so a path that cannot be written is refused
 * first: `refuse` turns the system's error into the one to report (naming the flag).
 */
export function openWholeFile(file: string, refuse: (error: unknown) => Error): WholeFile {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.partial`)
  let fd: number
  try {
    if (fs.existsSync(file) && !fs.statSync(file).isFile())
      throw Object.assign(new Error(`${file} is not a file`), { code: 'EISDIR' })
    fd = fs.openSync(partial, 'wx')
  } catch (error) {
    throw refuse(error)
  }
  const stream = fs.createWriteStream(partial, { fd, autoClose: false })
  // A failed write is reported by `finished` in commit (or by the writer's own listener).
  stream.on('error', () => {})
  let open = true
  const close = () => {
    if (!open) return
    open = false
    fs.closeSync(fd)
  }
  return {
    stream,
    async commit() {
      try {
        if (!stream.writableEnded) stream.end()
        await finished(stream)
        fs.fsyncSync(fd)
        close()
        fs.renameSync(partial, file)
      } catch (error) {
        throw refuse(error)
      }
      syncFolder(path.dirname(file))
    },
    discard() {
      if (open) {
        // Destroying the stream closes its descriptor, once any write under way has ended.
        open = false
        stream.destroy()
      }
      fs.rmSync(partial, { force: true })
    },
  }
}

/** Makes a rename in a folder durable; some systems do not open folders, and there it is moot. */
export function syncFolder(folder: string): void {
  let fd: number | undefined
  try {
    fd = fs.openSync(folder, 'r')
    fs.fsyncSync(fd)
  } catch {
    // Not supported here (such as on Windows): the rename is as durable as the system makes it.
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}
