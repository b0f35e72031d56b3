import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClaimView } from '../api/types.ts'

/**
 * The head of a claim's page, alike for the customer and the staff: the claim number and
 * state, the model, serial and RMA number; `children` is the page's own action beside it.
 */
export function ClaimHeading({ claim, children }: { claim: ClaimView; children?: ReactNode }) {
  const { t } = useTranslation()
  const rmaNumber = claim.rma?.number ?? null
  return (
    <div className="page-head">
      <div>
        <h1>
          {t('claim.title', { number: claim.number })}{' '}
          <span className={`state state-${claim.state}`} data-testid="claim-state" data-state={claim.state}>
            {t(`state.${claim.state}`, { defaultValue: claim.state })}
          </span>
        </h1>
        <p className="muted">
          {claim.model} <code>{claim.serial}</code>
          {rmaNumber && (
            <>
              {' · '}
              {t('common.labelled', { label: t('claim.rma') })}
              <span data-testid="claim-rma">{rmaNumber}</span>
            </>
          )}
        </p>
      </div>
      {children}
    </div>
  )
}
