import type { PolicyLibrary, PolicySummary } from '../../policies/index.ts'

/**
 * The policy version a sale is judged by: the one in force on the sale date. A sale dated
 * before the first version on file is judged by that first version, because a policy
 * file records the terms from when it was written, not from when the seller adopted them.
 */
export function pickPolicyVersion(
  policies: Pick<PolicyLibrary, 'versionInForce' | 'list'>,
  policyId: string,
  soldOn: string,
): PolicySummary | undefined {
  const inForce = policies.versionInForce(policyId, soldOn)
  if (inForce) return inForce
  const versions = policies.list().filter((summary) => summary.id === policyId)
  const first = versions.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))[0]
  return first && soldOn < first.effectiveFrom ? first : undefined
}
