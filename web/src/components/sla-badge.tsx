import { useTranslation } from 'react-i18next'
import { formatDateTime } from '../i18n/i18n.ts'

const WARNING_MS = 4 * 60 * 60 * 1000

/** Colour by how close the deadline is; the words carry the same meaning for colour-blind readers. */
export function readSlaLevel(
  dueAt: string | null,
  status: string | null,
  now = Date.now(),
): 'ok' | 'warning' | 'breached' | 'none' {
  if (status === 'breached' || status === 'warning' || status === 'ok') return status
  if (!dueAt) return 'none'
  const left = new Date(dueAt).getTime() - now
  if (left < 0) return 'breached'
  return left < WARNING_MS ? 'warning' : 'ok'
}

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
