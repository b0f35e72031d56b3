import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { api, uploadFile } from '../api/client.ts'
import { REGISTRY } from '../api/endpoints.ts'
import type { ImportJob, ImportStarted } from '../api/types.ts'
import { FilePicker } from '../components/file-picker.tsx'
import { ErrorNote } from '../components/status.tsx'

const POLL_MS = 500
/** What can be imported, in the order a new seller does it: its catalogue, then the units it sold. */
const KINDS = ['models', 'units'] as const
type Kind = (typeof KINDS)[number]
const isKind = (value: string | null): value is Kind => KINDS.includes(value as Kind)

/**
 * CSV import of the catalogue of models or of units: the upload's own progress, then the
 * server's progress as it works through the rows. `?kind=models` opens it on the catalogue.
 */
export function ImportPage() {
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const requested = params.get('kind')
  const kind: Kind = isKind(requested) ? requested : 'units'
  const [uploaded, setUploaded] = useState<number | null>(null)
  const [jobId, setJobId] = useState<string | null>(null)
  const [job, setJob] = useState<ImportJob | null>(null)
  const [error, setError] = useState<unknown>(null)

  // Poll until the job is over; any app instance can answer, the job lives in the database.
  useEffect(() => {
    if (!jobId || job?.status === 'done' || job?.status === 'failed') return
    const controller = new AbortController()
    const timer = setTimeout(
      () => {
        api
          .get<ImportJob>(REGISTRY.importJob(jobId), { signal: controller.signal })
          .then(setJob)
          .catch((failure: unknown) => {
            if (!controller.signal.aborted) setError(failure)
          })
      },
      job ? POLL_MS : 0,
    )
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [jobId, job])

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const file = new FormData(event.currentTarget).get('file')
    if (!(file instanceof File) || file.size === 0) return
    setError(null)
    setJob(null)
    setJobId(null)
    try {
      const started = await uploadFile<ImportStarted>(REGISTRY.importOf(kind), file, {}, (p) =>
        setUploaded(Math.round((p.loaded / Math.max(p.total, 1)) * 100)),
      )
      setJobId(started.id)
    } catch (failure) {
      setError(failure)
    }
  }

  const percent =
    job?.status === 'done'
      ? 100
      : job?.total
        ? Math.min(100, Math.round((job.processed / job.total) * 100))
        : undefined
  return (
    <section className="page narrow">
      <h1>{t('import.title')}</h1>
      <form className="card form" onSubmit={(event) => void handleSubmit(event)} data-testid="import-form">
        <fieldset>
          <legend>{t('import.kind')}</legend>
          {KINDS.map((option) => (
            <label key={option}>
              <input
                type="radio"
                name="kind"
                value={option}
                checked={kind === option}
                onChange={() => setParams({ kind: option }, { replace: true })}
              />{' '}
              {t(`import.kinds.${option}`)}
            </label>
          ))}
        </fieldset>
        <p className="muted" data-testid="import-columns">
          {t(kind === 'models' ? 'import.columnsModels' : 'import.columns')}
        </p>
        <label htmlFor="import-file">{t('import.file')}</label>
        <FilePicker id="import-file" name="file" accept=".csv,text/csv" required />
        <button type="submit">{t('import.start')}</button>
      </form>
      {uploaded !== null && (
        <p>
          <label htmlFor="import-upload">{t('import.uploading')}</label>{' '}
          <progress id="import-upload" max={100} value={uploaded} />
        </p>
      )}
      {job && (
        <div className="card stack" role="status" aria-live="polite" data-testid="import-job">
          <p>
            <label htmlFor="import-rows">
              {t('import.rows', { processed: job.processed, total: job.total ?? '?' })}
            </label>
          </p>
          <progress id="import-rows" max={100} value={percent} />
          <p data-testid="import-status" data-status={job.status}>
            <strong>{t(`import.status.${job.status}`, { defaultValue: job.status })}</strong>{' '}
            {t('import.counts', {
              imported: job.imported,
              unchanged: job.unchanged,
              rejected: job.rejected,
            })}
          </p>
          {job.errors.length > 0 && (
            <div className="table-wrap">
              <table className="table" data-testid="import-errors">
                <caption>{t('import.errorsTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('import.lineHeader')}</th>
                    <th scope="col">{t('import.field')}</th>
                    <th scope="col">{t('import.message')}</th>
                  </tr>
                </thead>
                <tbody>
                  {job.errors.map((issue) => (
                    <tr key={`${issue.line}-${issue.field}`}>
                      <td>{issue.line}</td>
                      <td>
                        <code>{issue.field}</code>
                      </td>
                      <td>{issue.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      <ErrorNote error={error} />
    </section>
  )
}
