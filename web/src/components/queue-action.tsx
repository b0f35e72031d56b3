import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from './status.tsx'

/**
 * What the last answer did, kept as its i18n key and values rather than as words, so that it
 * reads in the language the page is switched to afterwards, as the rest of the page does.
 */
export interface QueueOutcome {
  key: string
  values: Record<string, string>
}

/** One answer at a time given from a staff review queue, and what came of the last one. */
export interface QueueAction {
  /** An answer is on its way: the queue's buttons wait for it. */
  busy: boolean
  /** Why the server refused the last answer; null when it took it or none was given. */
  failure: unknown
  /** What the last answer the server took did; null while one is on its way or after a refusal. */
  done: QueueOutcome | null
  /** Sends one answer; once the server takes it, says `outcome` and asks the queue again. */
  run(send: () => Promise<unknown>, outcome: QueueOutcome): Promise<void>
}

/** `reload` asks the queue again: the row answered leaves it or shows its new state. */
export function useQueueAction(reload: () => void): QueueAction {
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<unknown>(null)
  const [done, setDone] = useState<QueueOutcome | null>(null)

  async function run(send: () => Promise<unknown>, outcome: QueueOutcome) {
    setBusy(true)
    setFailure(null)
    setDone(null)
    try {
      await send()
      setDone(outcome)
      reload()
    } catch (error) {
      setFailure(error)
    } finally {
      setBusy(false)
    }
  }

  return { busy, failure, done, run }
}

/**
 * What came of the last answer: the server's refusal as an alert, or what was done as a
 * status. `labels` are the queue's own label keys of the fields a refusal may name, so the
 * message names the field as the row shows it (`reason`, not `body.reason`).
 */
export function QueueStatus({
  action,
  testId,
  labels,
}: {
  action: QueueAction
  /** The done note's test id, which each queue's browser tests wait on. */
  testId: string
  labels?: Record<string, string>
}) {
  const { t } = useTranslation()
  return (
    <>
      <ErrorNote error={action.failure} {...(labels ? { labels } : {})} />
      {action.done && (
        <p className="note note-ok" role="status" data-testid={testId}>
          {t(action.done.key, action.done.values)}
        </p>
      )}
    </>
  )
}
