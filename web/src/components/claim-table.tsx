import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { ClaimListItem } from '../api/types.ts'
import { formatDateTime } from '../i18n/i18n.ts'
import { SlaBadge } from './sla-badge.tsx'

/** A claim as a list shows it: the server's view, with its most urgent SLA clock where the page knows it. */
export type ClaimRow = Pick<ClaimListItem, 'id' | 'number' | 'model' | 'serial' | 'state' | 'updatedAt'> & {
  dueAt?: string | null
  slaClock?: string | null
  /** A level of `levelOfClock`: ok, warning, breached or paused. */
  slaStatus?: string | null
}

interface ClaimTableProps {
  claims: ClaimRow[]
  linkBase: string
  showSla?: boolean
  selected?: Set<string>
  onToggle?: (id: string) => void
}

/** Claims as a table on a desk and as stacked rows on a phone (CSS turns rows into cards). */
export function ClaimTable({ claims, linkBase, showSla = false, selected, onToggle }: ClaimTableProps) {
  const { t } = useTranslation()
  if (claims.length === 0) return <p className="muted">{t('claims.none')}</p>
  return (
    <div className="table-wrap">
      <table className="table table-stack" data-testid="claim-table">
        <thead>
          <tr>
            {onToggle && (
              <th scope="col">
                <span className="visually-hidden">{t('claims.select')}</span>
              </th>
            )}
            <th scope="col">{t('claims.number')}</th>
            <th scope="col">{t('claims.unit')}</th>
            <th scope="col">{t('claims.state')}</th>
            {showSla && <th scope="col">{t('claims.due')}</th>}
            <th scope="col">{t('claims.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {claims.map((claim) => (
            <tr key={claim.id}>
              {onToggle && (
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('claims.selectOne', { number: claim.number })}
                    checked={selected?.has(claim.id) ?? false}
                    onChange={() => onToggle(claim.id)}
                  />
                </td>
              )}
              <td data-label={t('claims.number')}>
                <Link to={`${linkBase}/${encodeURIComponent(claim.id)}`}>{claim.number}</Link>
              </td>
              <td data-label={t('claims.unit')}>
                {claim.model} <code>{claim.serial}</code>
              </td>
              <td data-label={t('claims.state')}>
                <span className={`state state-${claim.state}`}>
                  {t(`state.${claim.state}`, { defaultValue: claim.state })}
                </span>
              </td>
              {showSla && (
                <td data-label={t('claims.due')}>
                  <SlaBadge
                    dueAt={claim.dueAt ?? null}
                    status={claim.slaStatus ?? null}
                    clock={claim.slaClock ?? null}
                  />
                </td>
              )}
              <td data-label={t('claims.updated')}>{formatDateTime(claim.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
