import type { Actor } from '../auth/index.ts'
import { caseSchema } from '../contracts/case.ts'
import type { AppContext } from '../shared/app-context.ts'
import { parseOrThrow } from '../shared/validate.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { runClaimTransition } from './claim-transition.ts'

/**
 * Runs the engine again on the case as it stands, without inspection: after more evidence
 * came in, the provisional decision shows what is now covered and what is still missing.
 */
export function decideProvisional(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, 'decide-provisional', version, ({ claim }) => {
    const { orderNumber: _orderNumber, ...facts } = JSON.parse(claim.case_json) as Record<string, unknown>
    const decision = ctx.policies.decide(
      parseOrThrow(caseSchema, facts),
      claim.policy_version ? { version: claim.policy_version } : {},
    )
    return { data: { decision } }
  })
}
