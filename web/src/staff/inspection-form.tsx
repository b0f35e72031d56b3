import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FINDINGS } from '../../../src/contracts/vocabulary.ts'
import type { Finding, InspectionBody } from '../api/types.ts'
import { CheckGrid } from '../components/check-grid.tsx'
import { fieldErrors } from '../components/field-errors.tsx'
import { ErrorNote } from '../components/status.tsx'

/** The contract's findings, in its order. */
export const FINDING_CHOICES = FINDINGS

const FIELDS = ['serialSeen', 'packaging', 'contentsReceived', 'faultCausedBy', 'notes'] as const
type Field = (typeof FIELDS)[number]

/** The labels of the fields a refusal of the inspection names (`body.faultCausedBy.0: …`). */
export const INSPECTION_LABELS: Record<Field, string> = {
  serialSeen: 'inspection.serialSeen',
  packaging: 'inspection.packaging',
  contentsReceived: 'inspection.extraReceived',
  faultCausedBy: 'inspection.causes',
  notes: 'inspection.notes',
}

/**
 * The findings the technician may name as the fault's causes: those ticked, and a broken
 * seal when the seals were answered broken (the server records that finding itself).
 */
export function causeChoices(findings: readonly Finding[], sealsBroken: boolean): Finding[] {
  return FINDING_CHOICES.filter(
    (finding) => findings.includes(finding) || (finding === 'seal-broken' && sealsBroken),
  )
}

/** What the technician found: the fault, findings from the contract's list, and what came back missing from the model's standard package. */
export function InspectionForm({
  serial,
  standardPackage,
  packageLabels,
  busy,
  error = null,
  onSubmit,
}: {
  serial: string
  standardPackage: string[]
  /** The items in the reader's language, in the same order; the stored words go back to the server. */
  packageLabels?: string[] | undefined
  busy: boolean
  /** The server's refusal of the last inspection sent, shown beside the field it names. */
  error?: unknown
  onSubmit(body: InspectionBody): Promise<void>
}) {
  const { t } = useTranslation()
  // Nothing is ticked until the technician has seen it: a default tick records what nobody checked.
  const [present, setPresent] = useState<Set<string>>(new Set())
  // The causes are picked among what is ticked above, so the form follows the ticks as they change.
  const [found, setFound] = useState<Finding[]>([])
  const [sealsBroken, setSealsBroken] = useState(false)
  // Unstated, the server takes every finding as a cause, as it did before causes were recorded.
  const [causesStated, setCausesStated] = useState(false)
  const [causes, setCauses] = useState<Set<Finding>>(new Set())
  const choices = causeChoices(found, sealsBroken)
  const formId = 'inspection'
  const { refused, noteFor, invalid } = fieldErrors(error, FIELDS, formId, INSPECTION_LABELS)

  function followTicks(form: HTMLFormElement) {
    const data = new FormData(form)
    setFound(FINDING_CHOICES.filter((finding) => data.get(`finding-${finding}`) === 'on'))
    setSealsBroken(data.get('seals') === 'broken')
  }

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
      // A cause picked and then unticked above is no longer a finding: it is not sent.
      ...(causesStated ? { faultCausedBy: choices.filter((finding) => causes.has(finding)) } : {}),
      notes: String(form.get('notes') ?? '') || undefined,
    }).catch(() => undefined)
  }

  return (
    <form
      className="card form"
      onSubmit={(event) => void handleSubmit(event)}
      onChange={(event) => followTicks(event.currentTarget)}
      aria-labelledby="inspection-title"
      data-testid="inspection-form"
    >
      <h2 id="inspection-title">{t('inspection.title')}</h2>
      <label htmlFor="serial-seen">{t('inspection.serialSeen')}</label>
      <input
        id="serial-seen"
        name="serialSeen"
        defaultValue={serial}
        required
        spellCheck={false}
        {...invalid('serialSeen')}
      />
      {noteFor('serialSeen')}
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
      <select id="packaging" name="packaging" defaultValue="good" {...invalid('packaging')}>
        {(['good', 'damaged', 'missing'] as const).map((value) => (
          <option key={value} value={value}>
            {t(`inspection.packagingState.${value}`)}
          </option>
        ))}
      </select>
      {noteFor('packaging')}
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
      <fieldset
        data-testid="inspection-causes"
        aria-describedby={[`${formId}-causes-hint`, invalid('faultCausedBy')['aria-describedby']]
          .filter(Boolean)
          .join(' ')}
      >
        <legend>{t('inspection.causes')}</legend>
        <p className="muted" id={`${formId}-causes-hint`}>
          {t('inspection.causesHint')}
        </p>
        <label className="choice">
          <input
            type="checkbox"
            name="causesStated"
            checked={causesStated}
            onChange={(event) => setCausesStated(event.target.checked)}
          />
          {t('inspection.causesStated')}
        </label>
        {causesStated && choices.length === 0 && <p className="muted">{t('inspection.causesNoFindings')}</p>}
        {causesStated && choices.length > 0 && (
          <div className="check-grid">
            {choices.map((finding) => (
              <label key={finding} className="choice">
                <input
                  type="checkbox"
                  name={`cause-${finding}`}
                  checked={causes.has(finding)}
                  onChange={() =>
                    setCauses((current) => {
                      const next = new Set(current)
                      if (next.has(finding)) next.delete(finding)
                      else next.add(finding)
                      return next
                    })
                  }
                />
                {t(`finding.${finding}`)}
              </label>
            ))}
          </div>
        )}
        {noteFor('faultCausedBy')}
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
        <input id="extra-received" name="extraReceived" {...invalid('contentsReceived')} />
        {noteFor('contentsReceived')}
      </fieldset>
      <label htmlFor="inspection-notes">{t('inspection.notes')}</label>
      <textarea id="inspection-notes" name="notes" rows={3} {...invalid('notes')} />
      {noteFor('notes')}
      {/* A refusal of no field on the form (a claim changed meanwhile) is shown whole. */}
      {error !== null && refused === undefined && <ErrorNote error={error} labels={INSPECTION_LABELS} />}
      <button type="submit" disabled={busy}>
        {t('inspection.submit')}
      </button>
    </form>
  )
}
