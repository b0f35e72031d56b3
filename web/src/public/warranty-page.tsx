import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiError } from '../api/client.ts'
import { REGISTRY } from '../api/endpoints.ts'
import type { WarrantyLookup } from '../api/types.ts'
import { useSession } from '../auth/session.tsx'
import { usePolicyTitle } from '../components/clause-words.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDate } from '../i18n/i18n.ts'

export function WarrantyPage() {
  const { t } = useTranslation()
  const { serial } = useParams()
  const navigate = useNavigate()
  const [value, setValue] = useState(serial ?? '')

  function handleSubmit(event: FormEvent) {
    event.preventDefault()
    const trimmed = value.trim()
    if (trimmed) void navigate(`/warranty/${encodeURIComponent(trimmed)}`)
  }

  return (
    <section className="page narrow">
      <h1>{t('lookup.title')}</h1>
      <p className="lead">{t('lookup.lead')}</p>
      <search>
        <form className="inline-form" onSubmit={handleSubmit}>
          <label htmlFor="serial">{t('lookup.serial')}</label>
          <div className="inline-row">
            <input
              id="serial"
              name="serial"
              value={value}
              onChange={(event) => setValue(event.target.value)}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              required
              placeholder="PO-ARES-0001"
            />
            <button type="submit">{t('lookup.submit')}</button>
          </div>
        </form>
      </search>
      {serial ? <WarrantyResult serial={serial} /> : <LookupHints />}
    </section>
  )
}

function LookupHints() {
  const { t } = useTranslation()
  return (
    <div className="cards">
      <Link className="card card-link" to="/self-checks">
        <h2>{t('lookup.selfCheckTitle')}</h2>
        <p>{t('lookup.selfCheckText')}</p>
      </Link>
      <Link className="card card-link" to="/sign-in">
        <h2>{t('lookup.claimTitle')}</h2>
        <p>{t('lookup.claimText')}</p>
      </Link>
    </div>
  )
}

/** The server says whether the unit is covered on the day it checked; the rest is which side of the range. */
function warrantyStatus(result: WarrantyLookup): 'active' | 'expired' | 'none' | 'not-started' {
  if (result.inWarranty) return 'active'
  if (!result.warranty) return 'none'
  return result.checkedOn < result.warranty.starts ? 'not-started' : 'expired'
}

function WarrantyResult({ serial }: { serial: string }) {
  const { t } = useTranslation()
  const policyTitle = usePolicyTitle()
  const { user } = useSession()
  const { data, error, loading } = useApi<WarrantyLookup>(REGISTRY.warranty(serial))
  if (loading) return <Loading />
  if (error instanceof ApiError && error.status === 404) {
    return (
      <p className="note note-warn" role="alert" data-testid="lookup-not-found">
        {t('lookup.notFound', { serial })}
      </p>
    )
  }
  if (error) return <ErrorNote error={error} />
  if (!data) return null
  const status = warrantyStatus(data)
  const range = data.warranty
  const policy = t('lookup.policyWithVersion', {
    title: policyTitle(data.policy),
    version: t('lookup.version', { version: data.policy.version }),
  })
  return (
    <article className="card result" aria-live="polite" data-testid="warranty-result">
      <h2>
        {data.model.name || t('lookup.unit')} <code>{data.serial}</code>
      </h2>
      <p className={`status status-${status}`} data-testid="warranty-status">
        {t(`lookup.status.${status}`, {
          ends: range ? formatDate(range.ends) : '',
          starts: range ? formatDate(range.starts) : '',
        })}
      </p>
      <dl className="facts">
        {range && (
          <>
            <dt>{t('lookup.coveredFrom')}</dt>
            <dd>{formatDate(range.starts)}</dd>
            <dt>{t('lookup.coveredUntil')}</dt>
            <dd data-testid="warranty-ends">{formatDate(range.ends)}</dd>
          </>
        )}
        <dt>{t('lookup.policy')}</dt>
        <dd>{policy}</dd>
      </dl>
      <p className="actions">
        <Link
          className="button"
          to={user ? `/my/claims/new?serial=${encodeURIComponent(data.serial)}` : '/sign-in'}
        >
          {t('lookup.openClaim')}
        </Link>
        {/* The serial typed in the look-up goes on to the checks and from there to the claim form. */}
        <Link className="button button-quiet" to={`/self-checks?serial=${encodeURIComponent(data.serial)}`}>
          {t('lookup.selfCheckTitle')}
        </Link>
      </p>
    </article>
  )
}
