import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ApiError } from '../api/client.ts'
import { ErrorNote } from './status.tsx'

/**
 * The open claim a refusal names (`details.openClaimId`, `openClaimNumber`): the server sends
 * it only to a party that may see that claim, so a link to it never leads anyone astray.
 */
export function openClaimOf(error: unknown): { id: string; number: string } | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null
  const id = error.details?.openClaimId
  if (typeof id !== 'string' || !id) return null
  const number = error.details?.openClaimNumber
  return { id, number: typeof number === 'string' && number ? number : id }
}

/**
 * A refusal shown whole, with a link to the open claim it names on the reader's own pages
 * (`/my`, `/staff`): the claim is what must close before the unit can move.
 */
export function RefusalNote({
  error,
  claimsBase,
  labels,
}: {
  error: unknown
  claimsBase: '/my' | '/staff'
  labels?: Record<string, string>
}) {
  const { t } = useTranslation()
  const claim = openClaimOf(error)
  if (!claim) return <ErrorNote error={error} {...(labels ? { labels } : {})} />
  return (
    <div data-testid="open-claim-refusal">
      <ErrorNote error={error} {...(labels ? { labels } : {})} />
      <p className="actions">
        <Link to={`${claimsBase}/claims/${encodeURIComponent(claim.id)}`}>
          {t('transferHold.openClaim', { number: claim.number })}
        </Link>
      </p>
    </div>
  )
}
