import { useTranslation } from 'react-i18next'
import type { ClaimView } from '../api/types.ts'
import { formatList } from '../i18n/i18n.ts'

/** What the bench recorded, as the decision sees it: findings and the standard items that did not come back. */
export function InspectionSummary({
  inspection,
  itemLabel = (item) => item,
}: {
  inspection: NonNullable<ClaimView['inspection']>
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
        <dt>{t('inspection.missingItems')}</dt>
        <dd>{missing.length > 0 ? formatList(missing.map(itemLabel)) : t('inspection.nothingMissing')}</dd>
      </dl>
    </section>
  )
}
