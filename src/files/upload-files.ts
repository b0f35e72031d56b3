import type { MultipartFile, MultipartValue } from '@fastify/multipart'
import type { Actor } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import { isMalformedMultipart } from '../http/edge.ts'
import { AppError } from '../shared/errors.ts'
import type { Message } from '../shared/messages/translate.ts'
import { parseOrThrow } from '../shared/validate.ts'
import type { FileKind, UploadLimits } from './domain/upload-rules.ts'
import { FileKindSchema } from './file.schemas.ts'
import { type FileRow, insertFiles } from './file.store.ts'
import {
  discardStagedFiles,
  type PlacedFile,
  placeStagedFiles,
  removePlacedFiles,
  type StagedFile,
  stageUpload,
} from './file-storage.ts'
import { refuseOverfullClaim, refuseOverfullHold } from './held-uploads.ts'

export type UploadPart = MultipartFile | MultipartValue

/**
 * A part of the form named as every other input names its fields (`body.kind`, `body.photo`):
 * a multipart body has no schema for the HTTP edge to put the prefix on a refusal.
 */
const inBody = (name: string) => `body.${name}`
/** The files of an upload together: none sent, too many, over a claim's or a hold's bound. */
const FILES = inBody('files')

/**
 * Receives every part of an upload into temp files, checks the `kind` field, then moves
 * the files into place and records them in one transaction. Any failure on the way
 * leaves nothing behind: no temp file, no stored file, no row.
 */
export async function uploadFiles(
  deps: { db: Db; dataDir: string; limits: UploadLimits; lockRows?: boolean },
  parts: AsyncIterable<UploadPart>,
  target: { claimId: string | null; actor: Actor; defaultKind?: FileKind; now: Date },
): Promise<FileRow[]> {
  const staged: StagedFile[] = []
  const fields: Record<string, unknown> = {}
  try {
    for await (const part of parts) {
      if (part.type === 'file') {
        staged.push(
          await stageUpload(
            deps.dataDir,
            part.file,
            { fieldName: inBody(part.fieldname), fileName: part.filename, declaredType: part.mimetype },
            deps.limits,
          ),
        )
      } else {
        fields[part.fieldname] = part.value
      }
    }
  } catch (error) {
    await discardStagedFiles(staged)
    throw toUploadError(error)
  }
  let placed: PlacedFile[] = []
  try {
    if (staged.length === 0)
      throw new AppError('validation', { key: 'files.none-sent', params: { field: FILES } }, { field: FILES })
    const kind = parseOrThrow(FileKindSchema, fields.kind ?? target.defaultKind, inBody('kind'))
    // A proof of payment joins its claim through the step submit-payment-proof, never as loose evidence.
    if (target.claimId !== null && kind === 'payment-proof')
      throw new AppError(
        'validation',
        {
          key: 'files.proof-upload-first',
          params: { field: inBody('kind'), route: 'POST /api/v1/files', step: 'submit-payment-proof' },
        },
        { field: inBody('kind') },
      )
    placed = await placeStagedFiles(deps.dataDir, staged, target.now)
    const rows: FileRow[] = placed.map((file) => ({
      id: file.id,
      claim_id: target.claimId,
      kind,
      display_name: file.displayName,
      content_type: file.contentType,
      size_bytes: file.sizeBytes,
      sha256: file.sha256,
      storage_path: file.storagePath,
      uploaded_by: target.actor.userId,
      created_at: target.now.toISOString(),
    }))
    const adding = rows.reduce((sum, row) => sum + row.size_bytes, 0)
    await deps.db.transaction().execute(async (trx) => {
      if (target.claimId !== null)
        await refuseOverfullClaim(trx, {
          claimId: target.claimId,
          adding,
          limit: deps.limits.claimBytes,
          field: FILES,
          lock: deps.lockRows === true,
        })
      else
        await refuseOverfullHold(trx, {
          ownerUserId: target.actor.userId,
          now: target.now,
          adding,
          limit: deps.limits.heldBytes,
          field: FILES,
        })
      await insertFiles(trx, rows)
    })
    return rows
  } catch (error) {
    await discardStagedFiles(staged)
    await removePlacedFiles(deps.dataDir, placed)
    throw error
  }
}

/** The refusal of a body that is not a multipart upload. */
export const sendMultipart = (field: string): Message => ({
  key: 'files.send-multipart',
  params: { field, mediaType: 'multipart/form-data' },
})

/** The multipart parser's own limits arrive as Fastify errors; give them our codes and a field. */
function toUploadError(error: unknown): unknown {
  if (error instanceof AppError) return error
  const code = (error as { code?: string }).code
  if (code === 'FST_FILES_LIMIT') {
    return new AppError(
      'payload-too-large',
      { key: 'files.too-many', params: { field: FILES } },
      { field: FILES },
    )
  }
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new AppError(
      'payload-too-large',
      { key: 'files.too-large', params: { field: FILES } },
      { field: FILES },
    )
  }
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new AppError(
      'validation',
      { key: 'files.too-many-fields', params: { field: 'body' } },
      { field: 'body' },
    )
  }
  if (isMalformedMultipart(error as { message?: string; code?: string })) {
    return new AppError(
      'validation',
      { key: 'files.bad-multipart', params: { field: 'body' } },
      { field: 'body' },
    )
  }
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new AppError('unsupported-media-type', sendMultipart('body'), { field: 'body' })
  }
  return error
}
