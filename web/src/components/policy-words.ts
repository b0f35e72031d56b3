import { useTranslation } from 'react-i18next'
import { POLICIES } from '../api/endpoints.ts'
import { type Page, type PolicySummary, readItems } from '../api/types.ts'
import { usePolicyTitle } from './clause-words.tsx'
import { useApi } from './use-api.ts'

/**
 * A policy as its readers name it: its title in the reader's language and its version
 * ("Player One Astronomy 保修与服务政策，第 1 版"), never its code (`player-one@1`). One list
 * read per page; until it arrives, the code's id stands in for the title.
 */
export function usePolicyWords(): (policy: { id: string; version: string }) => string {
  const { t } = useTranslation()
  const titleOf = usePolicyTitle()
  const list = readItems(useApi<Page<PolicySummary>>(POLICIES.list).data)
  return (policy) => {
    const summary =
      list.find((p) => p.id === policy.id && p.version === policy.version) ??
      list.find((p) => p.id === policy.id)
    return t('lookup.policyWithVersion', {
      title: summary ? titleOf(summary) : policy.id,
      version: t('lookup.version', { version: policy.version }),
    })
  }
}

/** A decision's policy code `id@version` as its id and version. */
export function splitPolicyCode(code: string): { id: string; version: string } {
  const at = code.lastIndexOf('@')
  return at < 0 ? { id: code, version: '' } : { id: code.slice(0, at), version: code.slice(at + 1) }
}
