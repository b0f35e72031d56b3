import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { EVIDENCE_KINDS, PART_KINDS, PROBLEM_KINDS } from '../../../src/contracts/vocabulary.ts'
import { api } from '../api/client.ts'
import { POLICIES, REGISTRY } from '../api/endpoints.ts'
import {
  type CaseInput,
  type Decision,
  type ModelSummary,
  type Page,
  type PolicySummary,
  type ProblemKind,
  readItems,
} from '../api/types.ts'
import { categoryLabel } from '../components/catalogue-labels.ts'
import { CheckGrid } from '../components/check-grid.tsx'
import { usePolicyTitle } from '../components/clause-words.tsx'
import { DateField } from '../components/date-field.tsx'
import { DecisionDetails } from '../components/decision-view.tsx'
import { localToday } from '../components/local-today.ts'
import { ErrorNote } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'
import { FINDING_CHOICES } from './inspection-form.tsx'

const SHIPPED_POLICIES = ['player-one', 'touptek', 'retailer', 'shenzhen-service', 'ist'] as const
// The contract's vocabularies, so the form always offers what the engine accepts.
const PARTS = PART_KINDS
const PROBLEMS = PROBLEM_KINDS
const EVIDENCE = EVIDENCE_KINDS

function readDate(form: FormData, name: string): string | undefined {
  const value = String(form.get(name) ?? '')
  return value || undefined
}

/** Builds a case from the form exactly as the adjudication contract spells it. */
function buildCase(form: FormData): CaseInput {
  const inspect = form.get('inspect') === 'on'
  const preference = String(form.get('preference') ?? '')
  return {
    policy: String(form.get('policy')),
    claimedOn: String(form.get('claimedOn')),
    product: {
      part: String(form.get('part')) as CaseInput['product']['part'],
      category: String(form.get('category') || 'camera'),
    },
    purchase: {
      channel: form.get('channel') === 'dealer' ? 'dealer' : 'direct',
      brand: form.get('brand') === 'agent' ? 'agent' : 'own',
      purchasedOn: readDate(form, 'purchasedOn'),
      deliveredOn: readDate(form, 'deliveredOn'),
      proofOfPurchase: form.get('proofOfPurchase') === 'on',
      warrantyCard: form.get('warrantyCard') === 'on',
      secondHand: form.get('secondHand') === 'on',
    },
    problem: {
      kind: String(form.get('kind')) as ProblemKind,
      packagingDamaged: form.get('packagingDamaged') === 'on',
    },
    ...(preference ? { preference: preference as NonNullable<CaseInput['preference']> } : {}),
    evidence: EVIDENCE.filter((item) => form.get(`evidence-${item}`) === 'on'),
    ...(inspect
      ? {
          inspection: {
            faultConfirmed: form.get('faultConfirmed') === 'on',
            manufacturingDefect: form.get('manufacturingDefect') === 'on',
            findings: FINDING_CHOICES.filter((finding) => form.get(`finding-${finding}`) === 'on'),
          },
        }
      : {}),
  }
}

export function TryPolicyPage() {
  const { t } = useTranslation()
  const titleOf = usePolicyTitle()
  // Titles in the reader's language; until they arrive, the options show the ids.
  const policyList = readItems(useApi<Page<PolicySummary>>(POLICIES.list).data)
  // A policy matches a product by its catalogue category (`camera`, `astro-box`): the field
  // offers the categories the catalogue uses rather than leave them to be known by heart.
  const categories = [
    ...new Set(readItems(useApi<Page<ModelSummary>>(REGISTRY.models).data).map((m) => m.category)),
  ].sort()
  const [params] = useSearchParams()
  const [decision, setDecision] = useState<Decision | null>(null)
  const [sent, setSent] = useState<CaseInput | null>(null)
  const [error, setError] = useState<unknown>(null)
  const today = localToday()

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const body = buildCase(new FormData(event.currentTarget))
    setSent(body)
    setError(null)
    try {
      setDecision(await api.post<Decision>(POLICIES.decide, body))
    } catch (failure) {
      setDecision(null)
      setError(failure)
    }
  }

  return (
    <section className="page wide">
      <h1>{t('tryPolicy.title')}</h1>
      <p className="lead">{t('tryPolicy.lead')}</p>
      <div className="columns">
        <form
          className="card form"
          onSubmit={(event) => void handleSubmit(event)}
          data-testid="try-policy-form"
        >
          <label htmlFor="try-policy">{t('policies.policy')}</label>
          <select id="try-policy" name="policy" defaultValue={params.get('policy') ?? 'player-one'}>
            {SHIPPED_POLICIES.map((id) => {
              const summary = policyList.find((p) => p.id === id)
              return (
                <option key={id} value={id}>
                  {summary ? titleOf(summary) : id}
                </option>
              )
            })}
          </select>
          <label htmlFor="try-claimed">{t('newClaim.claimedOn')}</label>
          <DateField id="try-claimed" name="claimedOn" defaultValue={today} required />
          <label htmlFor="try-part">{t('tryPolicy.part')}</label>
          <select id="try-part" name="part">
            {PARTS.map((part) => (
              <option key={part} value={part}>
                {t(`part.${part}`)}
              </option>
            ))}
          </select>
          <label htmlFor="try-category">{t('tryPolicy.category')}</label>
          <input
            id="try-category"
            name="category"
            defaultValue="camera"
            list="try-categories"
            autoComplete="off"
          />
          <datalist id="try-categories">
            {categories.map((category) => (
              <option key={category} value={category} label={categoryLabel(t, category)} />
            ))}
          </datalist>
          <label htmlFor="try-channel">{t('tryPolicy.channel')}</label>
          <select id="try-channel" name="channel">
            <option value="direct">{t('tryPolicy.direct')}</option>
            <option value="dealer">{t('tryPolicy.dealer')}</option>
          </select>
          <label htmlFor="try-brand">{t('tryPolicy.brand')}</label>
          <select id="try-brand" name="brand">
            <option value="own">{t('tryPolicy.own')}</option>
            <option value="agent">{t('tryPolicy.agent')}</option>
          </select>
          <label htmlFor="try-purchased">{t('lookup.purchasedOn')}</label>
          <DateField id="try-purchased" name="purchasedOn" />
          <label htmlFor="try-delivered">{t('lookup.deliveredOn')}</label>
          <DateField id="try-delivered" name="deliveredOn" />
          <div className="check-grid">
            <label className="choice">
              <input type="checkbox" name="proofOfPurchase" defaultChecked />
              {t('tryPolicy.proof')}
            </label>
            <label className="choice">
              <input type="checkbox" name="warrantyCard" defaultChecked />
              {t('tryPolicy.card')}
            </label>
            <label className="choice">
              <input type="checkbox" name="secondHand" />
              {t('tryPolicy.secondHand')}
            </label>
            <label className="choice">
              <input type="checkbox" name="packagingDamaged" />
              {t('newClaim.packagingDamaged')}
            </label>
          </div>
          <label htmlFor="try-kind">{t('newClaim.kind')}</label>
          <select id="try-kind" name="kind">
            {PROBLEMS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`problem.${kind}`)}
              </option>
            ))}
          </select>
          <label htmlFor="try-preference">{t('newClaim.preference')}</label>
          <select id="try-preference" name="preference">
            <option value="">{t('newClaim.noPreference')}</option>
            {(['repair', 'replace', 'refund'] as const).map((r) => (
              <option key={r} value={r}>
                {t(`newClaim.preferences.${r}`)}
              </option>
            ))}
          </select>
          <fieldset>
            <legend>{t('newClaim.evidence')}</legend>
            <CheckGrid prefix="evidence" choices={EVIDENCE} labelOf={(e) => t(`evidence.${e}`)} />
          </fieldset>
          <details>
            <summary>{t('tryPolicy.inspection')}</summary>
            <label className="choice">
              <input type="checkbox" name="inspect" />
              {t('tryPolicy.inspected')}
            </label>
            <label className="choice">
              <input type="checkbox" name="faultConfirmed" defaultChecked />
              {t('inspection.faultConfirmed')}
            </label>
            <label className="choice">
              <input type="checkbox" name="manufacturingDefect" defaultChecked />
              {t('inspection.manufacturingDefect')}
            </label>
            <CheckGrid prefix="finding" choices={FINDING_CHOICES} labelOf={(f) => t(`finding.${f}`)} />
          </details>
          <button type="submit">{t('tryPolicy.decide')}</button>
        </form>
        <div className="stack" aria-live="polite">
          <ErrorNote error={error} />
          {decision && <DecisionDetails decision={decision} />}
          {sent && (
            <details>
              <summary>{t('tryPolicy.caseJson')}</summary>
              <pre className="mono code-block">{JSON.stringify(sent, null, 2)}</pre>
            </details>
          )}
        </div>
      </div>
    </section>
  )
}
