import type { z } from 'zod'
import { type Actor, isStaff } from '../auth/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import type { quoteAnswerBody } from './claim.schemas.ts'
import { findQuote, updateQuote } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { runClaimTransition } from './claim-transition.ts'
import { projectionFromRow } from './claim-view.ts'
import { checkQuoteAnswer } from './quote-rules.ts'
import { isQuotePastLastDay } from './quote-validity.ts'

/** The customer (or staff on their word) accepts or declines the quote in force. */
export function answerQuote(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  answer: 'accept-quote' | 'decline-quote',
  input: z.output<typeof quoteAnswerBody>,
): Promise<ClaimsTable> {
  checkQuoteAnswer(actor, answer, input.note)
  return runClaimTransition(ctx, actor, claimId, answer, version, async ({ trx, claim, at }) => {
    const quote = projectionFromRow(claim).quote
    if (!quote || quote.id !== input.quoteId) {
      throw new AppError(
        'validation',
        { key: 'claims.quote.not-in-force', params: { field: 'quoteId' } },
        { field: 'quoteId' },
      )
    }
    // The prices hold until the last day the quote names, in the claim's time zone. Past it the
    // customer's own acceptance would bind the seller to prices it no longer offers; staff may
    // still record an acceptance the customer gave in time (with the note that says how).
    if (answer === 'accept-quote' && !isStaff(actor)) {
      const validUntil = (await findQuote(trx, claim.id, quote.id))?.valid_until
      if (validUntil && isQuotePastLastDay(ctx.policies, claim, validUntil, new Date(at)))
        throw new AppError(
          'conflict',
          { key: 'claims.quote.expired', params: { field: 'quoteId', validUntil } },
          { field: 'quoteId' },
        )
    }
    const status = answer === 'accept-quote' ? 'accepted' : 'declined'
    return {
      data: { quoteId: quote.id, ...(input.note ? { note: input.note } : {}) },
      write: (trx) => updateQuote(trx, quote.id, { status, responded_at: at }),
    }
  })
}
