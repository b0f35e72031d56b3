import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import multipart from '@fastify/multipart'
import { requireActor, requireRole, STAFF_ROLES } from '../auth/index.ts'
import { canActorSeeClaim, claimFileAccess } from '../claims/index.ts'
import { guardedParts } from '../http/multipart-guard.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import {
  claimBytesLimit,
  contentDispositionFor,
  DEFAULT_UPLOAD_LIMITS,
  largestLimit,
  type UploadLimits,
} from './domain/upload-rules.ts'
import {
  ClaimFilesParams,
  FileListResponse,
  FileParams,
  type FileView,
  UPLOAD_FORM_DESCRIPTION,
} from './file.schemas.ts'
import { type FileRow, findFile, listClaimFiles } from './file.store.ts'
import { canActorSeeFile } from './file-access.ts'
import { resolveStoredPath } from './file-storage.ts'
import { sendMultipart, uploadFiles } from './upload-files.ts'

const toFileView = (row: FileRow): FileView => ({
  id: row.id,
  claimId: row.claim_id,
  kind: row.kind,
  name: row.display_name,
  contentType: row.content_type,
  sizeBytes: row.size_bytes,
  sha256: row.sha256,
  uploadedBy: row.uploaded_by,
  createdAt: row.created_at,
  url: `/api/v1/files/${row.id}`,
})

export interface FileRoutesOptions {
  /** Per-type size limits, files per request, bytes held per uploader and per claim; defaults: images 15 MB, video 200 MB, PDF 10 MB, 10 files, 1 GB held, 2 GB a claim (or `AFTERCARE_CLAIM_FILES_MB`). */
  limits?: Partial<UploadLimits>
}

/** HTTP routes of the files feature: uploads to a claim or ahead of one, listing and download. */
export async function fileRoutes(
  app: HttpApp,
  ctx: AppContext,
  options: FileRoutesOptions = {},
): Promise<void> {
  const limits: UploadLimits = {
    ...DEFAULT_UPLOAD_LIMITS,
    claimBytes: claimBytesLimit(ctx.config),
    ...options.limits,
  }
  // Its own scope, so the multipart parser serves these routes and nobody else's.
  await app.register(async (scope: HttpApp) => {
    await scope.register(multipart, {
      limits: {
        fileSize: largestLimit(limits) + 1,
        files: limits.filesPerRequest,
        fields: 10,
        fieldSize: 1000,
        parts: limits.filesPerRequest + 10,
      },
    })
    const deps = { db: ctx.db, dataDir: ctx.config.dataDir, limits, lockRows: ctx.engine === 'postgres' }

    scope.post(
      '/api/v1/claims/:id/files',
      {
        schema: {
          tags: ['files'],
          summary: 'Upload photos, videos or documents to a claim',
          description: `${UPLOAD_FORM_DESCRIPTION} The files of one claim together are bounded (2 GB unless the installation sets AFTERCARE_CLAIM_FILES_MB; 413 naming body.files beyond it).`,
          consumes: ['multipart/form-data'],
          params: ClaimFilesParams,
          response: { 201: FileListResponse },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request)
        if (!(await canActorSeeClaim(ctx.db, actor, request.params.id))) {
          throw new AppError('not-found', { key: 'claim.not-found', params: { id: request.params.id } })
        }
        if (!request.isMultipart())
          throw new AppError('unsupported-media-type', sendMultipart('body'), { field: 'body' })
        const rows = await uploadFiles(deps, guardedParts(request), {
          claimId: request.params.id,
          actor,
          now: ctx.now(),
        })
        return reply.status(201).send({ items: rows.map(toFileView), next: null })
      },
    )

    scope.post(
      '/api/v1/files',
      {
        schema: {
          tags: ['files'],
          summary:
            'Upload a proof of purchase (or other file) before the claim exists; it belongs to the uploader',
          description: `${UPLOAD_FORM_DESCRIPTION} \`kind\` defaults to proof-of-purchase. The files one person keeps waiting for a claim are bounded (1 GB within the 24 hours they are held; 413 beyond it).`,
          consumes: ['multipart/form-data'],
          response: { 201: FileListResponse },
        },
      },
      async (request, reply) => {
        const actor = requireRole(request, ['customer', 'dealer', ...STAFF_ROLES])
        if (!request.isMultipart())
          throw new AppError('unsupported-media-type', sendMultipart('body'), { field: 'body' })
        const rows = await uploadFiles(deps, guardedParts(request), {
          claimId: null,
          actor,
          defaultKind: 'proof-of-purchase',
          now: ctx.now(),
        })
        return reply.status(201).send({ items: rows.map(toFileView), next: null })
      },
    )
  })

  app.get(
    '/api/v1/claims/:id/files',
    {
      schema: {
        tags: ['files'],
        summary: "A claim's files",
        params: ClaimFilesParams,
        response: { 200: FileListResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      // The files first, so the one read of the claim knows whether it must judge proofs too.
      const files = await listClaimFiles(ctx.db, request.params.id)
      const access = await claimFileAccess(
        ctx.db,
        actor,
        request.params.id,
        files.some((file) => file.kind === 'payment-proof'),
      )
      if (!access.claim) {
        throw new AppError('not-found', { key: 'claim.not-found', params: { id: request.params.id } })
      }
      const shown = files.filter(
        (file) =>
          file.kind !== 'payment-proof' ||
          file.uploaded_by === actor.userId ||
          access.proofs === 'all' ||
          access.proofs.has(file.id),
      )
      return { items: shown.map(toFileView), next: null }
    },
  )

  app.get(
    '/api/v1/files/:id',
    {
      schema: {
        tags: ['files'],
        summary: 'Download a file (always as an attachment, with its detected content type)',
        params: FileParams,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const file = await findFile(ctx.db, request.params.id)
      if (!file || !(await canActorSeeFile(ctx.db, actor, file))) {
        throw new AppError('not-found', { key: 'file.not-found', params: { id: request.params.id } })
      }
      const fullPath = resolveStoredPath(ctx.config.dataDir, file.storage_path)
      const stat = await fs.stat(fullPath).catch(() => null)
      if (!stat) throw new AppError('not-found', { key: 'file.not-found', params: { id: request.params.id } })
      return reply
        .header('content-type', file.content_type)
        .header('content-length', stat.size)
        .header('content-disposition', contentDispositionFor(file.display_name))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(createReadStream(fullPath))
    },
  )
}
