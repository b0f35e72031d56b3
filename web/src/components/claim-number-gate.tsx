import type { ReactNode } from 'react'
import { Navigate, useLocation, useParams } from 'react-router'
import { claimIdPrefixOf } from '../../../src/contracts/claim-number.ts'
import { pages } from '../../../src/contracts/pages.ts'
import { CLAIMS } from '../api/endpoints.ts'
import type { ClaimView } from '../api/types.ts'
import { useSession } from '../auth/session.tsx'
import { ErrorNote, Loading } from './status.tsx'
import { useApi } from './use-api.ts'

/**
 * A claim page's address may name the claim by the number its reader was given in e-mails and
 * on forms (`/my/claims/C-0CA9E54A`). The server finds the number among the reader's own
 * claims; the page then moves to the claim's id, which every call the page makes is sent with.
 * A number the server does not find for this reader is refused as the page refuses an unknown id.
 */
export function ClaimNumberGate({ children }: { children: ReactNode }) {
  const { id = '' } = useParams()
  const location = useLocation()
  const { user } = useSession()
  const isNumber = claimIdPrefixOf(id) !== undefined
  const claim = useApi<ClaimView>(isNumber ? CLAIMS.one(id) : null)
  if (!isNumber || !user) return children
  if (claim.error) return <ErrorNote error={claim.error} />
  if (!claim.data) return <Loading />
  return <Navigate to={`${pages.claimFor(user.role, claim.data.id)}${location.hash}`} replace />
}
