import { useTranslation } from 'react-i18next'
import { ApiError } from '../api/client.ts'

export function Loading() {
  const { t } = useTranslation()
  return (
    <p className="muted" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  )
}

/** Shows an API error in the reader's language where we know the code, else the server's own words. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation()
  if (!error) return null
  let text = t('common.unexpectedError')
  if (error instanceof ApiError) {
    const known = t(`errors.${error.code}`, { defaultValue: '' })
    text = known ? `${known} ${error.message}` : error.message
  } else if (error instanceof Error) {
    text = error.message
  }
  return (
    <p className="note note-error" role="alert">
      {text}
    </p>
  )
}
