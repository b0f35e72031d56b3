import { projectTermForPolicy, termToProject } from '../reliability/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import type { SimulationResult } from './report.schemas.ts'
import { type SimulatePolicyInput, simulatePolicy } from './simulate-policy.ts'

/**
 * The policy simulation with "what if the term were T": past claims decided with the draft,
 * and, when a term is asked for or the draft changes its coverage term, the first failures
 * and cost that term would bring from the fitted failure curves of the policy's models.
 */
export async function simulateDraftPolicy(
  ctx: AppContext,
  input: SimulatePolicyInput & { term?: string | undefined },
): Promise<SimulationResult> {
  const result = await simulatePolicy(ctx.db, ctx.policies, input)
  const term = termToProject(ctx, input.policyId, input.yaml, input.term)
  if (term === null) return { ...result, termProjection: null }
  const started = Date.now()
  const termProjection = await projectTermForPolicy(ctx, input.policyId, term)
  return { ...result, termProjection, elapsedMs: result.elapsedMs + (Date.now() - started) }
}
