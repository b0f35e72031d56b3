import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { Decision } from '../api/types.ts'
import { DecisionDetails } from './decision-view.tsx'
import { EvidenceGallery } from './evidence-gallery.tsx'
import { Timeline } from './timeline.tsx'

type EvidenceFiles = Parameters<typeof EvidenceGallery>[0]['files']
type TimelineEvents = Parameters<typeof Timeline>[0]['events']

/** The claim's decision card, the same for the customer and for service staff. */
export function DecisionCard({ decision }: { decision: Decision | null | undefined }) {
  const { t } = useTranslation()
  const titleId = useId()
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('claim.decision')}</h2>
      {decision ? <DecisionDetails decision={decision} /> : <p className="muted">{t('claim.noDecision')}</p>}
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
