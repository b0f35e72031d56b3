import { claimTimeZone, findClaimForUpdate } from '../claims/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { DERIVING_EVENT_TYPES, deriveRecoveriesForClaim } from './derive-recoveries.ts'
import { claimsAwaitingDerivation } from './recovery.store.ts'

export interface SweepReport {
  claims: number
  linesWritten: number
  recoveryIds: string[]
}

/**
 * Derives recovery lines for claims whose work changed since their last derivation (or
 * for one claim): the retry path beside the derivation in each claim's own transaction.
 * Each claim is derived in its own transaction with its row locked, so the sweep of one
 * instance and a claim step or the sweep of another never file a line twice.
 */
export async function runRecoverySweep(
  ctx: AppContext,
  options: { claimId?: string; limit?: number } = {},
): Promise<SweepReport> {
  const ids = options.claimId
    ? [options.claimId]
    : await claimsAwaitingDerivation(ctx.db, DERIVING_EVENT_TYPES, options.limit ?? 200)
  const report: SweepReport = { claims: 0, linesWritten: 0, recoveryIds: [] }
  for (const id of ids) {
    await ctx.db.transaction().execute(async (trx) => {
      const claim = await findClaimForUpdate(trx, id, ctx.engine === 'postgres')
      if (!claim) return
      const result = await deriveRecoveriesForClaim(
        trx,
        { ...claim, timeZone: claimTimeZone(ctx.policies, claim) },
        ctx.now().toISOString(),
      )
      report.claims += 1
      report.linesWritten += result.linesWritten
      report.recoveryIds.push(...result.recoveryIds.filter((r) => !report.recoveryIds.includes(r)))
    })
  }
  return report
}
