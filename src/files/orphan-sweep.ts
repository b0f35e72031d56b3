import fs from 'node:fs/promises'
import path from 'node:path'
import type { Db } from '../db/database.ts'

/** Files younger than this may belong to an upload or an import still in progress. */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000
/** An import reads its file within minutes; one this old outlived its job (or a crash). */
export const STALE_IMPORT_MS = 6 * 60 * 60 * 1000

export interface OrphanSweepReport {
  removed: string[]
}

/**
 * Removes files on disk that no row refers to: half-received uploads in `.incoming`,
 * placed uploads whose recording transaction never committed (a crash between the rename
 * and the commit), and import files whose upload or job died. Paths are relative to the
 * data folder.
 */
export async function sweepOrphanFiles(db: Db, dataDir: string, now: Date): Promise<OrphanSweepReport> {
  const removed: string[] = []
  const old = (mtimeMs: number, grace: number) => now.getTime() - mtimeMs >= grace
  const uploads = path.join(dataDir, 'uploads')
  for (const file of await listFiles(path.join(uploads, '.incoming'))) {
    if (old(file.mtimeMs, ORPHAN_GRACE_MS)) removed.push(await remove(dataDir, file.path))
  }
  for (const year of await listDirs(uploads)) {
    if (!/^\d{4}$/.test(path.basename(year))) continue
    for (const month of await listDirs(year)) {
      const files = (await listFiles(month)).filter((f) => old(f.mtimeMs, ORPHAN_GRACE_MS))
      for (let i = 0; i < files.length; i += 200) {
        const batch = files.slice(i, i + 200).map((f) => ({ ...f, rel: path.relative(dataDir, f.path) }))
        const known = new Set(
          (
            await db
              .selectFrom('files')
              .select('storage_path')
              .where(
                'storage_path',
                'in',
                batch.map((f) => f.rel),
              )
              .execute()
          ).map((row) => row.storage_path),
        )
        for (const file of batch) if (!known.has(file.rel)) removed.push(await remove(dataDir, file.path))
      }
    }
  }
  for (const file of await listFiles(path.join(dataDir, 'imports'))) {
    if (old(file.mtimeMs, STALE_IMPORT_MS)) removed.push(await remove(dataDir, file.path))
  }
  return { removed }
}

async function remove(dataDir: string, file: string): Promise<string> {
  await fs.rm(file, { force: true })
  return path.relative(dataDir, file)
}

async function listDirs(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => [])
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => path.join(dir, e.name))
}

async function listFiles(dir: string): Promise<{ path: string; mtimeMs: number }[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => [])
  const files: { path: string; mtimeMs: number }[] = []
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const full = path.join(dir, entry.name)
    const stat = await fs.stat(full).catch(() => null)
    if (stat) files.push({ path: full, mtimeMs: stat.mtimeMs })
  }
  return files
}
