import { useTranslation } from 'react-i18next'
import type { ClaimEvent } from '../api/types.ts'
import { formatDate, formatDateTime } from '../i18n/i18n.ts'
import { historyAnchor } from './history-anchor.ts'

const readActor = (event: ClaimEvent): string => event.actor.name || event.actor.role

/**
 * The title's key: a dealer sale settled by the seller (its staff, or its sales records
 * imported) is told as the seller's word, not the dealer's; a sale the seller's records move
 * to no dealer at all says the seller sold it.
 */
const titleKey = (event: ClaimEvent): string => {
  if (!event.type.startsWith('dealer-sale.') || event.data.source === 'dealer') return `event.${event.type}`
  const toSeller = event.type === 'dealer-sale.moved' && event.data.dealerOrgId === null
  return `event.${event.type}${toSeller ? '-to-seller' : ''}-by-seller`
}

/** The case's history, newest last, as the customer and staff both see it. */
export function Timeline({ events }: { events: ClaimEvent[] }) {
  const { t } = useTranslation()
  if (events.length === 0) return <p className="muted">{t('timeline.empty')}</p>
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((event) => (
        // Numbered as recovery lines cite it (#12), and its anchor for their links; focusable so
        // a link's arrival is where the keyboard goes on from.
        <li key={event.seq} className="timeline-item" id={historyAnchor(event.seq)} tabIndex={-1}>
          <span className="timeline-dot" aria-hidden="true" />
          <p className="timeline-title">
            {t(titleKey(event), {
              defaultValue: event.type,
              dealer: typeof event.data.dealerName === 'string' ? event.data.dealerName : '',
            })}
          </p>
          <p className="muted">
            <span data-testid="timeline-seq">#{event.seq}</span> ·{' '}
            <time dateTime={event.at}>{formatDateTime(event.at)}</time>
            {readActor(event) && ` · ${readActor(event)}`}
          </p>
          {typeof event.data.note === 'string' && event.data.note && <p translate="no">{event.data.note}</p>}
          {event.type === 'purchase-proof.refused' && given(event.data.reason) && (
            // Staff's words to the customer, shown as written.
            <p translate="no">{event.data.reason}</p>
          )}
          {event.type === 'pickup.scheduled' && <PickupDetails data={event.data} />}
        </li>
      ))}
    </ol>
  )
}

const given = (value: unknown): value is string => typeof value === 'string' && value.trim() !== ''

/**
 * The collection the customer's e-mail announced (day, time, carrier, address), where the
 * e-mail's link leads: the page is where they look it up again on the day.
 */
function PickupDetails({ data }: { data: ClaimEvent['data'] }) {
  const { t } = useTranslation()
  if (!given(data.pickupOn)) return null
  return (
    <ul className="plain-list" data-testid="pickup-details">
      <li>{t('timeline.pickupOn', { date: formatDate(data.pickupOn) })}</li>
      {given(data.window) && <li>{t('timeline.pickupWindow', { window: data.window })}</li>}
      {given(data.carrier) && (
        <li translate="no">{t('timeline.pickupCarrier', { carrier: data.carrier })}</li>
      )}
      {given(data.address) && (
        <li translate="no">{t('timeline.pickupAddress', { address: data.address })}</li>
      )}
    </ul>
  )
}
