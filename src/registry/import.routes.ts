import crypto from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import multipart from '@fastify/multipart'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { requireRole } from '../auth/index.ts'
import { sanitizeFileName } from '../files/index.ts'
import { guardUploadStream } from '../http/multipart-guard.ts'
import { headerLanguage } from '../http/request-language.ts'
import type { HttpApp } from '../http/types.ts'
import { CLAIM_CSV_COLUMNS, CLAIM_CSV_REQUIRED, importClaims } from '../reliability/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { importJobParams, importJobResponse, importStartedResponse } from './import-job.schemas.ts'
import { findImportJob } from './import-job.store.ts'
import {
  checkCsvHeader,
  failAbandonedImportJobs,
  importDir,
  startImport,
  toImportJobView,
  type UploadImporter,
} from './import-job.ts'
import { importModels, MODEL_CSV_KNOWN, MODEL_CSV_REQUIRED } from './import-models.ts'
import { importUnits, UNIT_CSV_COLUMNS, UNIT_CSV_REQUIRED } from './import-units.ts'

/** 200 MB holds about two million unit rows. */
export const IMPORT_MAX_BYTES = 200 * 1024 * 1024
const CSV_TYPES = new Set(['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel'])
const IMPORTERS = ['manager', 'admin'] as const
/** The form's file part, named as every other input names its fields: a form has no schema to put `body.` on. */
const FILE = 'body.file'

/** The OpenAPI description of the claims import, with a request example (multipart bodies have no schema to carry one). */
const CLAIM_IMPORT_DESCRIPTION = [
  'Loads claims a seller kept in an earlier system, on units already in the registry. Each row becomes a closed claim',
  'marked as imported, which counts in reliability, the claim and cost reports and policy simulation. Re-importing the',
  'same file changes nothing: a claim is known by its serial, claim day and problem kind, and a row with other values',
  'for a known claim updates it. Rejected rows are listed on the job with their line, column and error.',
  '',
  'Required columns: `serial`, `claimedOn` (YYYY-MM-DD), `problemKind` (malfunction, arrived-damaged, not-as-described,',
  'software-upgrade), `faultConfirmed` (true or false), `remedy` (repair, replace, refund, remote-fix, software-upgrade,',
  'paid-repair or none). Optional: `partsCost`, `labourCost`, `inboundFreight`, `returnFreight` (amounts such as 120.50),',
  'each with its payer `partsCostPayer`, `labourCostPayer`, `inboundFreightPayer`, `returnFreightPayer` (vendor, dealer,',
  'manufacturer, customer), and `currency` (an ISO 4217 code such as USD, CNY or JPY, required with a cost; amounts take its decimals).',
  '`exclusion`: the finding that ruled out free service (an inspection finding such as liquid-damage, or',
  'not-manufacturing-defect); needed where a confirmed fault got remedy none or paid-repair and the policy gives no other',
  'reason, since a refusal is always explained by a clause of the policy. Empty for a covered remedy.',
  '',
  'Example request:',
  '',
  '```',
  'curl -H "Authorization: Bearer $KEY" -F "file=@claims-2023.csv;type=text/csv" https://service.example.com/api/v1/imports/claims',
  '```',
  '',
  'with `claims-2023.csv`:',
  '',
  '```',
  'serial,claimedOn,problemKind,faultConfirmed,remedy,partsCost,partsCostPayer,labourCost,labourCostPayer,currency',
  'RX2-000123,2023-04-18,malfunction,true,repair,85.00,vendor,40.00,vendor,EUR',
  'RX2-000456,2023-05-02,malfunction,false,none,,,,,',
  '```',
  '',
  'Answers 202 with the job id; follow it at `GET /api/v1/imports/{id}`.',
].join('\n')

export interface ImportRoutesOptions {
  maxBytes?: number
}

/** CSV import over HTTP: upload, a job row any instance can report on, progress by polling. */
export async function importRoutes(app: HttpApp, ctx: AppContext, options: ImportRoutesOptions = {}) {
  const maxBytes = options.maxBytes ?? IMPORT_MAX_BYTES
  // Jobs a stopped server left `running` are failed as it starts again: on SQLite every one
  // (one server runs at a time), on PostgreSQL those no instance has touched for a while.
  app.addHook('onReady', async () => {
    await failAbandonedImportJobs(ctx, { all: ctx.engine === 'sqlite' })
  })
  await app.register(async (scope: HttpApp) => {
    await scope.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6 } })
    /** Stores the upload, checks its header and starts the job: 202 with the job's address. */
    const receive = async (
      request: FastifyRequest,
      reply: FastifyReply,
      kind: 'units' | 'claims' | 'models',
      columns: { required: readonly string[]; known: readonly string[] },
      importer: UploadImporter,
    ) => {
      const actor = requireRole(request, [...IMPORTERS])
      if (!request.isMultipart())
        throw new AppError(
          'unsupported-media-type',
          { key: 'files.send-multipart', params: { field: FILE, mediaType: 'multipart/form-data' } },
          { field: FILE },
        )
      const part = await request.file()
      if (part?.fieldname !== 'file')
        throw new AppError(
          'validation',
          { key: 'import.attach-file', params: { field: FILE } },
          { field: FILE },
        )
      const source = guardUploadStream(request, part.file)
      // The name is shown on the job and in every refusal: kept as the uploads keep theirs.
      const fileName = sanitizeFileName(part.filename)
      const named = /\.(csv|txt)$/i.test(fileName)
      if (!CSV_TYPES.has(part.mimetype) || !named) {
        source.resume()
        throw new AppError(
          'unsupported-media-type',
          { key: 'import.csv-only', params: { field: FILE, extension: '.csv', mediaType: 'text/csv' } },
          { field: FILE },
        )
      }
      await fsp.mkdir(importDir(ctx), { recursive: true })
      const file = path.join(importDir(ctx), `${crypto.randomUUID()}.csv`)
      let newlines = 0
      let returns = 0
      let lastByte = 10
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) newlines++
          // A file whose lines end in a bare carriage return is read as such by the import.
          if (newlines === 0)
            for (let at = chunk.indexOf(13); at !== -1; at = chunk.indexOf(13, at + 1)) returns++
          if (chunk.length > 0) lastByte = chunk[chunk.length - 1] as number
          done(null, chunk)
        },
      })
      try {
        await pipeline(source, counter, fs.createWriteStream(file))
        if (source.truncated)
          throw new AppError(
            'payload-too-large',
            { key: 'import.too-large', params: { field: FILE, maximum: maxBytes } },
            { field: FILE },
          )
        // Lines after the header; a last line without a newline still counts.
        const rows =
          newlines > 0 || returns === 0
            ? Math.max(0, newlines + (lastByte === 10 ? 0 : 1) - 1)
            : Math.max(0, returns + (lastByte === 13 ? 0 : 1) - 1)
        if (rows === 0)
          throw new AppError(
            'validation',
            { key: 'import.no-rows', params: { field: FILE } },
            { field: FILE },
          )
        const upload = { file, fileName, rows }
        await checkCsvHeader(upload, columns.required, columns.known)
        const { id } = await startImport(ctx, actor, upload, kind, importer)
        return reply.status(202).header('location', `/api/v1/imports/${id}`).send({ id })
      } catch (error) {
        await fsp.rm(file, { force: true })
        throw error
      }
    }

    scope.post(
      '/api/v1/imports/units',
      {
        schema: {
          tags: ['import'],
          summary: 'Start an import of unit sales from a CSV file (multipart field `file`)',
          consumes: ['multipart/form-data'],
          response: { 202: importStartedResponse },
        },
      },
      (request, reply) =>
        receive(
          request,
          reply,
          'units',
          { required: UNIT_CSV_REQUIRED, known: UNIT_CSV_COLUMNS },
          (c, options, by) => importUnits(c, { ...options, by: by.actor }),
        ),
    )

    scope.post(
      '/api/v1/imports/models',
      {
        schema: {
          tags: ['import'],
          summary:
            'Start an import of the catalogue of models from a CSV file (multipart field `file`; columns model,category,policy, then aliases, standardPackage, brand, selfChecks and specifications)',
          consumes: ['multipart/form-data'],
          response: { 202: importStartedResponse },
        },
      },
      (request, reply) =>
        receive(
          request,
          reply,
          'models',
          { required: MODEL_CSV_REQUIRED, known: MODEL_CSV_KNOWN },
          (c, options) => importModels(c, options),
        ),
    )

    scope.post(
      '/api/v1/imports/claims',
      {
        schema: {
          tags: ['import'],
          summary: 'Start an import of past claims from an earlier system, CSV (multipart field `file`)',
          description: CLAIM_IMPORT_DESCRIPTION,
          consumes: ['multipart/form-data'],
          response: { 202: importStartedResponse },
        },
      },
      (request, reply) =>
        receive(
          request,
          reply,
          'claims',
          { required: CLAIM_CSV_REQUIRED, known: CLAIM_CSV_COLUMNS },
          (c, options, by) =>
            importClaims(c, { ...options, importedBy: by.actor.userId, fileName: by.fileName }),
        ),
    )
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
      let row = await findImportJob(ctx.db, request.params.id)
      if (row?.status === 'running' && (await failAbandonedImportJobs(ctx, { id: row.id })) > 0)
        row = await findImportJob(ctx.db, request.params.id)
      if (!row)
        throw new AppError(
          'not-found',
          { key: 'import.job-not-found', params: { id: request.params.id } },
          { field: 'params.id' },
        )
      return toImportJobView(row, headerLanguage(request))
    },
  )
}
