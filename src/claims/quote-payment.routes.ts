import { z } from 'zod'
import { requireActor } from '../auth/index.ts'
import { paymentInstructionLines } from '../files/index.ts'
import type { HttpApp } from '../http/types.ts'
import { errorResponse } from '../registry/index.ts'
import { paymentInstructionsFor, sellerSettingsForSerial } from '../setup/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { claimIdParams } from './claim.schemas.ts'
import { findClaim, listQuotes } from './claim.store.ts'
import { requireVisibleClaim } from './claim-access.ts'
import { claimNumber } from './claim-view.ts'

export const quotePaymentView = z.object({
  quoteId: z.string(),
  status: z.string(),
  currency: z.string(),
  totalMinor: z.number().int().describe("the customer's total"),
  paidMinor: z.number().int(),
  outstandingMinor: z.number().int(),
  issuedOn: z.string().describe('YYYY-MM-DD'),
  validUntil: z.string().describe('YYYY-MM-DD: the seller quote validity from the day it was sent'),
  pdfUrl: z.string().describe('the quote as a PDF'),
  method: z.enum(['bank-transfer', 'payment-link', 'contact']),
  reference: z.string().describe('the claim number, to quote with the payment'),
  paymentLink: z.string().nullable(),
  instructions: z
    .array(z.string())
    .describe('the payment instructions, one line each, in the customer language'),
  supportHours: z.string(),
})

/** What the customer needs to pay a quote: total, validity, the PDF and the seller's payment instructions. */
export async function quotePaymentRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/v1/claims/:id/payment',
    {
      schema: {
        tags: ['claims'],
        summary: 'How to pay the latest quote of a claim',
        description:
          "The total, validity date, a link to the quote PDF and the seller's payment instructions (bank transfer with the claim number as reference, or its payment link).",
        params: claimIdParams,
        querystring: z.object({ locale: z.enum(['en', 'zh']).default('en') }),
        response: { 200: quotePaymentView, 404: errorResponse, 401: errorResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const claim = requireVisibleClaim(await findClaim(ctx.db, request.params.id), actor, request.params.id)
      const quote = (await listQuotes(ctx.db, claim.id)).at(-1)
      if (!quote) throw new AppError('not-found', 'The claim has no quote')
      const settings = await sellerSettingsForSerial(ctx.db, claim.serial)
      if (!settings) throw new AppError('not-found', 'No seller is set up for this claim')
      const number = claimNumber(claim)
      const payment = paymentInstructionsFor(settings, number)
      const sentAt = Date.parse(quote.sent_at)
      const total = Number(quote.customer_minor)
      const paid = Number(quote.paid_minor)
      return {
        quoteId: quote.id,
        status: quote.status,
        currency: quote.currency,
        totalMinor: total,
        paidMinor: paid,
        outstandingMinor: Math.max(0, total - paid),
        issuedOn: new Date(sentAt).toISOString().slice(0, 10),
        validUntil: new Date(sentAt + settings.quoteValidityDays * 86_400_000).toISOString().slice(0, 10),
        pdfUrl: `/api/v1/claims/${claim.id}/quotes/${quote.id}.pdf`,
        method: payment.method,
        reference: payment.reference,
        paymentLink: payment.method === 'payment-link' ? payment.url : null,
        instructions: paymentInstructionLines(payment, request.query.locale),
        supportHours: settings.supportHours,
      }
    },
  )
}
