import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClaimView } from '../api/types.ts'
import { answersWaitingFor, carrySelfCheckAnswers } from '../public/self-checks-page.tsx'
import { ErrorNote } from './status.tsx'

/**
 * Self-check answers given before the claim was opened that did not reach it (the claim form
 * opens the claim whatever becomes of them): said on the claim's page, with a way to add them.
 */
export function SelfChecksWaiting({ claim, onAdded }: { claim: ClaimView; onAdded: () => void }) {
  const { t } = useTranslation()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  if (!claim.allowedActions.includes('record-selfcheck') || !answersWaitingFor(claim.serial)) return null

  async function add() {
    setBusy(true)
    setError(null)
    try {
      await carrySelfCheckAnswers({ id: claim.id, serial: claim.serial, version: claim.version ?? 0 })
      onAdded()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="note note-warn" role="status" data-testid="self-checks-waiting">
      <p>{t('checks.notCarried')}</p>
      <button type="button" disabled={busy} onClick={() => void add()}>
        {t('checks.addWaiting')}
      </button>
      <ErrorNote error={error} />
    </div>
  )
}
