import { useTranslation } from 'react-i18next'
import { Link, useParams, useSearchParams } from 'react-router'
import { POLICIES } from '../api/endpoints.ts'
import type { PolicyDetail } from '../api/types.ts'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDate } from '../i18n/i18n.ts'

/** One policy version: every clause with the words of the seller's document it stands for. */
export function PolicyPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const [params] = useSearchParams()
  const version = params.get('version') ?? undefined
  const policy = useApi<PolicyDetail>(POLICIES.one(id), { version })
  if (policy.loading) return <Loading />
  if (policy.error) return <ErrorNote error={policy.error} />
  if (!policy.data) return null
  const data = policy.data.policy
  const clauses = policy.data.clauses
  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>{data.title}</h1>
          <p className="muted">
            <code>
              {data.id}@{data.version}
            </code>
            {data.effectiveFrom &&
              ` · ${formatDate(data.effectiveFrom)} – ${data.effectiveTo ? formatDate(data.effectiveTo) : t('policies.inForce')}`}
          </p>
        </div>
        <Link className="button" to={`/staff/policies/try?policy=${encodeURIComponent(data.id)}`}>
          {t('policies.try')}
        </Link>
      </div>
      <ol className="clause-list" data-testid="policy-clauses">
        {clauses.map((clause) => {
          const ref = clause.clause
          return (
            <li key={ref} className="clause card">
              <p className="clause-id">
                <code>{ref}</code> <span className="badge">{clause.kind}</span>
              </p>
              <blockquote>{clause.text}</blockquote>
              {clause.comment && <p className="muted">{clause.comment}</p>}
            </li>
          )
        })}
      </ol>
    </section>
  )
}
