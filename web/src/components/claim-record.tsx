import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { Decision } from '../api/types.ts'
import { DecisionDetails } from './decision-view.tsx'
import { EvidenceGallery } from './evidence-gallery.tsx'
import { Timeline } from './timeline.tsx'

type EvidenceFiles = Parameters<typeof EvidenceGallery>[0]['files']
type TimelineEvents = Parameters<typeof Timeline>[0]['events']

/**
 * The claim's decision card. Service staff get the codes and the clause trace in a fold; a
 * customer or dealer gets the policy's words without any code (`player-one@1`, clause keys).
 * The customer is spoken to ("you"); staff and the dealer serving the claim read of the
 * customer in the third person.
 */
export function DecisionCard({
  decision,
  reader = 'customer',
}: {
  decision: Decision | null | undefined
  reader?: 'customer' | 'dealer' | 'staff'
}) {
  const { t } = useTranslation()
  const titleId = useId()
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('claim.decision')}</h2>
      {decision ? (
        <DecisionDetails
          decision={decision}
          showTrace={reader === 'staff'}
          serviceSide={reader !== 'customer'}
        />
      ) : (
        <p className="muted">{t('claim.noDecision')}</p>
      )}
    </section>
  )
}

/** The photos, videos and documents on a claim. */
export function EvidenceCard({ claimId, files }: { claimId: string; files: EvidenceFiles }) {
  const { t } = useTranslation()
  const titleId = useId()
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('claim.evidence')}</h2>
      <EvidenceGallery claimId={claimId} files={files} />
    </section>
  )
}

/** The claim's history, newest last. */
export function TimelineCard({ events }: { events: TimelineEvents }) {
  const { t } = useTranslation()
  const titleId = useId()
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('claim.timeline')}</h2>
      <Timeline events={events} />
    </section>
  )
}
