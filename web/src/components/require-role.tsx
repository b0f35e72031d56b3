import { useTranslation } from 'react-i18next'
import { Navigate, Outlet, useLocation } from 'react-router'
import { pages } from '../../../src/contracts/pages.ts'
import { type Role, useSession } from '../auth/session.tsx'
import { Loading } from './status.tsx'

/** Pages for one kind of user: anonymous readers are sent to sign in and brought back afterwards. */
export function RequireRole({ roles }: { roles: readonly Role[] }) {
  const { user, loading } = useSession()
  const location = useLocation()
  const { t } = useTranslation()
  if (loading) return <Loading />
  if (!user) {
    return <Navigate to={pages.signIn(location.pathname + location.search + location.hash)} replace />
  }
  if (!roles.includes(user.role)) {
    return (
      <section className="page">
        <h1>{t('common.notForYouTitle')}</h1>
        <p>{t('common.notForYou')}</p>
      </section>
    )
  }
  return <Outlet />
}
