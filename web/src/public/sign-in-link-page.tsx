import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { isSafeReturnPath, isServerDocument } from '../../../src/contracts/pages.ts'
import { homePathFor, useSession } from '../auth/session.tsx'
import { ErrorNote, Loading } from '../components/status.tsx'

/** The page an e-mailed sign-in link opens: it trades the one-time token for a session. */
export function SignInLinkPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const { consumeLink } = useSession()
  const navigate = useNavigate()
  const [error, setError] = useState<unknown>(null)
  const used = useRef(false)
  const token = params.get('token')
  const next = params.get('next')

  useEffect(() => {
    // The token is single-use: StrictMode's second effect run must not spend it twice.
    if (!token || used.current) return
    used.current = true
    consumeLink(token)
      .then((user) => {
        if (isSafeReturnPath(next) && isServerDocument(next)) return window.location.replace(next)
        return navigate(isSafeReturnPath(next) ? next : homePathFor(user.role), { replace: true })
      })
      .catch(setError)
  }, [token, next, consumeLink, navigate])

  return (
    <section className="page narrow">
      <h1>{t('signIn.title')}</h1>
      {token ? error ? <ErrorNote error={error} /> : <Loading /> : <p>{t('signIn.linkMissing')}</p>}
    </section>
  )
}
