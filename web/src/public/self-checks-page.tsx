import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { CLAIMS } from '../api/endpoints.ts'
import type { SelfCheckList, SelfCheckStep } from '../api/types.ts'
import { ErrorNote, Loading } from '../components/status.tsx'
import { useApi } from '../components/use-api.ts'

/** Seed 004: the Player One cooled cameras' first-run checks are the product line offered first. */
export const DEFAULT_PRODUCT_LINE = 'player-one-cooled-camera'

type Outcome = 'pass' | 'fail'

export function SelfChecksPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const line = params.get('line') ?? DEFAULT_PRODUCT_LINE
  const { data, error, loading } = useApi<SelfCheckList>(CLAIMS.selfChecks(line))
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({})
  const steps: SelfCheckStep[] = data?.checks ?? []
  const failed = steps.filter((step) => outcomes[step.id] === 'fail')
  const done = steps.length > 0 && steps.every((step) => outcomes[step.id])

  return (
    <section className="page narrow">
      <h1>{data?.title ?? t('selfChecks.title')}</h1>
      <p className="lead">{t('selfChecks.lead')}</p>
      {loading && <Loading />}
      <ErrorNote error={error} />
      <ol className="steps" data-testid="self-check-steps">
        {steps.map((step, index) => (
          <li key={step.id} className="card step">
            <fieldset>
              <legend>
                <span className="step-number">{index + 1}</span> {step.instruction}
              </legend>
              {step.remedy && outcomes[step.id] === 'fail' && (
                <p className="note note-warn">
                  {t('selfChecks.tryThis')} {step.remedy}
                </p>
              )}
              <div className="choice-row">
                {(['pass', 'fail'] as const).map((outcome) => (
                  <label key={outcome} className="choice">
                    <input
                      type="radio"
                      name={`check-${step.id}`}
                      value={outcome}
                      checked={outcomes[step.id] === outcome}
                      onChange={() => setOutcomes((prev) => ({ ...prev, [step.id]: outcome }))}
                    />
                    {t(`selfChecks.${outcome}`)}
                  </label>
                ))}
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      {done && (
        <div className={`note ${failed.length ? 'note-warn' : 'note-ok'}`} role="status">
          {failed.length === 0 ? (
            <p>{t('selfChecks.allPassed')}</p>
          ) : (
            <>
              <p>{t('selfChecks.someFailed', { count: failed.length })}</p>
              <Link className="button" to="/my/claims/new">
                {t('lookup.openClaim')}
              </Link>
            </>
          )}
        </div>
      )}
    </section>
  )
}
