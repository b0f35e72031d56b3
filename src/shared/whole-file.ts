import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
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

/** Another process, alive, is writing the same file: two writers would leave one's content or the other's, not what either asked for. */
export class FileBeingWritten extends Error {
  readonly code = 'EBUSY'
  constructor(
    readonly file: string,
    readonly pid: number | undefined,
  ) {
    super(`EBUSY: ${file} is being written by process ${pid ?? '?'}`)
  }
}

/**
 * Opens `file` for writing under a hidden name in the same folder; only `commit` gives the
 * content the file's name, by a rename after it reached the disk. A writer that fails part-way
 * (the database unreachable, the disk full) leaves the previous file as it was, never cut short
 * or emptied, and nobody opens a file that is still being written.
 * It is opened here, before any work is done, so a path that cannot be written is refused
 * first: `refuse` turns the system's error into the one to report (naming the flag).
 *
 * The hidden name carries this host and process, so the next writer can tell a partial file
 * left by a process killed part-way, which nothing else would remove, from one still being
 * written: it removes the first and refuses to start beside the second (`FileBeingWritten`).
 */
export function openWholeFile(file: string, refuse: (error: unknown) => Error): WholeFile {
  const folder = path.dirname(file)
  const partial = path.join(folder, partialName(file, process.pid))
  let fd: number
  try {
    if (fs.existsSync(file) && !fs.statSync(file).isFile())
      throw Object.assign(new Error(`${file} is not a file`), { code: 'EISDIR' })
    clearPartials(file)
    try {
      fd = fs.openSync(partial, 'wx')
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code === 'EEXIST'
        ? new FileBeingWritten(file, process.pid)
        : error
    }
    openHere.add(partial)
    // Two writers that started together each made their file before looking again: the one
    // that looks last sees both and gives way, so at most one goes on (both may give way).
    try {
      clearPartials(file)
    } catch (error) {
      openHere.delete(partial)
      fs.closeSync(fd)
      fs.rmSync(partial, { force: true })
      throw error
    }
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
  let forgotten = false
  const forget = () => {
    if (forgotten) return
    forgotten = true
    openHere.delete(partial)
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
        forget()
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
      // Once committed the hidden name is free; another writer may hold it by now.
      if (forgotten) return
      fs.rmSync(partial, { force: true })
      forget()
    },
  }
}

/** Partial files this process has open: one with this process's number but not listed was left by a dead process that had the same number. */
const openHere = new Set<string>()

// A hash, not the name: a host name may hold dashes and dots, which would blur the fields.
const HOST_TAG = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8)
/** Past this untouched, another host's partial file (whose process cannot be seen) or one named before the process was in the name has stopped. */
const UNSEEN_WRITER_STALE_MS = 60 * 60 * 1000

// Partial files were once named by a random UUID alone.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const partialName = (file: string, pid: number): string =>
  `.${path.basename(file)}.${HOST_TAG}-${pid}.partial`

/**
 * Removes the partial files of `file` whose writer is gone, and throws `FileBeingWritten`
 * for one whose writer still runs (this process's own file aside).
 */
function clearPartials(file: string): void {
  const folder = path.dirname(file)
  const prefix = `.${path.basename(file)}.`
  const own = path.join(folder, partialName(file, process.pid))
  let names: string[]
  try {
    names = fs.readdirSync(folder)
  } catch {
    // A folder that cannot be listed is reported by the open that follows, naming the file.
    return
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.partial')) continue
    const full = path.join(folder, name)
    if (full === own && openHere.has(full)) continue
    const middle = name.slice(prefix.length, -'.partial'.length)
    const writer = /^([0-9a-f]{8})-(\d+)$/.exec(middle)
    // Anything else under this prefix is another file's (`units.csv.old`), not this one's.
    if (!writer && !UUID.test(middle)) continue
    let stale: boolean
    try {
      stale =
        writer?.[1] === HOST_TAG
          ? !processIsRunning(Number(writer[2])) || (full === own && !openHere.has(full))
          : Date.now() - fs.statSync(full).mtimeMs > UNSEEN_WRITER_STALE_MS
    } catch {
      // Gone meanwhile: its writer committed or gave up.
      continue
    }
    if (!stale) throw new FileBeingWritten(file, writer ? Number(writer[2]) : undefined)
    fs.rmSync(full, { force: true })
  }
}

function processIsRunning(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
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
