import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api } from '../api/client.ts'
import { REGISTRY } from '../api/endpoints.ts'
import type { Organisation, OrganisationStanding, Page } from '../api/types.ts'
import { useSession } from '../auth/session.tsx'
import { QueueStatus, useQueueAction } from '../components/queue-action.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { formatDateTime } from '../i18n/i18n.ts'

type Readdressed = { dealer: string; returns: NonNullable<OrganisationStanding['readdressedReturns']> }

/** Who may deactivate and reactivate an organisation: the server refuses anyone else. */
const MANAGING_ROLES = ['manager', 'admin']

/**
 * The sellers, dealers, agents and makers on file with whether each is active. A dealer that
 * left the network is deactivated, not deleted: its users are refused and it cannot be named
 * on a new sale, while its claims, units and recoveries stay as they are.
 */
export function OrganisationsPage() {
  const { t } = useTranslation()
  const { user } = useSession()
  const list = useApi<Page<Organisation>>(REGISTRY.organisations)
  const changing = useQueueAction(list.reload)
  const manages = user !== null && MANAGING_ROLES.includes(user.role)
  const items = list.data?.items ?? []

  // The returns a deactivation sent elsewhere, for staff to follow up with each customer.
  const [readdressed, setReaddressed] = useState<Readdressed | null>(null)

  function change(org: Organisation, action: 'deactivate' | 'reactivate') {
    setReaddressed(null)
    return changing.run(
      async () => {
        const standing = await api.post<OrganisationStanding>(REGISTRY.organisationActive(org.id, action))
        const returns = standing.readdressedReturns ?? []
        if (returns.length > 0) setReaddressed({ dealer: org.name, returns })
      },
      {
        key: action === 'deactivate' ? 'staffOrgs.deactivated' : 'staffOrgs.reactivated',
        values: { name: org.name },
      },
    )
  }

  return (
    <section className="page wide">
      <div className="page-head">
        <h1>{t('staffOrgs.title')}</h1>
      </div>
      <p className="muted">{t('staffOrgs.lead')}</p>
      <QueueStatus action={changing} testId="organisation-changed" />
      {readdressed && (
        <div className="note" role="status" data-testid="readdressed-returns">
          <p>{t('staffOrgs.readdressed', { name: readdressed.dealer })}</p>
          <ul>
            {readdressed.returns.map((r) => (
              <li key={r.claimId}>
                <Link to={`/staff/claims/${encodeURIComponent(r.claimId)}`}>{r.claimNumber}</Link>{' '}
                {t('staffOrgs.readdressedTo', { rma: r.rmaNumber, name: r.shipTo })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {list.loading && !list.data && <Loading />}
      <ErrorNote error={list.error} />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-stack" data-testid="staff-organisations">
            <thead>
              <tr>
                <th scope="col">{t('staffOrgs.name')}</th>
                <th scope="col">{t('staffOrgs.kind')}</th>
                <th scope="col">{t('staffOrgs.country')}</th>
                <th scope="col">{t('staffOrgs.status')}</th>
                {manages && (
                  <th scope="col">
                    <span className="visually-hidden">{t('staffOrgs.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {items.map((org) => (
                <tr key={org.id} data-org={org.id} data-active={org.active ? 'yes' : 'no'}>
                  <td data-label={t('staffOrgs.name')}>
                    {org.name} <span className="muted">{org.email}</span>
                  </td>
                  <td data-label={t('staffOrgs.kind')}>{t(`staffOrgs.kinds.${org.kind}`)}</td>
                  <td data-label={t('staffOrgs.country')}>{org.country}</td>
                  <td data-label={t('staffOrgs.status')}>
                    {org.active
                      ? t('staffOrgs.active')
                      : org.deactivatedAt
                        ? t('staffOrgs.inactiveSince', { at: formatDateTime(org.deactivatedAt) })
                        : t('staffOrgs.inactive')}
                  </td>
                  {manages && org.kind === 'seller' && <td />}
                  {manages && org.kind !== 'seller' && (
                    <td className="actions">
                      {org.active ? (
                        <button
                          type="button"
                          className="button-quiet"
                          disabled={changing.busy}
                          onClick={() => {
                            if (window.confirm(t('staffOrgs.confirmDeactivate', { name: org.name })))
                              void change(org, 'deactivate')
                          }}
                        >
                          {t('staffOrgs.deactivate')}
                        </button>
                      ) : (
                        <button
                          type="button"
                          disabled={changing.busy}
                          onClick={() => void change(org, 'reactivate')}
                        >
                          {t('staffOrgs.reactivate')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
