import { useTranslation } from 'react-i18next'
import type { ClaimEvent } from '../api/types.ts'
import { formatDateTime } from '../i18n/i18n.ts'

const readActor = (event: ClaimEvent): string => event.actor.name || event.actor.role

/** The case's history, newest last, as the customer and staff both see it. */
export function Timeline({ events }: { events: ClaimEvent[] }) {
  const { t } = useTranslation()
  if (events.length === 0) return <p className="muted">{t('timeline.empty')}</p>
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((event) => (
        <li key={event.seq} className="timeline-item">
          <span className="timeline-dot" aria-hidden="true" />
          <p className="timeline-title">{t(`event.${event.type}`, { defaultValue: event.type })}</p>
          <p className="muted">
            <time dateTime={event.at}>{formatDateTime(event.at)}</time>
            {readActor(event) && ` · ${readActor(event)}`}
          </p>
          {typeof event.data.note === 'string' && event.data.note && <p translate="no">{event.data.note}</p>}
        </li>
      ))}
    </ol>
  )
}
