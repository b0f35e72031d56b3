import { useTranslation } from 'react-i18next'
import { formatDateTime } from '../i18n/i18n.ts'
import { readSlaLevel } from './sla-level.ts'

export function SlaBadge({
  dueAt,
  status,
  clock,
}: {
  dueAt: string | null
  status: string | null
  clock: string | null
}) {
  const { t } = useTranslation()
  const level = readSlaLevel(dueAt, status)
  if (level === 'none') return <span className="muted">—</span>
  return (
    <span className={`sla sla-${level}`}>
      <span className="sla-dot" aria-hidden="true" />
      {t(`sla.${level}`)}{' '}
      {clock && <span className="muted">({t(`clock.${clock}`, { defaultValue: clock })})</span>}{' '}
      <time dateTime={dueAt ?? ''}>{formatDateTime(dueAt)}</time>
    </span>
  )
}
