import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { PURCHASE_PROOF_CARD } from './case-extras.tsx'

/**
 * What holds a step back, by the server's reason (`heldActions[].reason`): the words that say
 * it, and the card on the page where it is done, if any.
 */
const HELD_BECAUSE: Record<string, { words: string; doneAt?: { anchor: string; words: string } }> = {
  'claims.decision.proof-waits': {
    words: 'held.proofWaits',
    doneAt: { anchor: PURCHASE_PROOF_CARD, words: 'held.toProof' },
  },
}

/**
 * A step the claim's lifecycle holds until something else is done first: its button, which
 * cannot be pressed, and beside it why, pointing to where that is done. Once it is done the
 * server offers the step, and the page shows its working button instead.
 */
export function HeldStep({ action, reason }: { action: string; reason: string }) {
  const { t } = useTranslation()
  const whyId = useId()
  const because = HELD_BECAUSE[reason]
  return (
    <span className="held-step" data-testid={`held-${action}`}>
      <button type="button" disabled aria-describedby={whyId}>
        {t(`action.${action}`, { defaultValue: action })}
      </button>{' '}
      <span id={whyId} className="muted">
        {t(because?.words ?? 'held.other')}
        {because?.doneAt && (
          <>
            {' '}
            <a href={`#${because.doneAt.anchor}`}>{t(because.doneAt.words)}</a>
          </>
        )}
      </span>
    </span>
  )
}
