import multipart from '@fastify/multipart'
import { z } from 'zod'
import type { AppContext } from '../app/context.ts'
import { requireActor } from '../auth/guards.ts'
import { documents } from '../contracts/pages.ts'
import { paymentInstructionLines } from '../files/documents/render-letterhead.ts'
import { DEFAULT_UPLOAD_LIMITS, largestLimit } from '../files/domain/upload-rules.ts'
import { UPLOAD_FORM_DESCRIPTION } from '../files/file.schemas.ts'
import { listClaimFiles } from '../files/file.store.ts'
import { guardedParts } from '../http/multipart-guard.ts'
import type { HttpApp } from '../http/types.ts'
import { errorResponse } from '../registry/registry.schemas.ts'
import { paymentInstructionsFor, sellerSettingsForSerial } from '../setup/seller-documents.ts'
import { AppError } from '../shared/errors.ts'
import { readIfMatch } from './claim.routes.ts'
import { claimIdParams, claimView } from './claim.schemas.ts'
import { findClaim, listPayments, listQuotes } from './claim.store.ts'
import { requireVisibleClaim } from './claim-access.ts'
import { claimNumber, toClaimView } from './claim-view.ts'
import { quoteValidUntil } from './send-quote.ts'
import { submitPaymentProof } from './submit-payment-proof.ts'

const paymentProofView = z.object({
  fileId: z.string(),
  name: z.string(),
  contentType: z.string(),
  url: z.string(),
  uploadedAt: z.string(),
})

const recordedPaymentView = z.object({
  amountMinor: z.number().int(),
  currency: z.string(),
  paidOn: z.string().nullable().describe('YYYY-MM-DD the money arrived'),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  proofFileId: z.string().nullable(),
  recordedAt: z.string(),
})

export const quotePaymentView = z.object({
  quoteId: z.string(),
  status: z.string(),
  currency: z.string(),
  totalMinor: z.number().int().describe("the customer's total"),
  paidMinor: z.number().int(),
  outstandingMinor: z.number().int(),
  issuedOn: z.string().describe('YYYY-MM-DD'),
  validUntil: z.string().describe('YYYY-MM-DD: as sent with the quote'),
  pdfUrl: z.string().describe('the quote as a PDF'),
  method: z.enum(['bank-transfer', 'payment-link', 'contact']),
  reference: z.string().describe('the claim number, to quote with the payment'),
  paymentLink: z.string().nullable(),
  instructions: z
    .array(z.string())
    .describe('the payment instructions, one line each, in the customer language'),
  supportHours: z.string(),
  proofs: z.array(paymentProofView).describe('proofs of payment the customer sent, oldest first'),
  payments: z.array(recordedPaymentView).describe('payments staff recorded against this quote'),
})

const proofUploadResponse = z.object({ claim: claimView, fileIds: z.array(z.string()) })

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
          "The total, validity date, a link to the quote PDF and the seller's payment instructions (bank transfer with the claim number as reference, or its payment link), the proofs sent and the payments recorded.",
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
      const total = Number(quote.customer_minor)
      const paid = Number(quote.paid_minor)
      const proofs = (await listClaimFiles(ctx.db, claim.id)).filter((file) => file.kind === 'payment-proof')
      const payments = (await listPayments(ctx.db, claim.id)).filter((row) => row.quote_id === quote.id)
      return {
        quoteId: quote.id,
        status: quote.status,
        currency: quote.currency,
        totalMinor: total,
        paidMinor: paid,
        outstandingMinor: Math.max(0, total - paid),
        issuedOn: quote.sent_at.slice(0, 10),
        validUntil: quote.valid_until ?? quoteValidUntil(quote.sent_at, settings.quoteValidityDays),
        pdfUrl: documents.quotePdf(claim.id, quote.id),
        method: payment.method,
        reference: payment.reference,
        paymentLink: payment.method === 'payment-link' ? payment.url : null,
        instructions: paymentInstructionLines(payment, request.query.locale),
        supportHours: settings.supportHours,
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

  // Its own scope, so this multipart parser serves this route only.
  await app.register(async (scope: HttpApp) => {
    const limits = DEFAULT_UPLOAD_LIMITS
    await scope.register(multipart, {
      limits: {
        fileSize: largestLimit(limits) + 1,
        files: limits.filesPerRequest,
        fields: 10,
        fieldSize: 1000,
        parts: limits.filesPerRequest + 10,
      },
    })
    scope.post(
      '/api/v1/claims/:id/payment-proofs',
      {
        schema: {
          tags: ['claims'],
          summary: 'Send a proof of payment (bank slip, receipt) for the accepted quote',
          description: `${UPLOAD_FORM_DESCRIPTION} The kind is always payment-proof. Send If-Match with the claim's ETag; the step submit-payment-proof is taken with the upload.`,
          consumes: ['multipart/form-data'],
          params: claimIdParams,
          response: { 201: proofUploadResponse },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request)
        // Refuse what the reader may not see before reading a byte of the upload.
        requireVisibleClaim(await findClaim(ctx.db, request.params.id), actor, request.params.id)
        const version = readIfMatch(request)
        if (!request.isMultipart())
          throw new AppError('unsupported-media-type', 'body: send multipart/form-data', { field: 'body' })
        const { claim, fileIds } = await submitPaymentProof(
          ctx,
          actor,
          request.params.id,
          version,
          guardedParts(request),
          limits,
        )
        return reply
          .status(201)
          .header('etag', `"${claim.version}"`)
          .send({ claim: toClaimView(claim, actor), fileIds })
      },
    )
  })
}
