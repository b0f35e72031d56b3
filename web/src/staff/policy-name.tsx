import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { POLICIES } from '../api/endpoints.ts'
import { type Page, type PolicySummary, readItems } from '../api/types.ts'
import { usePolicyTitle } from '../components/clause-words.tsx'
import { useApi } from '../components/use-api.ts'

/**
 * Names the policy a unit's warranty follows as staff read it elsewhere (the policy list, the
 * customer's look-up): its title in the reader's language and its version, linked to the
 * policy's page; the code (`touptek@1`) stays in the link's tooltip. One list read per page.
 */
export function usePolicyName(): (policy: { id: string; version: string }) => ReactNode {
  const { t } = useTranslation()
  const titleOf = usePolicyTitle()
  const list = readItems(useApi<Page<PolicySummary>>(POLICIES.list).data)
  return (policy) => {
    const summary =
      list.find((p) => p.id === policy.id && p.version === policy.version) ??
      list.find((p) => p.id === policy.id)
    const name = t('lookup.policyWithVersion', {
      title: summary ? titleOf(summary) : policy.id,
      version: t('lookup.version', { version: policy.version }),
    })
    return (
      <Link
        title={`${policy.id}@${policy.version}`}
        to={`/staff/policies/${encodeURIComponent(policy.id)}?version=${encodeURIComponent(policy.version)}`}
      >
        {name}
      </Link>
    )
  }
}
