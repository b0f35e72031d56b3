import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileTypeFromBuffer } from 'file-type'
import { AppError } from '../shared/errors.ts'
import type { StructureCheck } from './domain/structure/structure-check.ts'
import {
  judgeFileType,
  limitFor,
  sanitizeFileName,
  startStructureCheck,
  type UploadLimits,
} from './domain/upload-rules.ts'

/** An upload received into a temp file and checked, not yet in place or recorded. */
export interface StagedFile {
  id: string
  tempPath: string
  fieldName: string
  displayName: string
  contentType: string
  sizeBytes: number
  sha256: string
}

/** A file moved into place: `storagePath` is relative to the data folder. */
export interface PlacedFile extends StagedFile {
  storagePath: string
}

// Enough bytes for file-type to recognise every format we accept.
const SNIFF_BYTES = 4100

const incomingDir = (dataDir: string) => path.join(dataDir, 'uploads', '.incoming')

/**
 * Streams one uploaded file to a temp file while hashing and counting it. The type is
 * decided from the first bytes, before the rest is written, so a disguised or oversized
 * file is stopped early; its size limit follows from the detected type, and its structure is
 * checked for that type as it streams, so a file cut short or damaged after its first bytes
 * is refused rather than stored as a broken picture. On any error the temp file is removed
 * and an AppError names the form field.
 */
export async function stageUpload(
  dataDir: string,
  source: AsyncIterable<Buffer> & { truncated?: boolean },
  meta: { fieldName: string; fileName: string | undefined; declaredType: string | undefined },
  limits: UploadLimits,
): Promise<StagedFile> {
  const id = crypto.randomUUID()
  await fs.mkdir(incomingDir(dataDir), { recursive: true })
  const tempPath = path.join(incomingDir(dataDir), `${id}.part`)
  const handle = await fs.open(tempPath, 'wx')
  const hash = crypto.createHash('sha256')
  let size = 0
  let head: Buffer[] | null = []
  let headBytes = 0
  let verdict: { contentType: string; limit: number; structure: StructureCheck } | null = null

  const judge = async (bytes: Buffer) => {
    const detected = await fileTypeFromBuffer(bytes)
    const result = judgeFileType({
      detected: detected?.mime,
      declaredType: meta.declaredType,
      fileName: meta.fileName,
    })
    if (!result.ok) {
      throw new AppError(
        'unsupported-media-type',
        { key: result.refusal.key, params: { ...result.refusal.params, field: meta.fieldName } },
        { field: meta.fieldName },
      )
    }
    return {
      contentType: result.contentType,
      limit: limitFor(result.category, limits),
      structure: startStructureCheck(result.contentType),
    }
  }
  const damaged = (contentType: string, reason: string) =>
    new AppError(
      'unsupported-media-type',
      { key: 'files.damaged', params: { field: meta.fieldName, detected: contentType } },
      { field: meta.fieldName, cause: new Error(reason) },
    )
  // The size is checked first: a file over its limit is refused as too large whatever its bytes.
  const check = (current: { contentType: string; structure: StructureCheck }, bytes: Buffer) => {
    const problem = current.structure.push(bytes)
    if (problem !== null) throw damaged(current.contentType, problem)
  }
  const tooLarge = (limit: number) =>
    new AppError(
      'payload-too-large',
      {
        key: 'files.too-large-for-type',
        params: { field: meta.fieldName, megabytes: Math.floor(limit / (1024 * 1024)) },
      },
      { field: meta.fieldName },
    )

  try {
    for await (const chunk of source) {
      size += chunk.length
      hash.update(chunk)
      if (head) {
        head.push(chunk)
        headBytes += chunk.length
        if (headBytes < SNIFF_BYTES) continue
        const whole = Buffer.concat(head)
        verdict = await judge(whole)
        if (size > verdict.limit) throw tooLarge(verdict.limit)
        check(verdict, whole)
        await handle.write(whole)
        head = null
        continue
      }
      if (verdict && size > verdict.limit) throw tooLarge(verdict.limit)
      if (verdict) check(verdict, chunk)
      await handle.write(chunk)
    }
    if (head) {
      if (headBytes === 0)
        throw new AppError(
          'validation',
          { key: 'files.empty', params: { field: meta.fieldName } },
          { field: meta.fieldName },
        )
      const whole = Buffer.concat(head)
      verdict = await judge(whole)
      check(verdict, whole)
      await handle.write(whole)
    }
    // The multipart parser cuts a file at its own (largest) limit; a cut file is too large.
    if (source.truncated) throw tooLarge(verdict?.limit ?? size)
    const problem = verdict?.structure.end() ?? null
    if (verdict && problem !== null) throw damaged(verdict.contentType, problem)
    await handle.sync()
    await handle.close()
  } catch (error) {
    await handle.close().catch(() => undefined)
    await fs.rm(tempPath, { force: true })
    throw error
  }
  return {
    id,
    tempPath,
    fieldName: meta.fieldName,
    displayName: sanitizeFileName(meta.fileName),
    contentType: verdict?.contentType ?? 'application/octet-stream',
    sizeBytes: size,
    sha256: hash.digest('hex'),
  }
}

/** Moves staged files to `uploads/<yyyy>/<mm>/<id>` (rename on one file system, then fsync of the folder and of the parents of any folder made). */
export async function placeStagedFiles(
  dataDir: string,
  staged: StagedFile[],
  now: Date,
): Promise<PlacedFile[]> {
  const relativeDir = path.join(
    'uploads',
    String(now.getUTCFullYear()),
    String(now.getUTCMonth() + 1).padStart(2, '0'),
  )
  const folder = path.join(dataDir, relativeDir)
  // The first folder this made, if any: the name of each new folder lives in its parent,
  // which must reach the disk too, or a crash takes the month's folder and its files along.
  const created = await fs.mkdir(folder, { recursive: true })
  const placed: PlacedFile[] = []
  try {
    for (const file of staged) {
      const storagePath = path.join(relativeDir, file.id)
      await fs.rename(file.tempPath, path.join(dataDir, storagePath))
      placed.push({ ...file, storagePath })
    }
    await syncFolder(folder)
    if (created !== undefined) {
      for (let child = folder; child !== path.dirname(created); child = path.dirname(child))
        await syncFolder(path.dirname(child))
    }
  } catch (error) {
    await removePlacedFiles(dataDir, placed)
    throw error
  }
  return placed
}

async function syncFolder(folder: string): Promise<void> {
  // Makes the renames durable; some platforms cannot open a folder for fsync, and there the rename is as durable as it gets.
  const handle = await fs.open(folder, 'r').catch(() => null)
  if (!handle) return
  try {
    await handle.sync().catch(() => undefined)
  } finally {
    await handle.close()
  }
}

export async function discardStagedFiles(staged: StagedFile[]): Promise<void> {
  await Promise.all(staged.map((f) => fs.rm(f.tempPath, { force: true })))
}

export async function removePlacedFiles(dataDir: string, placed: PlacedFile[]): Promise<void> {
  await Promise.all(placed.map((f) => fs.rm(path.join(dataDir, f.storagePath), { force: true })))
}

/** The absolute path of a stored file; refuses anything that would leave the uploads folder. */
export function resolveStoredPath(dataDir: string, storagePath: string): string {
  const root = path.resolve(dataDir, 'uploads')
  const full = path.resolve(dataDir, storagePath)
  if (!full.startsWith(root + path.sep))
    throw new Error(`Stored path ${storagePath} is outside the uploads folder`)
  return full
}
