import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FINDINGS } from '../../../src/contracts/vocabulary.ts'
import type { Finding } from '../api/types.ts'
import { CheckGrid } from '../components/check-grid.tsx'

/** The contract's findings, in its order. */
export const FINDING_CHOICES = FINDINGS

/** The claims API's inspection body (src/claims/claim.schemas.ts `inspectionBody`). */
export interface InspectionBody extends Record<string, unknown> {
  serialSeen: string
  sealsIntact: boolean
  packaging: 'good' | 'damaged' | 'missing'
  contentsReceived: string[]
  findings: Finding[]
  faultConfirmed: boolean
  manufacturingDefect: boolean
  notes?: string
}

/** What the technician found: the fault, findings from the contract's list, and what came back missing from the model's standard package. */
export function InspectionForm({
  serial,
  standardPackage,
  packageLabels,
  busy,
  onSubmit,
}: {
  serial: string
  standardPackage: string[]
  /** The items in the reader's language, in the same order; the stored words go back to the server. */
  packageLabels?: string[] | undefined
  busy: boolean
  onSubmit(body: InspectionBody): Promise<void>
}) {
  const { t } = useTranslation()
  // Nothing is ticked until the technician has seen it: a default tick records what nobody checked.
  const [present, setPresent] = useState<Set<string>>(new Set())

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const findings = FINDING_CHOICES.filter((finding) => form.get(`finding-${finding}`) === 'on')
    const extraReceived = String(form.get('extraReceived') ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
    await onSubmit({
      serialSeen: String(form.get('serialSeen')).trim(),
      sealsIntact: form.get('seals') === 'intact',
      packaging: String(form.get('packaging')) as InspectionBody['packaging'],
      // The server compares what came in with the model's standard package to find what is missing.
      contentsReceived: [...standardPackage.filter((item) => present.has(item)), ...extraReceived],
      findings,
      faultConfirmed: form.get('faultConfirmed') === 'on',
      manufacturingDefect: form.get('manufacturingDefect') === 'on',
      notes: String(form.get('notes') ?? '') || undefined,
    }).catch(() => undefined)
  }

  return (
    <form
      className="card form"
      onSubmit={(event) => void handleSubmit(event)}
      aria-labelledby="inspection-title"
      data-testid="inspection-form"
    >
      <h2 id="inspection-title">{t('inspection.title')}</h2>
      <label htmlFor="serial-seen">{t('inspection.serialSeen')}</label>
      <input id="serial-seen" name="serialSeen" defaultValue={serial} required spellCheck={false} />
      {/* Asked, not ticked: an unticked box recorded a broken seal, a finding that voids the
          warranty, for every technician who had not looked at the seals yet. */}
      <fieldset>
        <legend>{t('inspection.seals')}</legend>
        <label className="choice">
          <input type="radio" name="seals" value="intact" required />
          {t('inspection.sealsIntact')}
        </label>
        <label className="choice">
          <input type="radio" name="seals" value="broken" required />
          {t('inspection.sealsBroken')}
        </label>
      </fieldset>
      <label htmlFor="packaging">{t('inspection.packaging')}</label>
      <select id="packaging" name="packaging" defaultValue="good">
        {(['good', 'damaged', 'missing'] as const).map((value) => (
          <option key={value} value={value}>
            {t(`inspection.packagingState.${value}`)}
          </option>
        ))}
      </select>
      <label className="choice">
        <input type="checkbox" name="faultConfirmed" />
        {t('inspection.faultConfirmed')}
      </label>
      <label className="choice">
        <input type="checkbox" name="manufacturingDefect" />
        {t('inspection.manufacturingDefect')}
      </label>
      <fieldset>
        <legend>{t('inspection.findings')}</legend>
        <CheckGrid prefix="finding" choices={FINDING_CHOICES} labelOf={(f) => t(`finding.${f}`)} />
      </fieldset>
      <fieldset>
        <legend>{t('inspection.package')}</legend>
        {standardPackage.length === 0 && <p className="muted">{t('inspection.noPackage')}</p>}
        <div className="check-grid">
          {standardPackage.map((item, index) => (
            <label key={item} className="choice" data-testid="package-item">
              <input
                type="checkbox"
                checked={present.has(item)}
                onChange={() =>
                  setPresent((current) => {
                    const next = new Set(current)
                    if (next.has(item)) next.delete(item)
                    else next.add(item)
                    return next
                  })
                }
              />
              {packageLabels?.[index] ?? item}
            </label>
          ))}
        </div>
        <label htmlFor="extra-received">{t('inspection.extraReceived')}</label>
        <input id="extra-received" name="extraReceived" />
      </fieldset>
      <label htmlFor="inspection-notes">{t('inspection.notes')}</label>
      <textarea id="inspection-notes" name="notes" rows={3} />
      <button type="submit" disabled={busy}>
        {t('inspection.submit')}
      </button>
    </form>
  )
}
