import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { parseOrThrow } from '../shared/validate.ts'
import { answerQuote } from './answer-quote.ts'
import { authorizeReturn } from './authorize-return.ts'
import * as S from './claim.schemas.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { completeRepair } from './complete-repair.ts'
import { decideProvisional } from './decide-provisional.ts'
import { issueReplacement } from './issue-replacement.ts'
import { makeDecision } from './make-decision.ts'
import { readdressReturn } from './readdress-return.ts'
import { recordInspection } from './record-inspection.ts'
import { recordPayment } from './record-payment.ts'
import { sendQuote } from './send-quote.ts'
import { shipReturn } from './ship-return.ts'
import { submitPaymentProof } from './submit-payment-proof.ts'
import { type SimpleStep, takeClaimStep } from './take-claim-step.ts'
import { acceptPurchaseProof, refusePurchaseProof } from './weigh-purchase-proof.ts'

/**
 * One lifecycle action: its request body, its summary for the API document, its operation.
 * The route, the command line and the API document all read this one definition.
 */
export interface ClaimActionEntry {
  action: string
  summary: string
  body: z.ZodType
  /** Checks the raw body against `body` (naming the field that fails) and runs the operation. */
  run(ctx: AppContext, actor: Actor, claimId: string, version: number, body: unknown): Promise<ClaimsTable>
}

type Operation<B extends z.ZodType> = (
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  input: z.output<B>,
) => Promise<ClaimsTable>

/** Pairs a body schema with the operation that takes its output, so a mismatch does not compile. */
export function defineClaimAction<B extends z.ZodType>(definition: {
  action: string
  summary: string
  body: B
  run: Operation<B>
}): ClaimActionEntry {
  return {
    action: definition.action,
    summary: definition.summary,
    body: definition.body,
    run: (ctx, actor, claimId, version, body) =>
      definition.run(ctx, actor, claimId, version, parseOrThrow(definition.body, body, 'body')),
  }
}

const step = <B extends z.ZodType<Record<string, unknown>>>(action: SimpleStep, summary: string, body: B) =>
  defineClaimAction({
    action,
    summary,
    body,
    run: (ctx, actor, id, version, input) => takeClaimStep(ctx, actor, id, version, action, input),
  })

export const CLAIM_ACTION_ENTRIES: ClaimActionEntry[] = [
  step('start-diagnosis', 'Start remote diagnosis', S.noteBody),
  step('record-selfcheck', 'Record the results of a guided self-check', S.recordSelfCheckBody),
  defineClaimAction({
    action: 'decide-provisional',
    summary: 'Run the engine again on the case as it stands (no inspection)',
    body: S.noteBody,
    run: (ctx, actor, id, version) => decideProvisional(ctx, actor, id, version),
  }),
  step('request-info', 'Ask the claimant for more information (pauses the SLA clocks)', S.requestInfoBody),
  step('provide-info', 'Answer a request for information, optionally with more evidence', S.provideInfoBody),
  step(
    'resolve-remotely',
    'Resolve without shipping: remote fix, software upgrade or spare part',
    S.resolveRemotelyBody,
  ),
  defineClaimAction({
    action: 'authorize-return',
    summary: 'Authorise the return: RMA number, ship-to, freight payer, items, repair order',
    body: S.authorizeReturnBody,
    run: authorizeReturn,
  }),
  defineClaimAction({
    action: 'readdress-return',
    summary:
      'Send an authorised return where the claim is served now (its dealer deactivated, or the service address changed); same RMA number',
    body: S.noteBody,
    run: readdressReturn,
  }),
  step('schedule-pickup', 'Schedule the pickup or on-site visit the policy offers', S.schedulePickupBody),
  step('receive-unit', 'Record the unit as received', S.receiveUnitBody),
  defineClaimAction({
    action: 'record-inspection',
    summary: 'Record the inspection: serial, seals, packaging, contents, findings',
    body: S.inspectionBody,
    run: recordInspection,
  }),
  defineClaimAction({
    action: 'make-decision',
    summary: 'Take the final decision with the inspection',
    body: S.noteBody,
    run: (ctx, actor, id, version) => makeDecision(ctx, actor, id, version),
  }),
  defineClaimAction({
    action: 'send-quote',
    summary: 'Send a cost estimate from parts and labour lines',
    body: S.sendQuoteBody,
    run: sendQuote,
  }),
  defineClaimAction({
    action: 'accept-quote',
    summary: 'Accept the quote',
    body: S.quoteAnswerBody,
    run: (ctx, actor, id, v, input: z.output<typeof S.quoteAnswerBody>) =>
      answerQuote(ctx, actor, id, v, 'accept-quote', input),
  }),
  defineClaimAction({
    action: 'decline-quote',
    summary: 'Decline the quote',
    body: S.quoteAnswerBody,
    run: (ctx, actor, id, v, input: z.output<typeof S.quoteAnswerBody>) =>
      answerQuote(ctx, actor, id, v, 'decline-quote', input),
  }),
  defineClaimAction({
    action: 'record-payment',
    summary: 'Record a payment of the accepted quote',
    body: S.paymentBody,
    run: recordPayment,
  }),
  defineClaimAction({
    action: 'submit-payment-proof',
    summary: 'Send proofs of payment (uploaded first with POST /api/v1/files) for the accepted quote',
    body: S.paymentProofBody,
    run: submitPaymentProof,
  }),
  step('start-repair', 'Start the repair', S.noteBody),
  defineClaimAction({
    action: 'complete-repair',
    summary: 'Complete the repair and book its costs',
    body: S.completeRepairBody,
    run: completeRepair,
  }),
  defineClaimAction({
    action: 'issue-replacement',
    summary: 'Issue a replacement unit (new serial, linked as replaced-by)',
    body: S.replacementBody,
    run: issueReplacement,
  }),
  step('issue-refund', 'Issue the refund', S.refundBody),
  step('forward-to-maker', "Forward an agent-brand unit to the maker's service centre", S.forwardBody),
  step('return-from-maker', 'Record the unit back from the maker', S.noteBody),
  defineClaimAction({
    action: 'ship-return',
    summary: 'Ship the unit back with carrier and tracking number',
    body: S.shipReturnBody,
    run: shipReturn,
  }),
  step('confirm-receipt', 'Confirm the unit came back in good condition', S.noteBody),
  step('close', 'Close the claim', S.closeBody),
  defineClaimAction({
    action: 'accept-purchase-proof',
    summary: 'Accept the proof of purchase the claimant sent: prove the purchase on the case and the unit',
    body: S.acceptPurchaseProofBody,
    run: acceptPurchaseProof,
  }),
  defineClaimAction({
    action: 'refuse-purchase-proof',
    summary: 'Refuse the proof of purchase the claimant sent, telling them why',
    body: S.refusePurchaseProofBody,
    run: refusePurchaseProof,
  }),
  step('cancel', 'Cancel the claim', S.cancelBody),
]
