import type { Actor } from '../auth/index.ts'
import { caseSchema } from '../contracts/case.ts'
import type { Decision } from '../contracts/decision.ts'
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
  return runClaimTransition(ctx, actor, claimId, 'decide-provisional', version, ({ claim }) => ({
    data: { decision: decideClaimCase(ctx, claim) },
  }))
}

/** The engine's decision on a claim's case as stored (`caseJson` when it is about to change), without inspection. */
export function decideClaimCase(
  ctx: Pick<AppContext, 'policies'>,
  claim: Pick<ClaimsTable, 'case_json' | 'policy_version'>,
  caseJson: string = claim.case_json,
): Decision {
  const { orderNumber: _orderNumber, ...facts } = JSON.parse(caseJson) as Record<string, unknown>
  return ctx.policies.decide(
    parseOrThrow(caseSchema, facts),
    claim.policy_version ? { version: claim.policy_version } : {},
  )
}
