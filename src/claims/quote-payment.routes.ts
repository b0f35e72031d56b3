import { z } from 'zod'
import { requireActor } from '../auth/index.ts'
import { documents } from '../contracts/pages.ts'
import { listClaimFiles, paymentInstructionLines } from '../files/index.ts'
import type { HttpApp } from '../http/types.ts'
import { errorResponse } from '../registry/index.ts'
import { paymentInstructionsFor, sellerSettingsForSerial, supportHoursIn } from '../setup/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { localDate } from '../shared/local-date.ts'
import { claimIdParams, quotePaymentView } from './claim.schemas.ts'
import { findClaim, listPayments, listQuotes } from './claim.store.ts'
import { claimHandler, dealerHandledBy, paymentProofsInSight, requireVisibleClaim } from './claim-access.ts'
import { claimNumber, claimTimeZone } from './claim-view.ts'
import { moneySightOf, quoteSightOf, seesCustomerPayment } from './domain/money-sight.ts'
import { quoteValidUntil } from './send-quote.ts'

/**
 * What the customer needs to pay a quote (total, validity, the PDF and the seller's payment
 * instructions), the proof of payment they send, and what staff recorded against it.
 */
export async function quotePaymentRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/claims/:id/payment',
    {
      schema: {
        tags: ['claims'],
        summary: 'How to pay the latest quote of a claim',
        description:
          "The total, validity date, a link to the quote PDF and the seller's payment instructions (bank transfer with the claim number as reference, or its payment link), the proofs sent (to a dealer, those of the quotes sent while it handled the claim) and the payments recorded. For the claim's customer, staff, integrations and the dealer that sent the latest quote while it handled the claim. Any other dealer that sees the claim is refused with 403: the one that sold a unit the decision sends to the seller or maker, and the one that handles the claim when the latest quote is the seller's or another dealer's (sent before the claim was its to serve).",
        params: claimIdParams,
        querystring: z.object({ locale: z.enum(['en', 'zh']).default('en') }),
        response: { 200: quotePaymentView, 404: errorResponse, 403: errorResponse, 401: errorResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const claim = requireVisibleClaim(await findClaim(ctx.db, request.params.id), actor, request.params.id)
      const quote = (await listQuotes(ctx.db, claim.id)).at(-1)
      // What was paid, by which reference, is the payer's and the paid party's: the dealer that
      // sold a unit the decision sends elsewhere sees the claim and its quote, not its payment,
      // unless it sent that quote itself while it handled the claim; nor does the dealer
      // handling the claim now, when the quote is the seller's or another dealer's.
      const sight = moneySightOf(actor.role, claimHandler(claim))
      const handled = await dealerHandledBy(ctx.db, actor, claim.id)
      const refusal = seesCustomerPayment(sight)
        ? 'claims.payment.not-its-quote'
        : 'claims.payment.not-handler'
      if (!quote) {
        if (!seesCustomerPayment(sight)) throw new AppError('forbidden', { key: refusal })
        throw new AppError('not-found', { key: 'claims.quote.none' })
      }
      if (!seesCustomerPayment(quoteSightOf(sight, handled, quote.id)))
        throw new AppError('forbidden', { key: refusal })
      const settings = await sellerSettingsForSerial(ctx.db, claim.serial)
      if (!settings) throw new AppError('not-found', { key: 'claims.no-seller' })
      const number = claimNumber(claim)
      const payment = paymentInstructionsFor(settings, number)
      const timeZone = claimTimeZone(ctx.policies, claim)
      const total = Number(quote.customer_minor)
      const paid = Number(quote.paid_minor)
      // A dealer reads the proofs of the quotes it sent while it handled the claim, not of others'.
      const inSight = paymentProofsInSight(handled)
      const proofs = (await listClaimFiles(ctx.db, claim.id)).filter(
        (file) => file.kind === 'payment-proof' && (inSight === 'all' || inSight.has(file.id)),
      )
      const payments = (await listPayments(ctx.db, claim.id)).filter((row) => row.quote_id === quote.id)
      return {
        quoteId: quote.id,
        status: quote.status,
        currency: quote.currency,
        totalMinor: total,
        paidMinor: paid,
        outstandingMinor: Math.max(0, total - paid),
        issuedOn: localDate(new Date(quote.sent_at), timeZone),
        validUntil: quote.valid_until ?? quoteValidUntil(quote.sent_at, settings.quoteValidityDays, timeZone),
        pdfUrl: documents.quotePdf(claim.id, quote.id),
        method: payment.method,
        reference: payment.reference,
        paymentLink: payment.method === 'payment-link' ? payment.url : null,
        instructions: paymentInstructionLines(payment, request.query.locale),
        supportHours: supportHoursIn(settings, request.query.locale),
        proofs: proofs.map((file) => ({
          fileId: file.id,
          name: file.display_name,
          contentType: file.content_type,
          url: `/api/v1/files/${file.id}`,
          uploadedAt: file.created_at,
        })),
        payments: payments.map((row) => ({
          amountMinor: Number(row.amount_minor),
          currency: row.currency,
          paidOn: row.paid_on,
          reference: row.reference,
          note: row.note,
          proofFileId: row.proof_file_id,
          recordedAt: row.recorded_at,
        })),
      }
    },
  )
}
