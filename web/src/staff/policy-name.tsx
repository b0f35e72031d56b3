import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { usePolicyWords } from '../components/policy-words.ts'

/**
 * Names the policy a unit's warranty follows as staff read it elsewhere (the policy list, the
 * customer's look-up): its title in the reader's language and its version, linked to the
 * policy's page; the code (`touptek@1`) stays in the link's tooltip. One list read per page.
 */
export function usePolicyName(): (policy: { id: string; version: string }) => ReactNode {
  const wordsOf = usePolicyWords()
  return (policy) => {
    const name = wordsOf(policy)
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
