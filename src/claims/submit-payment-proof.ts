import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import { claimBytesLimit, takeHeldFiles } from '../files/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import type { paymentProofBody } from './claim.schemas.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { runClaimTransition } from './claim-transition.ts'
import { projectionFromRow } from './claim-view.ts'

/**
 * The customer's proof of payment (a bank slip, a receipt) for the accepted quote. The files
 * were uploaded first (`POST /api/v1/files`, checked for size, type by content and name) and
 * join the claim as payment proofs in the step's transaction, so a refused step moves none.
 */
export function submitPaymentProof(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  input: z.output<typeof paymentProofBody>,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, 'submit-payment-proof', version, ({ claim, at }) => {
    const quote = projectionFromRow(claim).quote
    if (!quote) throw new AppError('conflict', { key: 'claims.quote.no-accepted' })
    const fileIds = [...new Set(input.fileIds)]
    return {
      data: { quoteId: quote.id, fileIds },
      write: async (trx) => {
        await takeHeldFiles(trx, {
          fileIds,
          claimId: claim.id,
          ownerUserId: actor.userId,
          now: new Date(at),
          field: 'fileIds',
          paymentProof: true,
          claimBytes: claimBytesLimit(ctx.config),
        })
        await trx.updateTable('files').set({ kind: 'payment-proof' }).where('id', 'in', fileIds).execute()
      },
    }
  })
}
