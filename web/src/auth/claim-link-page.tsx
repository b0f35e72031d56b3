import { useEffect, useState } from 'react'
import { Navigate, useLocation, useParams } from 'react-router'
import { pages } from '../../../src/contracts/pages.ts'
import { Loading } from '../components/status.tsx'
import { followAccountLanguage } from '../i18n/i18n.ts'
import { useSession } from './session.tsx'

/**
 * The page behind every link the service hands out for a claim (e-mails, PDFs, the repair
 * order's QR code): it cannot know who follows it, so it sends a signed-out reader to sign
 * in and back here, then on to the claim page of the reader's own role, keeping the section.
 */
export function ClaimLinkPage() {
  const { id = '' } = useParams()
  const { user, accountLocale, loading } = useSession()
  const location = useLocation()
  const [following, setFollowing] = useState(true)
  // A link from our e-mail opens in the language of the account that follows it.
  useEffect(() => {
    if (loading) return
    if (!user) {
      setFollowing(false)
      return
    }
    void followAccountLanguage(accountLocale).finally(() => setFollowing(false))
  }, [loading, user, accountLocale])
  if (loading || (user && following)) return <Loading />
  if (!user)
    return <Navigate to={pages.signIn(location.pathname + location.search + location.hash)} replace />
  return <Navigate to={`${pages.claimFor(user.role, id)}${location.hash}`} replace />
}
