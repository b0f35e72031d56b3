import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api } from '../api/client.ts'
import { POLICIES } from '../api/endpoints.ts'
import { type Page, type PolicySummary, type PolicyValidation, readItems } from '../api/types.ts'
import { usePolicyTitle } from '../components/clause-words.tsx'
import { FilePicker } from '../components/file-picker.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDate } from '../i18n/i18n.ts'

export function PoliciesPage() {
  const { t } = useTranslation()
  const titleOf = usePolicyTitle()
  const list = useApi<Page<PolicySummary>>(POLICIES.list)
  const rows = readItems(list.data)
  return (
    <section className="page wide">
      <div className="page-head">
        <h1>{t('policies.title')}</h1>
        <Link className="button" to="/staff/policies/try">
          {t('policies.try')}
        </Link>
      </div>
      {list.loading && <Loading />}
      <ErrorNote error={list.error} />
      <div className="table-wrap">
        <table className="table table-stack" data-testid="policy-table">
          <thead>
            <tr>
              <th scope="col">{t('policies.policy')}</th>
              <th scope="col">{t('policies.version')}</th>
              <th scope="col">{t('policies.effective')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.id}@${row.version}`}>
                <td data-label={t('policies.policy')}>
                  {/* The id (for the command line) on hover: no code in the reader's text. */}
                  <Link
                    title={row.id}
                    to={`/staff/policies/${encodeURIComponent(row.id)}?version=${encodeURIComponent(row.version)}`}
                  >
                    {titleOf(row)}
                  </Link>
                </td>
                <td data-label={t('policies.version')}>{row.version}</td>
                <td data-label={t('policies.effective')}>
                  {formatDate(row.effectiveFrom)} –{' '}
                  {row.effectiveTo ? formatDate(row.effectiveTo) : t('policies.inForce')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ValidateForm />
    </section>
  )
}

/** Policy owners check a YAML file before it ships; the server answers with each problem and where it is. */
function ValidateForm() {
  const { t } = useTranslation()
  const [answer, setAnswer] = useState<PolicyValidation | null>(null)
  const [error, setError] = useState<unknown>(null)

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const file = form.get('file')
    const pasted = String(form.get('yaml') ?? '')
    const yaml = file instanceof File && file.size > 0 ? await file.text() : pasted
    setError(null)
    setAnswer(null)
    try {
      setAnswer(await api.post<PolicyValidation>(POLICIES.validate, { yaml }))
    } catch (failure) {
      setError(failure)
    }
  }

  const valid = answer?.valid
  return (
    <form
      className="card form"
      onSubmit={(event) => void handleSubmit(event)}
      aria-labelledby="validate-title"
    >
      <h2 id="validate-title">{t('policies.validateTitle')}</h2>
      <label htmlFor="policy-file">{t('policies.file')}</label>
      <FilePicker id="policy-file" name="file" accept=".yaml,.yml,text/yaml" />
      <label htmlFor="policy-yaml">{t('policies.orPaste')}</label>
      <textarea id="policy-yaml" name="yaml" rows={6} className="mono" />
      <button type="submit">{t('policies.validate')}</button>
      <ErrorNote error={error} />
      {answer && (
        <div className={`note ${valid ? 'note-ok' : 'note-error'}`} role="status">
          <p>{valid ? t('policies.valid') : t('policies.invalid')}</p>
          <ul>
            {answer.errors.map((issue) => (
              <li key={`${issue.line}-${issue.field}-${issue.message}`}>
                {issue.line !== undefined && <code>{issue.line}:</code>}{' '}
                {issue.field && <code>{issue.field}</code>} {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  )
}
