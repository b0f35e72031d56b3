import crypto from 'node:crypto'
import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import { findFile } from '../files/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { EARLIEST_TIME_ZONE, localDate } from '../shared/local-date.ts'
import { refuseLaterThanToday } from '../shared/not-later-than-today.ts'
import type { paymentBody } from './claim.schemas.ts'
import { insertPayment, updateQuote } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { dealerHandledBy, isAnotherPartysQuote, paymentProofsInSight } from './claim-access.ts'
import { runClaimTransition } from './claim-transition.ts'
import { claimTimeZone, projectionFromRow } from './claim-view.ts'

/** Seed 003: "the out-of-warranty equipment will start the normal maintenance process after the customer pays". */
export function recordPayment(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  input: z.output<typeof paymentBody>,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, 'record-payment', version, async ({ trx, claim, at }) => {
    const quote = projectionFromRow(claim).quote
    if (!quote) throw new AppError('conflict', { key: 'claims.quote.no-accepted' })
    // The money for a quote the seller or another dealer sent is theirs to record, not the
    // dealer's that handles the claim now.
    const handled = await dealerHandledBy(trx, actor, claim.id)
    if (isAnotherPartysQuote(handled, quote.id))
      throw new AppError('forbidden', { key: 'claims.payment.not-its-quote' })
    const outstanding = quote.customerTotalMinor - quote.paidMinor
    if (input.amountMinor > outstanding) {
      throw new AppError(
        'validation',
        { key: 'claims.payment.too-much', params: { field: 'amountMinor', outstanding } },
        {
          field: 'amountMinor',
        },
      )
    }
    // Unsaid, the money came in today where the claim's policy counts its days.
    const paidOn = input.paidOn ?? localDate(new Date(at), claimTimeZone(ctx.policies, claim))
    refuseLaterThanToday('paidOn', paidOn, at)
    // Money for a quote cannot arrive before the quote was sent (on its day anywhere on Earth).
    const sent = await trx
      .selectFrom('claim_quotes')
      .select('sent_at')
      .where('id', '=', quote.id)
      .executeTakeFirst()
    const quotedOn = sent ? localDate(new Date(sent.sent_at), EARLIEST_TIME_ZONE) : undefined
    if (quotedOn !== undefined && paidOn < quotedOn) {
      throw new AppError(
        'validation',
        { key: 'validation.not-before', params: { field: 'paidOn', other: quotedOn } },
        { field: 'paidOn' },
      )
    }
    if (input.proofFileId) {
      const proof = await findFile(trx, input.proofFileId)
      // A proof the actor may not see (a dealer's, of a quote it did not send) is named as one unknown.
      const inSight = paymentProofsInSight(handled)
      if (
        !proof ||
        proof.claim_id !== claim.id ||
        proof.kind !== 'payment-proof' ||
        (inSight !== 'all' && !inSight.has(proof.id))
      ) {
        throw new AppError(
          'validation',
          { key: 'claims.payment.proof-unknown', params: { field: 'proofFileId' } },
          {
            field: 'proofFileId',
          },
        )
      }
    }
    return {
      data: {
        quoteId: quote.id,
        amountMinor: input.amountMinor,
        currency: claim.currency,
        paidOn,
        ...(input.reference ? { reference: input.reference } : {}),
        ...(input.note ? { note: input.note } : {}),
        ...(input.proofFileId ? { proofFileId: input.proofFileId } : {}),
      },
      email: { amountMinor: input.amountMinor, currency: claim.currency },
      write: async (trx) => {
        await insertPayment(trx, {
          id: crypto.randomUUID(),
          claim_id: claim.id,
          quote_id: quote.id,
          amount_minor: input.amountMinor,
          currency: claim.currency,
          reference: input.reference ?? null,
          recorded_by: actor.userId,
          recorded_at: at,
          paid_on: paidOn,
          note: input.note ?? null,
          proof_file_id: input.proofFileId ?? null,
        })
        await updateQuote(trx, quote.id, { paid_minor: quote.paidMinor + input.amountMinor })
      },
    }
  })
}
