import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { PAGE_ROUTES } from '../../../src/contracts/pages.ts'
import { ApiError, api } from '../api/client.ts'
import { PROFILE } from '../api/endpoints.ts'
import type { UnsubscribeAnswer } from '../api/types.ts'
import { ErrorNote, Loading } from '../components/status.tsx'
import { LANGUAGES, type Language, switchLanguage } from '../i18n/i18n.ts'

/**
 * The page the link at the foot of an optional e-mail opens: it stops that kind of mail for
 * the address it was sent to, without signing in, and says so in the mail's language. It asks
 * first: a mail scanner that opens links and runs their pages must not stop a person's mail.
 * Mail programs that unsubscribe in one click post to the API themselves (RFC 8058).
 */
export function UnsubscribePage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const token = params.get('token')
  const lang = params.get('lang')
  const [answer, setAnswer] = useState<UnsubscribeAnswer | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [sending, setSending] = useState(false)

  useEffect(() => {
    // The mail's language, for this visit only: the reader's own choice stays as it was.
    if ((LANGUAGES as readonly string[]).includes(lang ?? ''))
      void switchLanguage(lang as Language, { remember: false })
  }, [lang])

  const stop = () => {
    if (!token || sending) return
    setSending(true)
    api
      .post<UnsubscribeAnswer>(PROFILE.unsubscribe(token))
      .then(setAnswer)
      .catch(setError)
      .finally(() => setSending(false))
  }

  const badLink = !token || (error instanceof ApiError && error.code === 'validation')
  return (
    <section className="page narrow">
      <h1>{t('unsubscribe.title')}</h1>
      {badLink ? (
        <p className="note note-error" role="alert">
          {t('unsubscribe.badLink')}
        </p>
      ) : error ? (
        <ErrorNote error={error} />
      ) : answer ? (
        <div role="status" data-testid="unsubscribed">
          <p>
            {t('unsubscribe.done', { address: answer.address, kind: t(`unsubscribe.kind.${answer.kind}`) })}
          </p>
          <p className="muted">{t('unsubscribe.stillComes')}</p>
        </div>
      ) : sending ? (
        <Loading />
      ) : (
        <div>
          <p>{t('unsubscribe.ask')}</p>
          <button type="button" onClick={stop}>
            {t('unsubscribe.confirm')}
          </button>
        </div>
      )}
      <p>
        {/* Where the same choice is made once signed in: reminders go to customers, warnings to managers. */}
        <Link to={answer?.kind === 'reliability-alerts' ? PAGE_ROUTES.staffReliability : '/my/profile'}>
          {t('unsubscribe.settings')}
        </Link>
      </p>
    </section>
  )
}
