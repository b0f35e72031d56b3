import { useTranslation } from 'react-i18next'
import { Link, NavLink, Outlet, useNavigate } from 'react-router'
import { homePathFor, isStaffRole, useSession } from '../auth/session.tsx'
import { LanguageSwitch } from './language-switch.tsx'
import { usePageTitle } from './page-title.ts'

export function Layout() {
  const { t } = useTranslation()
  const { user, signOut } = useSession()
  const navigate = useNavigate()
  usePageTitle()

  async function handleSignOut() {
    await signOut()
    await navigate('/')
  }

  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <Link to={user ? homePathFor(user.role) : '/'} className="brand">
          <span aria-hidden="true" className="brand-mark">
            ◐
          </span>{' '}
          Aftercare
        </Link>
        <nav aria-label={t('nav.main')} className="mainnav">
          <NavLink to="/" end>
            {t('nav.warranty')}
          </NavLink>
          <NavLink to="/self-checks">{t('nav.selfChecks')}</NavLink>
          {user?.role === 'customer' && <NavLink to="/my">{t('nav.my')}</NavLink>}
          {user?.role === 'dealer' && <NavLink to="/dealer">{t('nav.dealer')}</NavLink>}
          {(user?.role === 'dealer' || isStaffRole(user?.role)) && (
            <NavLink to="/recoveries">{t('recoveries.nav')}</NavLink>
          )}
          {isStaffRole(user?.role) && (
            <>
              <NavLink to="/staff" end>
                {t('nav.queue')}
              </NavLink>
              <NavLink to="/staff/catalogue">{t('nav.catalogue')}</NavLink>
              <NavLink to="/staff/policies">{t('nav.policies')}</NavLink>
              <NavLink to="/staff/dashboard">{t('nav.dashboard')}</NavLink>
              <NavLink to="/staff/reliability">{t('reliability.nav')}</NavLink>
            </>
          )}
        </nav>
        <div className="topbar-end">
          <LanguageSwitch />
          {user ? (
            <button type="button" className="button-quiet" onClick={() => void handleSignOut()}>
              {t('nav.signOut')}
            </button>
          ) : (
            <NavLink to="/sign-in">{t('nav.signIn')}</NavLink>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="footer muted">
        <p>{t('footer.text')}</p>
      </footer>
    </>
  )
}
