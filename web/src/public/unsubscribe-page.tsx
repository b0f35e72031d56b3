import { useEffect, useRef, useState } from 'react'
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
 * the address it was sent to, without signing in, and says so in the mail's language.
 */
export function UnsubscribePage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const token = params.get('token')
  const lang = params.get('lang')
  const [answer, setAnswer] = useState<UnsubscribeAnswer | null>(null)
  const [error, setError] = useState<unknown>(null)
  const sent = useRef(false)

  useEffect(() => {
    // The mail's language, for this visit only: the reader's own choice stays as it was.
    if ((LANGUAGES as readonly string[]).includes(lang ?? ''))
      void switchLanguage(lang as Language, { remember: false })
  }, [lang])

  useEffect(() => {
    if (!token || sent.current) return
    sent.current = true
    api.post<UnsubscribeAnswer>(PROFILE.unsubscribe(token)).then(setAnswer).catch(setError)
  }, [token])

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
      ) : (
        <Loading />
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
