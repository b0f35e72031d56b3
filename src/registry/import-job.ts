import crypto from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'csv-parse'
import type { AppContext } from '../app/context.ts'
import type { Actor } from '../auth/actor.ts'
import { AppError } from '../shared/errors.ts'
import type { ImportSummary } from './csv-import.ts'
import type { ImportJobView } from './import-job.schemas.ts'
import { type ImportJobRow, insertImportJob, updateImportJob } from './import-job.store.ts'
import { importModels, MODEL_CSV_REQUIRED } from './import-models.ts'
import { type ImportOptions, importUnits, UNIT_CSV_REQUIRED } from './import-units.ts'

/** Rejected rows kept on the job for the page to show; the full list stays in the rejects file. */
export const IMPORT_ERRORS_KEPT = 100
/** Progress is written at most this often: a million rows must not mean a million updates. */
const PROGRESS_EVERY_MS = 250

export interface StoredUpload {
  /** Where the upload was written, under `<dataDir>/imports`. */
  file: string
  fileName: string
  /** Data rows (lines after the header), counted while the file was stored. */
  rows: number
}

export const importDir = (ctx: AppContext) => path.join(ctx.config.dataDir, 'imports')

/** What can be imported over HTTP: the catalogue of models first, then the units sold. */
export const IMPORT_KINDS = {
  models: { required: MODEL_CSV_REQUIRED, run: importModels },
  units: { required: UNIT_CSV_REQUIRED, run: importUnits },
} as const satisfies Record<
  string,
  { required: readonly string[]; run: (ctx: AppContext, options: ImportOptions) => Promise<ImportSummary> }
>
export type ImportKind = keyof typeof IMPORT_KINDS

/**
 * Checks the stored file is a CSV of its kind before a job starts: text, with the required
 * columns in its header. A bad file is a 400 on the upload, not a failed job later.
 */
export async function checkImportCsv(kind: ImportKind, upload: StoredUpload): Promise<void> {
  const handle = await fsp.open(upload.file, 'r')
  try {
    const buffer = Buffer.alloc(64 * 1024)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    const head = buffer.subarray(0, bytesRead)
    if (head.includes(0)) {
      throw new AppError('unsupported-media-type', 'file: not a text file; send a CSV', { field: 'file' })
    }
    const firstLine =
      head
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/, 1)[0] ?? ''
    const columns = firstLine.split(',').map((c) => c.trim().replace(/^"|"$/g, ''))
    const missing = IMPORT_KINDS[kind].required.filter((c) => !columns.includes(c))
    if (missing.length > 0) {
      throw new AppError('validation', `file: the header lacks ${missing.join(', ')}`, { field: 'file' })
    }
  } finally {
    await handle.close()
  }
}

/** Records the job and starts it in the background; answers as soon as the row is stored. */
export async function startImport(
  ctx: AppContext,
  actor: Actor,
  kind: ImportKind,
  upload: StoredUpload,
): Promise<{ id: string; done: Promise<void> }> {
  const now = ctx.now().toISOString()
  const row: ImportJobRow = {
    id: `imp-${crypto.randomUUID()}`,
    kind,
    status: 'running',
    file_name: upload.fileName,
    total_rows: upload.rows,
    processed: 0,
    imported: 0,
    unchanged: 0,
    rejected: 0,
    errors: '[]',
    started_by: actor.userId,
    started_at: now,
    updated_at: now,
    finished_at: null,
  }
  await insertImportJob(ctx.db, row)
  // A database gone away mid-job leaves the row `running`; the files are cleaned up either way.
  const done = runImport(ctx, row.id, kind, upload).catch((error: unknown) => {
    console.error(`import job ${row.id}: could not record its outcome`, error)
  })
  return { id: row.id, done }
}

async function runImport(ctx: AppContext, id: string, kind: ImportKind, upload: StoredUpload): Promise<void> {
  const rejectsPath = upload.file.replace(/\.csv$/i, '.rejects.csv')
  let lastWrite = 0
  let writing: Promise<void> = Promise.resolve()
  // The import reports bytes read, not rows: rows are estimated from the share of the file
  // read and the row count taken on upload.
  const onProgress = (bytesRead: number, totalBytes: number) => {
    const at = Date.now()
    if (at - lastWrite < PROGRESS_EVERY_MS) return
    lastWrite = at
    const processed = Math.min(upload.rows, Math.round((bytesRead / Math.max(totalBytes, 1)) * upload.rows))
    writing = writing.then(() =>
      updateImportJob(ctx.db, id, { processed, updated_at: ctx.now().toISOString() }).catch(() => undefined),
    )
  }
  try {
    const summary = await IMPORT_KINDS[kind].run(ctx, { file: upload.file, rejectsPath, onProgress })
    await writing
    const errors = summary.rejectsPath ? await readRejects(summary.rejectsPath, IMPORT_ERRORS_KEPT) : []
    const finished = ctx.now().toISOString()
    await updateImportJob(ctx.db, id, {
      status: 'done',
      processed: summary.imported + summary.unchanged + summary.rejected,
      imported: summary.imported,
      unchanged: summary.unchanged,
      rejected: summary.rejected,
      errors: JSON.stringify(errors),
      updated_at: finished,
      finished_at: finished,
    })
  } catch (error) {
    await writing
    const field = error instanceof AppError ? (error.field ?? 'file') : 'file'
    const message = error instanceof AppError ? error.message : 'The import stopped on an unexpected error'
    if (!(error instanceof AppError)) console.error(`import job ${id} failed`, error)
    const finished = ctx.now().toISOString()
    await updateImportJob(ctx.db, id, {
      status: 'failed',
      errors: JSON.stringify([{ line: 0, field, message }]),
      updated_at: finished,
      finished_at: finished,
    })
  } finally {
    await fsp.rm(upload.file, { force: true })
    await fsp.rm(rejectsPath, { force: true })
  }
}

async function readRejects(file: string, limit: number): Promise<ImportJobView['errors']> {
  const errors: ImportJobView['errors'] = []
  const parser = fs.createReadStream(file).pipe(parse({ columns: true, to: limit, bom: true }))
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    errors.push({ line: Number(record.line), field: record.field ?? '', message: record.error ?? '' })
  }
  return errors
}

export function toImportJobView(row: ImportJobRow): ImportJobView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    fileName: row.file_name,
    total: row.total_rows === null ? null : Number(row.total_rows),
    processed: Number(row.processed),
    imported: Number(row.imported),
    unchanged: Number(row.unchanged),
    rejected: Number(row.rejected),
    errors: JSON.parse(row.errors) as ImportJobView['errors'],
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  }
}
