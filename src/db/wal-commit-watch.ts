import fs from 'node:fs'
import os from 'node:os'

/**
 * Tells, with one read of 96 bytes, whether any connection in any process has committed to
 * a SQLite file in write-ahead-log mode since the last time it was asked.
 *
 * SQLite keeps the log's index in the `-shm` file, which every connection to the file maps
 * into memory, and it opens that index with a header (https://www.sqlite.org/walformat.html,
 * "The WAL-Index Header"). Every commit rewrites it before returning: the change counter goes
 * up and the log's last frame moves on, and a restart of the log changes its salts. The
 * header is stored twice, the second copy written first, so a reader that finds the copies
 * equal has read a header no commit was half-way through.
 *
 * A cached answer checked this way is as fresh as one checked with a read transaction (a
 * write-ahead-log read lock, its unlock and an fstat), at a third of the system calls. The
 * header is only a witness: anything odd (no index yet, copies that differ, a version of the
 * format this code does not know) counts as a change, and the caller reads the database.
 *
 * It relies on the index file staying the same file while watched: SQLite removes it only
 * when the last connection leaves the log (closing, or switching to a rollback journal),
 * which it does only with no other connection on the file. The connection this watch is
 * opened beside keeps it in place.
 */
export class WalCommitWatch {
  private readonly header = Buffer.alloc(HEADER_BYTES * 2)
  private readonly seen = Buffer.alloc(HEADER_BYTES)
  private seenValid = false

  private constructor(private fd: number | undefined) {}

  /** Undefined when the file has no log index to watch (not in log mode, or in memory). */
  static open(databaseFile: string): WalCommitWatch | undefined {
    if (os.endianness() !== 'LE') return undefined
    try {
      return new WalCommitWatch(fs.openSync(`${databaseFile}-shm`, 'r'))
    } catch {
      return undefined
    }
  }

  /**
   * True when the header is as it was at the last call, so nothing has committed in between.
   * False at the first call, after any commit, and whenever the header cannot be trusted; a
   * false answer records the header now, so the caller's reads after it are at least as new.
   */
  unchangedSinceLastAsked(): boolean {
    const { header, seen } = this
    if (this.fd === undefined) return false
    let read: number
    try {
      read = fs.readSync(this.fd, header, 0, header.length, 0)
    } catch {
      this.seenValid = false
      return false
    }
    const trusted =
      read === header.length &&
      header.compare(header, HEADER_BYTES, HEADER_BYTES * 2, 0, HEADER_BYTES) === 0 &&
      header.readUInt32LE(0) === WAL_INDEX_VERSION &&
      header[12] === 1
    if (!trusted) {
      this.seenValid = false
      return false
    }
    if (this.seenValid && header.compare(seen, 0, HEADER_BYTES, 0, HEADER_BYTES) === 0) return true
    header.copy(seen, 0, 0, HEADER_BYTES)
    this.seenValid = true
    return false
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd)
    this.fd = undefined
    this.seenValid = false
  }
}

/** Size of one copy of the header. */
const HEADER_BYTES = 48
/** `iVersion`, the format of the index, unchanged since SQLite 3.7.0. */
const WAL_INDEX_VERSION = 3007000
