import crypto from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'csv-parse'
import type { Actor } from '../auth/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import {
  isMessageKey,
  type Message,
  type MessageLanguage,
  type MessageParams,
  render,
  translate,
} from '../shared/messages/translate.ts'
import {
  canonicalColumns,
  type ImportSummary,
  isUtf16,
  lineBreakOf,
  notUtf8Error,
  refuseRepeatedColumn,
  scanUtf8Lines,
} from './csv-import.ts'
import type { ImportJobView } from './import-job.schemas.ts'
import { type ImportJobRow, insertImportJob, updateImportJob } from './import-job.store.ts'
import { importUnits, UNIT_CSV_REQUIRED } from './import-units.ts'

/** Rejected rows kept on the job for the page to show; the full list stays in the rejects file. */
export const IMPORT_ERRORS_KEPT = 100
/** Progress is written at most this often: a million rows must not mean a million updates. */
const PROGRESS_EVERY_MS = 250
/**
 * A running job's row is touched this often, however slowly it reads, so that a row left
 * untouched for `ABANDONED_AFTER_MS` is known to belong to a process that is gone.
 */
const HEARTBEAT_MS = 20_000
export const ABANDONED_AFTER_MS = 2 * 60_000

/**
 * The jobs this process runs, with the rows read so far. On SQLite the job's row cannot be
 * written while the import's transaction holds the database, so its progress is read from here.
 */
const runningHere = new Map<string, number>()

/** The rows a job running in this process has read, when it runs here. */
export const progressHere = (id: string): number | undefined => runningHere.get(id)

/**
 * Marks failed the jobs whose process stopped mid-import (killed, crashed, lost its database):
 * their rows stay `running` otherwise, forever. Their file was one transaction, which the
 * database undid, so the job says nothing was written. `all` fails every running job but this
 * process's own: on SQLite, where one server runs at a time, at its start. Else only jobs not
 * touched for `ABANDONED_AFTER_MS`, which another instance may still be running otherwise.
 */
export async function failAbandonedImportJobs(
  ctx: AppContext,
  options: { all?: boolean; id?: string } = {},
): Promise<number> {
  const now = ctx.now()
  const cutoff = new Date(now.getTime() - ABANDONED_AFTER_MS).toISOString()
  let running = ctx.db.selectFrom('import_jobs').select('id').where('status', '=', 'running')
  if (options.id !== undefined) running = running.where('id', '=', options.id)
  if (!options.all) running = running.where('updated_at', '<', cutoff)
  let failed = 0
  for (const { id } of await running.execute()) {
    if (runningHere.has(id)) continue
    const text: Message = { key: 'import.interrupted', params: { field: 'file' } }
    let update = ctx.db
      .updateTable('import_jobs')
      .set({
        status: 'failed',
        imported: 0,
        unchanged: 0,
        rejected: 0,
        errors: JSON.stringify([
          { line: 0, field: 'file', message: render('en', text), messageKey: text.key, params: text.params },
        ]),
        updated_at: now.toISOString(),
        finished_at: now.toISOString(),
      })
      .where('id', '=', id)
      .where('status', '=', 'running')
    // An instance that touched it meanwhile is still at work on it.
    if (!options.all) update = update.where('updated_at', '<', cutoff)
    failed += Number((await update.executeTakeFirst()).numUpdatedRows)
  }
  return failed
}

export interface StoredUpload {
  /** Where the upload was written, under `<dataDir>/imports`. */
  file: string
  fileName: string
  /** Data rows (lines after the header), counted while the file was stored. */
  rows: number
}

export const importDir = (ctx: AppContext) => path.join(ctx.config.dataDir, 'imports')

/**
 * Checks the stored file is a units CSV before a job starts: text, with the required
 * columns in its header. A bad file is a 400 on the upload, not a failed job later.
 */
export async function checkUnitsCsv(upload: StoredUpload): Promise<void> {
  await checkCsvHeader(upload, UNIT_CSV_REQUIRED)
}

/** Checks the stored file is text whose header has the required columns (400 naming the missing ones). */
export async function checkCsvHeader(
  upload: StoredUpload,
  required: readonly string[],
  known: readonly string[] = [],
): Promise<void> {
  const handle = await fsp.open(upload.file, 'r')
  try {
    const buffer = Buffer.alloc(64 * 1024)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    const head = buffer.subarray(0, bytesRead)
    if (isUtf16(head)) {
      throw new AppError(
        'unsupported-media-type',
        { key: 'import.utf16', params: { field: 'body.file' } },
        { field: 'body.file' },
      )
    }
    if (head.includes(0)) {
      throw new AppError(
        'unsupported-media-type',
        { key: 'import.not-text', params: { field: 'body.file' } },
        { field: 'body.file' },
      )
    }
    const text = head.toString('utf8')
    // Blank lines above the header are passed over, as the import passes them.
    const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
    const headerAt = lines.findIndex((line) => line.trim() !== '')
    const firstLine = lines[headerAt] ?? ''
    const columns = canonicalColumns(
      firstLine.split(',').map((c) => c.trim().replace(/^"|"$/g, '')),
      [...required, ...known],
    )
    refuseNotUtf8(head, text, upload.fileName, columns)
    refuseRepeatedColumn(columns, upload.fileName, headerAt + 1)
    const missing = required.filter((c) => !columns.includes(c))
    if (missing.length > 0) {
      throw new AppError(
        'validation',
        {
          key: 'import.header-lacks',
          params: {
            field: 'body.file',
            file: upload.fileName,
            line: headerAt + 1,
            columns: missing.join(', '),
          },
        },
        { field: 'body.file', details: { line: headerAt + 1 } },
      )
    }
  } finally {
    await handle.close()
  }
}

/**
 * Refuses the head of an upload that is not UTF-8 (a spreadsheet's "CSV" in GBK), naming the
 * line; a file whose first bytes are UTF-8 is checked again, whole, as it is imported.
 */
function refuseNotUtf8(head: Buffer, text: string, fileName: string, columns: readonly string[]): void {
  if (!text.includes('\uFFFD')) return
  try {
    // Streaming: a character cut by the end of the 64 KiB read is not a fault of the file.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true })
    return
  } catch {
    // Not UTF-8: find the line below.
  }
  // The bad bytes are in the first line that is not UTF-8, or else in the last, not ended yet.
  const { line, bytes } = scanUtf8Lines(head, lineBreakOf(head), 1)
  throw notUtf8Error('unsupported-media-type', fileName, line, bytes, line > 1 ? columns : null, 'body.file')
}

/** Runs one kind of import over a stored upload; the job records its summary. */
export type UploadImporter = (
  ctx: AppContext,
  options: { file: string; rejectsPath: string; onProgress: (read: number, total: number) => void },
  by: { actor: Actor; fileName: string },
) => Promise<ImportSummary>

const importUnitsUpload: UploadImporter = (ctx, options, by) => importUnits(ctx, { ...options, by: by.actor })

/** Records the job and starts it in the background; answers as soon as the row is stored. */
export async function startUnitImport(
  ctx: AppContext,
  actor: Actor,
  upload: StoredUpload,
): Promise<{ id: string; done: Promise<void> }> {
  return startImport(ctx, actor, upload, 'units', importUnitsUpload)
}

/** Records a job of any kind and starts it in the background. */
export async function startImport(
  ctx: AppContext,
  actor: Actor,
  upload: StoredUpload,
  kind: ImportJobRow['kind'],
  importer: UploadImporter,
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
  const done = runImport(ctx, row.id, upload, (options) =>
    importer(ctx, options, { actor, fileName: upload.fileName }),
  ).catch((error: unknown) => {
    console.error(`import job ${row.id}: could not record its outcome`, error)
  })
  return { id: row.id, done }
}

async function runImport(
  ctx: AppContext,
  id: string,
  upload: StoredUpload,
  run: (options: {
    file: string
    fileName: string
    rejectsPath: string
    onProgress: (read: number, total: number) => void
  }) => Promise<ImportSummary>,
): Promise<void> {
  const rejectsPath = upload.file.replace(/\.csv$/i, '.rejects.csv')
  let lastWrite = 0
  let writing: Promise<void> = Promise.resolve()
  runningHere.set(id, 0)
  const heartbeat = setInterval(() => {
    writing = writing.then(() =>
      updateImportJob(ctx.db, id, { updated_at: ctx.now().toISOString() }).catch(() => undefined),
    )
  }, HEARTBEAT_MS)
  heartbeat.unref()
  // The import reports bytes read, not rows: rows are estimated from the share of the file
  // read and the row count taken on upload.
  const onProgress = (bytesRead: number, totalBytes: number) => {
    const at = Date.now()
    if (at - lastWrite < PROGRESS_EVERY_MS) return
    lastWrite = at
    const processed = Math.min(upload.rows, Math.round((bytesRead / Math.max(totalBytes, 1)) * upload.rows))
    runningHere.set(id, processed)
    writing = writing.then(() =>
      updateImportJob(ctx.db, id, { processed, updated_at: ctx.now().toISOString() }).catch(() => undefined),
    )
  }
  try {
    const summary = await run({ file: upload.file, fileName: upload.fileName, rejectsPath, onProgress })
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
    const text: Message | undefined = error instanceof AppError ? error.text : { key: 'import.unexpected' }
    const message = error instanceof AppError ? error.message : render('en', { key: 'import.unexpected' })
    if (!(error instanceof AppError)) console.error(`import job ${id} failed`, error)
    const finished = ctx.now().toISOString()
    await updateImportJob(ctx.db, id, {
      status: 'failed',
      errors: JSON.stringify([
        {
          // The line a malformed file broke on, where it is known; 0 for the file as a whole.
          line: error instanceof AppError && typeof error.details?.line === 'number' ? error.details.line : 0,
          field,
          message,
          ...(text ? { messageKey: text.key, params: text.params ?? {} } : {}),
        },
      ]),
      updated_at: finished,
      finished_at: finished,
    })
  } finally {
    clearInterval(heartbeat)
    runningHere.delete(id)
    await fsp.rm(upload.file, { force: true })
    await fsp.rm(rejectsPath, { force: true })
  }
}

async function readRejects(file: string, limit: number): Promise<ImportJobView['errors']> {
  const errors: ImportJobView['errors'] = []
  const parser = fs.createReadStream(file).pipe(parse({ columns: true, to: limit, bom: true }))
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    const key = record.errorKey ?? ''
    errors.push({
      line: Number(record.line),
      field: record.field ?? '',
      message: record.error ?? '',
      ...(isMessageKey(key) ? { messageKey: key, params: readParams(record.errorParams) } : {}),
    })
  }
  return errors
}

function readParams(raw: string | undefined): MessageParams {
  if (!raw) return {}
  try {
    return JSON.parse(raw) as MessageParams
  } catch {
    return {}
  }
}

/** The job for a reader: each rejection worded in their language where the catalogue has it. */
export function toImportJobView(row: ImportJobRow, language: MessageLanguage = 'en'): ImportJobView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    fileName: row.file_name,
    total: row.total_rows === null ? null : Number(row.total_rows),
    processed: Math.max(Number(row.processed), (row.status === 'running' && progressHere(row.id)) || 0),
    imported: Number(row.imported),
    unchanged: Number(row.unchanged),
    rejected: Number(row.rejected),
    errors: (JSON.parse(row.errors) as ImportJobView['errors']).map((issue) =>
      issue.messageKey && isMessageKey(issue.messageKey)
        ? {
            ...issue,
            message: language === 'en' ? issue.message : translate(language, issue.messageKey, issue.params),
          }
        : issue,
    ),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  }
}
