import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'react-router'

/** Which page a path is, most specific first: the key of its title in `titles`. */
const TITLE_OF_PATH: [RegExp, string][] = [
  [/^\/$/, 'warranty'],
  [/^\/warranty\//, 'warranty'],
  [/^\/self-checks/, 'selfChecks'],
  [/^\/sign-in/, 'signIn'],
  [/^\/setup/, 'setup'],
  [/^\/my\/units\/new/, 'registerUnit'],
  [/^\/(my|dealer)\/claims\/new/, 'newClaim'],
  [/^\/(my|dealer)\/claims\//, 'claim'],
  [/^\/my/, 'my'],
  [/^\/dealer/, 'dealer'],
  [/^\/staff\/claims\//, 'case'],
  [/^\/staff\/dashboard/, 'dashboard'],
  [/^\/staff\/reliability/, 'reliability'],
  [/^\/staff\/catalogue/, 'catalogue'],
  [/^\/staff\/units\//, 'unit'],
  [/^\/staff\/dealer-sales/, 'dealerSales'],
  [/^\/staff\/organisations/, 'organisations'],
  [/^\/staff\/unit-proofs/, 'unitProofs'],
  [/^\/staff\/import/, 'import'],
  [/^\/staff\/policies\/try/, 'tryPolicy'],
  [/^\/staff\/policies\/./, 'policy'],
  [/^\/staff\/policies/, 'policies'],
  [/^\/staff\/?$/, 'queue'],
  [/^\/recoveries\/./, 'recovery'],
  [/^\/recoveries/, 'recoveries'],
  [/^\/claims\//, 'claim'],
]

/** Names each browser tab by its page, in the reader's language. */
export function usePageTitle(): void {
  const { t, i18n } = useTranslation()
  const { pathname } = useLocation()
  // biome-ignore lint/correctness/useExhaustiveDependencies: the title follows the language too.
  useEffect(() => {
    const key = TITLE_OF_PATH.find(([pattern]) => pattern.test(pathname))?.[1] ?? 'notFound'
    document.title = `${t(`titles.${key}`)} · Aftercare`
  }, [pathname, t, i18n.language])
}
