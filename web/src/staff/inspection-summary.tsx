import { useTranslation } from 'react-i18next'
import type { ClaimEvent, ClaimView } from '../api/types.ts'
import { formatList } from '../i18n/i18n.ts'

/** What the bench saw beyond what the decision reads (the inspection event's `bench`). */
export interface BenchRecord {
  serialSeen?: string
  packaging?: string
  notes?: string
}

/** The bench record of the claim's latest inspection, from its history. */
export function readBenchRecord(events: readonly ClaimEvent[]): BenchRecord | null {
  const bench = events.filter((event) => event.type === 'inspection.recorded').at(-1)?.data.bench
  if (!bench || typeof bench !== 'object') return null
  const { serialSeen, packaging, notes } = bench as Record<string, unknown>
  return {
    ...(typeof serialSeen === 'string' ? { serialSeen } : {}),
    ...(typeof packaging === 'string' ? { packaging } : {}),
    ...(typeof notes === 'string' && notes.trim() ? { notes } : {}),
  }
}

/**
 * What the bench recorded: findings and the standard items that did not come back, as the
 * decision sees them, and the serial read, the packaging and the technician's notes, which
 * whoever decides or answers the customer next needs to read.
 */
export function InspectionSummary({
  inspection,
  bench = null,
  itemLabel = (item) => item,
}: {
  inspection: NonNullable<ClaimView['inspection']>
  bench?: BenchRecord | null
  /** A standard package item in the reader's language. */
  itemLabel?: (item: string) => string
}) {
  const { t } = useTranslation()
  const findings = inspection.findings ?? []
  const missing = inspection.missingItems ?? []
  return (
    <section className="card" aria-labelledby="inspection-summary-title" data-testid="inspection-summary">
      <h2 id="inspection-summary-title">{t('inspection.recorded')}</h2>
      <dl className="facts">
        <dt>{t('inspection.faultConfirmed')}</dt>
        <dd>{inspection.faultConfirmed ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('inspection.manufacturingDefect')}</dt>
        <dd>{inspection.manufacturingDefect ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('inspection.findings')}</dt>
        <dd>
          {findings.length > 0
            ? formatList(findings.map((f) => t(`finding.${f}`, { defaultValue: f })))
            : t('inspection.noFindings')}
        </dd>
        {/* Only where the bench said: unsaid, every finding counts as a cause, as the form's hint tells. */}
        {inspection.faultCausedBy && (
          <>
            <dt>{t('inspection.causes')}</dt>
            <dd data-testid="inspection-causes-recorded">
              {inspection.faultCausedBy.length > 0
                ? formatList(inspection.faultCausedBy.map((f) => t(`finding.${f}`, { defaultValue: f })))
                : t('inspection.causedByNone')}
            </dd>
          </>
        )}
        <dt>{t('inspection.missingItems')}</dt>
        <dd>{missing.length > 0 ? formatList(missing.map(itemLabel)) : t('inspection.nothingMissing')}</dd>
        {bench?.serialSeen && (
          <>
            <dt>{t('inspection.serialSeen')}</dt>
            <dd>
              <code translate="no">{bench.serialSeen}</code>
            </dd>
          </>
        )}
        {bench?.packaging && (
          <>
            <dt>{t('inspection.packaging')}</dt>
            <dd>{t(`inspection.packagingState.${bench.packaging}`, { defaultValue: bench.packaging })}</dd>
          </>
        )}
        {bench?.notes && (
          <>
            <dt>{t('inspection.notes')}</dt>
            {/* The technician's own words, shown as written. */}
            <dd translate="no" data-testid="inspection-notes">
              {bench.notes}
            </dd>
          </>
        )}
      </dl>
    </section>
  )
}
