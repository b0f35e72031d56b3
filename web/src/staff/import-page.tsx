import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, uploadFile } from '../api/client.ts'
import { REGISTRY } from '../api/endpoints.ts'
import { ErrorNote } from '../components/status.tsx'

interface ImportJob {
  id: string
  status: 'queued' | 'running' | 'done' | 'failed' | string
  processed?: number
  total?: number | null
  inserted?: number
  updated?: number
  errors?: { line: number; message: string }[]
}

const KINDS = ['units', 'sales', 'models', 'customers'] as const

/** CSV import: the upload's own progress, then the server's progress as it works through the rows. */
export function ImportPage() {
  const { t } = useTranslation()
  const [uploaded, setUploaded] = useState<number | null>(null)
  const [job, setJob] = useState<ImportJob | null>(null)
  const [error, setError] = useState<unknown>(null)

  useEffect(() => {
    if (!job || job.status === 'done' || job.status === 'failed') return
    const timer = setTimeout(() => {
      api.get<ImportJob>(REGISTRY.importJob(job.id)).then(setJob).catch(setError)
    }, 500)
    return () => clearTimeout(timer)
  }, [job])

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const file = form.get('file')
    if (!(file instanceof File) || file.size === 0) return
    setError(null)
    setJob(null)
    try {
      const started = await uploadFile<ImportJob>(
        REGISTRY.imports,
        file,
        { kind: String(form.get('kind')) },
        (p) => setUploaded(Math.round((p.loaded / Math.max(p.total, 1)) * 100)),
      )
      setJob(started)
    } catch (failure) {
      setError(failure)
    }
  }

  const percent = job?.total ? Math.round(((job.processed ?? 0) / job.total) * 100) : null
  return (
    <section className="page narrow">
      <h1>{t('import.title')}</h1>
      <form className="card form" onSubmit={(event) => void handleSubmit(event)}>
        <label htmlFor="import-kind">{t('import.kind')}</label>
        <select id="import-kind" name="kind">
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`import.kinds.${kind}`)}
            </option>
          ))}
        </select>
        <label htmlFor="import-file">{t('import.file')}</label>
        <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
        <button type="submit">{t('import.start')}</button>
      </form>
      {uploaded !== null && (
        <p>
          <label htmlFor="import-upload">{t('import.uploading')}</label>
          <progress id="import-upload" max={100} value={uploaded} />
        </p>
      )}
      {job && (
        <div className="card" role="status" aria-live="polite">
          <p>
            <label htmlFor="import-rows">
              {t('import.rows', { processed: job.processed ?? 0, total: job.total ?? '?' })}
            </label>
          </p>
          <progress id="import-rows" max={100} value={percent ?? undefined} />
          <p>{t(`import.status.${job.status}`, { defaultValue: job.status })}</p>
          {job.errors && job.errors.length > 0 && (
            <ul className="note note-error">
              {job.errors.slice(0, 50).map((issue) => (
                <li key={`${issue.line}-${issue.message}`}>
                  {t('import.line', { line: issue.line })} {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <ErrorNote error={error} />
    </section>
  )
}
