import { z } from 'zod'
import { nameSchema } from '../contracts/api/named-schema.ts'
import { pageOf } from '../contracts/api/page.ts'
import { FILE_KINDS } from './domain/upload-rules.ts'

export const FileKindSchema = z.enum(FILE_KINDS)

export const ClaimFilesParams = z.object({ id: z.string().min(1).max(100) })
export const FileParams = z.object({ id: z.uuid() })

export const FileView = z.object({
  id: z.string(),
  claimId: z.string().nullable(),
  kind: z.string(),
  name: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  uploadedBy: z.string(),
  createdAt: z.string(),
  /** Where to download the bytes. */
  url: z.string(),
})
nameSchema(FileView, {
  id: 'File',
  description: 'A stored photo, video or document, checked by its content.',
})
export type FileView = z.infer<typeof FileView>

export const FileListResponse = pageOf(FileView)
nameSchema(FileListResponse, { id: 'FileList', description: 'Files just stored, in upload order.' })

/** The multipart form, for the API document: one `kind` field and one or more files. */
export const UPLOAD_FORM_DESCRIPTION = `multipart/form-data with a \`kind\` field (${FILE_KINDS.join(', ')}) and one or more file parts. Accepted by content: JPEG, PNG, WebP, HEIC (15 MB), MP4, MOV, WebM (200 MB), PDF (10 MB). A file must be whole: one cut short or damaged after its first bytes is refused with 415 naming its part (\`files.damaged\`), and nothing of the upload is kept.`
