import { useTranslation } from 'react-i18next'
import type { ClaimEvent } from '../api/types.ts'
import { formatDateTime } from '../i18n/i18n.ts'

function readActor(event: ClaimEvent): string {
  if (event.actorName) return event.actorName
  if (!event.actor) return ''
  return typeof event.actor === 'string' ? event.actor : (event.actor.name ?? event.actor.role ?? '')
}

/** The case's history, newest last, as the customer and staff both see it. */
export function Timeline({ events }: { events: ClaimEvent[] }) {
  const { t } = useTranslation()
  if (events.length === 0) return <p className="muted">{t('timeline.empty')}</p>
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((event, index) => (
        <li key={event.id ?? `${event.type}-${index}`} className="timeline-item">
          <span className="timeline-dot" aria-hidden="true" />
          <p className="timeline-title">{t(`event.${event.type}`, { defaultValue: event.type })}</p>
          <p className="muted">
            <time dateTime={event.at}>{formatDateTime(event.at)}</time>
            {readActor(event) && ` · ${readActor(event)}`}
          </p>
          {event.note && <p>{event.note}</p>}
        </li>
      ))}
    </ol>
  )
}
