import type { Actor } from '../auth/index.ts'
import { caseSchema } from '../contracts/case.ts'
import type { Decision } from '../contracts/decision.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { parseOrThrow } from '../shared/validate.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { runClaimTransition } from './claim-transition.ts'

/** A plain-words reason for the customer's e-mail. */
export function explainDecision(decision: Decision): string {
  if (decision.covered)
    return `Covered (${decision.basis}): ${decision.remedies.join(', ') || 'service'} at no charge beyond the agreed freight.`
  const reasons = decision.exclusions.map((e) => `${e.code} (${e.clause})`).join('; ')
  return `Not covered${reasons ? `: ${reasons}` : ''}. We will send a cost estimate before any paid work.`
}

/** The final decision: the engine again, now with the inspection. */
export function makeDecision(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, 'make-decision', version, ({ claim }) => {
    if (!claim.inspection) throw new AppError('conflict', 'The claim has no inspection yet')
    const { orderNumber: _orderNumber, ...facts } = JSON.parse(claim.case_json) as Record<string, unknown>
    const withInspection = parseOrThrow(caseSchema, { ...facts, inspection: JSON.parse(claim.inspection) })
    const decision = ctx.policies.decide(
      withInspection,
      claim.policy_version ? { version: claim.policy_version } : {},
    )
    return {
      data: { decision },
      email: {
        covered: decision.covered,
        explanation: explainDecision(decision),
        nextStep: decision.covered
          ? `We will ${decision.remedies[0] ?? 'service'} your unit.`
          : 'Watch for our estimate.',
      },
    }
  })
}
