import { useTranslation } from 'react-i18next'
import { ApiError } from '../api/client.ts'
import { withFieldLabel } from './field-labels.ts'

export function Loading() {
  const { t } = useTranslation()
  return (
    <p className="muted" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  )
}

/**
 * Shows an API error: the server's message, already in the reader's language, the field it
 * names said by its form label (`labels`: a form's own label keys by field name).
 */
export function ErrorNote({ error, labels }: { error: unknown; labels?: Record<string, string> }) {
  const { t } = useTranslation()
  if (!error) return null
  let text = t('common.unexpectedError')
  if (error instanceof ApiError) {
    // The server words its message in the reader's language; the code's own line stands in when it sent none.
    text = error.message
      ? withFieldLabel(error.message, error.field, (key) => t(key), labels)
      : t(`errors.${error.code}`, { defaultValue: t('common.unexpectedError') })
  } else if (error instanceof Error) {
    text = error.message
  }
  return (
    <p className="note note-error" role="alert">
      {text}
    </p>
  )
}
