import type { AppContext } from '../app/context.ts'
import type { Actor } from '../auth/actor.ts'
import type { UploadLimits } from '../files/domain/upload-rules.ts'
import { insertFiles } from '../files/file.store.ts'
import { type UploadPart, uploadFiles } from '../files/upload-files.ts'
import { AppError } from '../shared/errors.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { runClaimTransition } from './claim-transition.ts'
import { projectionFromRow } from './claim-view.ts'

/**
 * The customer's proof of payment (a bank slip, a receipt) for an accepted quote: the files
 * pass the upload checks (size, type by content, file name), then the step and the file rows
 * are written in one transaction, so a refused step leaves no file behind.
 */
export async function submitPaymentProof(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  parts: AsyncIterable<UploadPart>,
  limits: UploadLimits,
): Promise<{ claim: ClaimsTable; fileIds: string[] }> {
  let claim: ClaimsTable | undefined
  const rows = await uploadFiles({ db: ctx.db, dataDir: ctx.config.dataDir, limits }, parts, {
    claimId,
    actor,
    kind: 'payment-proof',
    now: ctx.now(),
    record: async (files) => {
      claim = await runClaimTransition(ctx, actor, claimId, 'submit-payment-proof', version, ({ claim }) => {
        const quote = projectionFromRow(claim).quote
        if (!quote) throw new AppError('conflict', 'The claim has no accepted quote to pay')
        return {
          data: { quoteId: quote.id, fileIds: files.map((file) => file.id) },
          write: (trx) => insertFiles(trx, files),
        }
      })
    },
  })
  if (!claim) throw new Error('the upload recorded no files')
  return { claim, fileIds: rows.map((row) => row.id) }
}
