import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { pages } from '../../../src/contracts/pages.ts'
import { ApiError, api, forgetCsrfToken, rememberCsrfToken } from '../api/client.ts'
import { AUTH } from '../api/endpoints.ts'
import type { MeAnswer, SessionAnswer, SessionUser } from '../api/types.ts'
import { currentLanguage, followAccountLanguage, forgetAccountLanguage } from '../i18n/i18n.ts'

export type { SessionUser }
export type Role = SessionUser['role']
const STAFF: readonly Role[] = ['support', 'technician', 'manager', 'admin']

interface SessionState {
  user: SessionUser | null
  /** The language the signed-in account reads in, when it chose one. */
  accountLocale: string | null
  loading: boolean
  signIn(email: string, password: string): Promise<SessionUser>
  /** E-mails a one-time link that signs in and then opens `next`. */
  requestLink(email: string, next?: string | null): Promise<void>
  consumeLink(token: string): Promise<SessionUser>
  signOut(): Promise<void>
  refresh(): Promise<void>
}

const CSRF_COOKIE = 'aftercare_csrf'

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return null
}

const SessionContext = createContext<SessionState | null>(null)

/** Sign-in and `auth/me` both answer `{ user, locale, csrfToken }`. */
function readUser(body: SessionAnswer | MeAnswer | undefined): SessionUser | null {
  rememberCsrfToken(body?.csrfToken)
  return body?.user ?? null
}

export function isStaffRole(role: Role | undefined): boolean {
  return role !== undefined && STAFF.includes(role)
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null>(null)
  const [accountLocale, setAccountLocale] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)

  const refresh = useCallback(async () => {
    // The CSRF cookie lives exactly as long as the session: without it nobody is signed in,
    // and asking the server would only log a 401 in the console of every anonymous visit.
    const cookieToken = readCookie(CSRF_COOKIE)
    if (!cookieToken) {
      setUser(null)
      setLoading(false)
      return
    }
    rememberCsrfToken(cookieToken)
    try {
      const me = await api.get<MeAnswer>(AUTH.session)
      setAccountLocale(me?.locale ?? null)
      setUser(readUser(me))
    } catch (error) {
      // 401 means "nobody signed in"; anything else is shown by the page that needs the user.
      if (!(error instanceof ApiError) || error.status !== 401) console.warn('session check failed', error)
      setUser(null)
    } finally {
      setLoading(false)
    }
  }, [])

  useEffect(() => {
    void refresh()
  }, [refresh])

  const value = useMemo<SessionState>(
    () => ({
      user,
      accountLocale,
      loading,
      refresh,
      async signIn(email, password) {
        const answer = await api.post<SessionAnswer>(AUTH.signIn, { email, password })
        const signedIn = readUser(answer)
        if (!signedIn) throw new ApiError(500, 'internal', 'No user in the sign-in answer')
        // The account's saved language beats the browser's guess, as after a sign-in link; a
        // language chosen on the page in this browser stays (see followAccountLanguage).
        await followAccountLanguage(answer?.locale)
        setAccountLocale(answer?.locale ?? null)
        setUser(signedIn)
        return signedIn
      },
      async requestLink(email, next) {
        await api.post(AUTH.requestLink, { email, locale: currentLanguage(), ...(next ? { next } : {}) })
      },
      async consumeLink(token) {
        const answer = await api.post<SessionAnswer>(AUTH.consumeLink, { token })
        const signedIn = readUser(answer)
        if (!signedIn) throw new ApiError(500, 'internal', 'No user in the sign-in answer')
        // Whoever follows a link from our e-mail reads the page in their account's language.
        await followAccountLanguage(answer?.locale)
        setAccountLocale(answer?.locale ?? null)
        setUser(signedIn)
        return signedIn
      },
      async signOut() {
        try {
          await api.post(AUTH.signOut)
        } finally {
          forgetCsrfToken()
          forgetAccountLanguage()
          setAccountLocale(null)
          setUser(null)
        }
      },
    }),
    [user, accountLocale, loading, refresh],
  )
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): SessionState {
  const state = useContext(SessionContext)
  if (!state) throw new Error('useSession must be used inside SessionProvider')
  return state
}

/** Where each role lands after signing in. */
export function homePathFor(role: Role): string {
  return pages.home(role)
}
