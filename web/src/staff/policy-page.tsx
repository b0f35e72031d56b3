import { useTranslation } from 'react-i18next'
import { Link, useParams, useSearchParams } from 'react-router'
import { POLICIES } from '../api/endpoints.ts'
import type { PolicyDetail } from '../api/types.ts'
import { ClauseWords, usePolicyTitle } from '../components/clause-words.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDate } from '../i18n/i18n.ts'

/**
 * One policy version: every clause with the words of the seller's document it stands for, in
 * the reader's language with the original one click away. Clause ids and the policy
 * writer's notes on each reading (written in the policy's language) sit in a fold.
 */
export function PolicyPage() {
  const { t } = useTranslation()
  const titleOf = usePolicyTitle()
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
          <h1>{titleOf(data)}</h1>
          <p className="muted">
            {t('policies.version')} {data.version}
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
                <span className="badge">
                  {t(`policies.kind.${clause.kind}`, { defaultValue: clause.kind })}
                </span>
              </p>
              <ClauseWords source={clause} />
              <details className="staff-details" data-testid="clause-codes">
                <summary>{t('policies.clauseDetails')}</summary>
                <p>
                  <code>{ref}</code>
                </p>
                {clause.comment && (
                  <p className="muted" lang={clause.language === 'zh' ? 'zh-CN' : 'en'}>
                    {clause.comment}
                  </p>
                )}
              </details>
            </li>
          )
        })}
      </ol>
    </section>
  )
}
