import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { isSafeReturnPath, isServerDocument, pages } from '../../../src/contracts/pages.ts'
import { ApiError } from '../api/client.ts'
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

  // A token the server cannot even take for one is a link cut short (mail programs wrap long
  // lines): the reader needs to hear that, not which rule of the request it broke.
  const cutShort = error instanceof ApiError && error.code === 'validation'
  return (
    <section className="page narrow">
      <h1>{t('signIn.title')}</h1>
      {!token ? (
        <p>{t('signIn.linkMissing')}</p>
      ) : cutShort ? (
        <p className="note note-error" role="alert">
          {t('signIn.linkMissing')}
        </p>
      ) : error ? (
        <ErrorNote error={error} />
      ) : (
        <Loading />
      )}
      {(!token || error !== null) && (
        <p>
          <Link to={pages.signIn(isSafeReturnPath(next) ? next : undefined)}>{t('signIn.askAgain')}</Link>
        </p>
      )}
    </section>
  )
}
