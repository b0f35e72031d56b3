import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { isSafeReturnPath, isServerDocument } from '../../../src/contracts/pages.ts'
import { homePathFor, useSession } from '../auth/session.tsx'
import { ErrorNote } from '../components/status.tsx'

/** Only same-site paths are followed after sign-in, so a crafted link cannot send anyone elsewhere. */
function readSafeNext(next: string | null): string | null {
  return isSafeReturnPath(next) ? next : null
}

export function SignInPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const next = readSafeNext(params.get('next'))
  return (
    <section className="page narrow">
      <h1>{t('signIn.title')}</h1>
      <div className="cards">
        <PasswordForm next={next} />
        <LinkForm next={next} />
      </div>
    </section>
  )
}

function PasswordForm({ next }: { next: string | null }) {
  const { t } = useTranslation()
  const { signIn } = useSession()
  const navigate = useNavigate()
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setBusy(true)
    setError(null)
    try {
      const user = await signIn(String(form.get('email')), String(form.get('password')))
      if (next && isServerDocument(next)) window.location.assign(next)
      else await navigate(next ?? homePathFor(user.role))
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="card form"
      onSubmit={(event) => void handleSubmit(event)}
      aria-labelledby="password-title"
    >
      <h2 id="password-title">{t('signIn.passwordTitle')}</h2>
      <p className="muted">{t('signIn.passwordLead')}</p>
      <label htmlFor="email">{t('signIn.email')}</label>
      <input id="email" name="email" type="email" autoComplete="username" required />
      <label htmlFor="password">{t('signIn.password')}</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      <ErrorNote error={error} />
      <button type="submit" disabled={busy}>
        {t('signIn.submit')}
      </button>
    </form>
  )
}

function LinkForm({ next }: { next: string | null }) {
  const { t } = useTranslation()
  const { requestLink } = useSession()
  const [sentTo, setSentTo] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const email = String(new FormData(event.currentTarget).get('email'))
    setError(null)
    try {
      await requestLink(email, next)
      setSentTo(email)
    } catch (failure) {
      setError(failure)
    }
  }

  return (
    <form className="card form" onSubmit={(event) => void handleSubmit(event)} aria-labelledby="link-title">
      <h2 id="link-title">{t('signIn.linkTitle')}</h2>
      <p className="muted">{t('signIn.linkLead')}</p>
      <label htmlFor="link-email">{t('signIn.email')}</label>
      <input id="link-email" name="email" type="email" autoComplete="email" required />
      <ErrorNote error={error} />
      {sentTo && (
        <p className="note note-ok" role="status">
          {t('signIn.linkSent', { email: sentTo })}
        </p>
      )}
      <button type="submit">{t('signIn.linkSubmit')}</button>
    </form>
  )
}
