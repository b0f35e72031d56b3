import fs from 'node:fs/promises'
import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'
import { findFile } from './file.store.ts'
import { resolveStoredPath } from './file-storage.ts'

/** The image types a PDF letterhead can carry (pdfkit reads PNG and JPEG). */
const LOGO_TYPES = new Set(['image/png', 'image/jpeg'])

/**
 * Checks that a file may be the seller's logo: an upload of kind `logo` whose bytes are a
 * PNG or a JPEG. The type was detected from the content when it was stored.
 */
export async function checkLogoFile(db: Db, fileId: string): Promise<void> {
  const file = await findFile(db, fileId)
  if (file?.kind !== 'logo') {
    throw new AppError(
      'validation',
      { key: 'files.not-a-logo', params: { field: 'logoFileId', id: fileId, kind: 'logo' } },
      {
        field: 'logoFileId',
      },
    )
  }
  if (!LOGO_TYPES.has(file.content_type)) {
    throw new AppError(
      'validation',
      { key: 'files.logo-type', params: { field: 'logoFileId', contentType: file.content_type } },
      {
        field: 'logoFileId',
      },
    )
  }
}

/** The logo's bytes for a document, or undefined when the file is gone. */
export async function readLogoFile(db: Db, dataDir: string, fileId: string): Promise<Buffer | undefined> {
  const file = await findFile(db, fileId)
  if (!file || !LOGO_TYPES.has(file.content_type)) return undefined
  return fs.readFile(resolveStoredPath(dataDir, file.storage_path)).catch(() => undefined)
}
