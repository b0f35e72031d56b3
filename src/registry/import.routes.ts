import crypto from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import multipart from '@fastify/multipart'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../app/context.ts'
import { requireRole } from '../auth/guards.ts'
import { guardUploadStream } from '../http/multipart-guard.ts'
import type { HttpApp } from '../http/types.ts'
import { AppError } from '../shared/errors.ts'
import { importJobParams, importJobResponse, importStartedResponse } from './import-job.schemas.ts'
import { findImportJob } from './import-job.store.ts'
import {
  checkImportCsv,
  IMPORT_KINDS,
  type ImportKind,
  importDir,
  startImport,
  toImportJobView,
} from './import-job.ts'

const SUMMARIES: Record<ImportKind, string> = {
  models:
    'Start an import of the catalogue of models from a CSV file (multipart field `file`; columns model,category,policy, then aliases, standardPackage, brand, selfChecks and specifications)',
  units: 'Start an import of unit sales from a CSV file (multipart field `file`)',
}

/** 200 MB holds about two million unit rows. */
export const IMPORT_MAX_BYTES = 200 * 1024 * 1024
const CSV_TYPES = new Set(['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel'])
const IMPORTERS = ['manager', 'admin'] as const

export interface ImportRoutesOptions {
  maxBytes?: number
}

/** CSV import over HTTP: upload, a job row any instance can report on, progress by polling. */
export async function importRoutes(app: HttpApp, ctx: AppContext, options: ImportRoutesOptions = {}) {
  const maxBytes = options.maxBytes ?? IMPORT_MAX_BYTES
  const receiveImport = async (kind: ImportKind, request: FastifyRequest, reply: FastifyReply) => {
    const actor = requireRole(request, [...IMPORTERS])
    if (!request.isMultipart())
      throw new AppError('unsupported-media-type', 'file: send multipart/form-data', { field: 'file' })
    const part = await request.file()
    if (part?.fieldname !== 'file')
      throw new AppError('validation', 'file: attach the CSV as the field `file`', { field: 'file' })
    const source = guardUploadStream(request, part.file)
    const named = /\.(csv|txt)$/i.test(part.filename)
    if (!CSV_TYPES.has(part.mimetype) || !named) {
      source.resume()
      throw new AppError('unsupported-media-type', 'file: send a .csv file (text/csv)', { field: 'file' })
    }
    await fsp.mkdir(importDir(ctx), { recursive: true })
    const file = path.join(importDir(ctx), `${crypto.randomUUID()}.csv`)
    let newlines = 0
    let lastByte = 10
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) newlines++
        if (chunk.length > 0) lastByte = chunk[chunk.length - 1] as number
        done(null, chunk)
      },
    })
    try {
      await pipeline(source, counter, fs.createWriteStream(file))
      if (source.truncated)
        throw new AppError('payload-too-large', `file: larger than ${maxBytes} bytes`, { field: 'file' })
      // Lines after the header; a last line without a newline still counts.
      const rows = Math.max(0, newlines + (lastByte === 10 ? 0 : 1) - 1)
      if (rows === 0) throw new AppError('validation', 'file: no rows after the header', { field: 'file' })
      const upload = { file, fileName: part.filename, rows }
      await checkImportCsv(kind, upload)
      const { id } = await startImport(ctx, actor, kind, upload)
      return reply.status(202).header('location', `/api/v1/imports/${id}`).send({ id })
    } catch (error) {
      await fsp.rm(file, { force: true })
      throw error
    }
  }
  await app.register(async (scope: HttpApp) => {
    await scope.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6 } })
    for (const kind of Object.keys(IMPORT_KINDS) as ImportKind[]) {
      scope.post(
        `/api/v1/imports/${kind}`,
        {
          schema: {
            tags: ['import'],
            summary: SUMMARIES[kind],
            consumes: ['multipart/form-data'],
            response: { 202: importStartedResponse },
          },
        },
        (request, reply) => receiveImport(kind, request, reply),
      )
    }
  })

  app.get(
    '/api/v1/imports/:id',
    {
      schema: {
        tags: ['import'],
        summary: 'How far an import job has got',
        params: importJobParams,
        response: { 200: importJobResponse },
      },
    },
    async (request) => {
      requireRole(request, [...IMPORTERS])
      const row = await findImportJob(ctx.db, request.params.id)
      if (!row) throw new AppError('not-found', `No import job ${request.params.id}`, { field: 'id' })
      return toImportJobView(row)
    },
  )
}
