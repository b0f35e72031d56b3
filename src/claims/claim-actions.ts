import type { z } from 'zod'
import type { AppContext } from '../app/context.ts'
import type { Actor } from '../auth/actor.ts'
import { answerQuote } from './answer-quote.ts'
import { authorizeReturn } from './authorize-return.ts'
import * as S from './claim.schemas.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { completeRepair } from './complete-repair.ts'
import { decideProvisional } from './decide-provisional.ts'
import { issueReplacement } from './issue-replacement.ts'
import { makeDecision } from './make-decision.ts'
import { recordInspection } from './record-inspection.ts'
import { recordPayment } from './record-payment.ts'
import { sendQuote } from './send-quote.ts'
import { shipReturn } from './ship-return.ts'
import { type SimpleStep, takeClaimStep } from './take-claim-step.ts'

/** One entry per lifecycle action: its request body, its summary for the API document, its operation. */
export interface ClaimActionEntry {
  action: string
  summary: string
  body: z.ZodType
  run(ctx: AppContext, actor: Actor, claimId: string, version: number, input: never): Promise<ClaimsTable>
}

const step = (action: SimpleStep, summary: string, body: z.ZodType): ClaimActionEntry => ({
  action,
  summary,
  body,
  run: (ctx, actor, id, version, input: Record<string, unknown>) =>
    takeClaimStep(ctx, actor, id, version, action, input),
})

export const CLAIM_ACTION_ENTRIES: ClaimActionEntry[] = [
  step('start-diagnosis', 'Start remote diagnosis', S.noteBody),
  step('record-selfcheck', 'Record the results of a guided self-check', S.selfCheckBody),
  {
    action: 'decide-provisional',
    summary: 'Run the engine again on the case as it stands (no inspection)',
    body: S.noteBody,
    run: (ctx, actor, id, version) => decideProvisional(ctx, actor, id, version),
  },
  step('request-info', 'Ask the claimant for more information (pauses the SLA clocks)', S.requestInfoBody),
  step('provide-info', 'Answer a request for information, optionally with more evidence', S.provideInfoBody),
  step(
    'resolve-remotely',
    'Resolve without shipping: remote fix, software upgrade or spare part',
    S.resolveRemotelyBody,
  ),
  {
    action: 'authorize-return',
    summary: 'Authorise the return: RMA number, ship-to, freight payer, items, repair order',
    body: S.authorizeReturnBody,
    run: authorizeReturn,
  },
  step('schedule-pickup', 'Schedule the pickup or on-site visit the policy offers', S.schedulePickupBody),
  step('receive-unit', 'Record the unit as received', S.receiveUnitBody),
  {
    action: 'record-inspection',
    summary: 'Record the inspection: serial, seals, packaging, contents, findings',
    body: S.inspectionBody,
    run: recordInspection,
  },
  {
    action: 'make-decision',
    summary: 'Take the final decision with the inspection',
    body: S.noteBody,
    run: (ctx, actor, id, version) => makeDecision(ctx, actor, id, version),
  },
  {
    action: 'send-quote',
    summary: 'Send a cost estimate from parts and labour lines',
    body: S.sendQuoteBody,
    run: sendQuote,
  },
  {
    action: 'accept-quote',
    summary: 'Accept the quote',
    body: S.quoteAnswerBody,
    run: (ctx, actor, id, v, input: z.output<typeof S.quoteAnswerBody>) =>
      answerQuote(ctx, actor, id, v, 'accept-quote', input),
  },
  {
    action: 'decline-quote',
    summary: 'Decline the quote',
    body: S.quoteAnswerBody,
    run: (ctx, actor, id, v, input: z.output<typeof S.quoteAnswerBody>) =>
      answerQuote(ctx, actor, id, v, 'decline-quote', input),
  },
  {
    action: 'record-payment',
    summary: 'Record a payment of the accepted quote',
    body: S.paymentBody,
    run: recordPayment,
  },
  step('start-repair', 'Start the repair', S.noteBody),
  {
    action: 'complete-repair',
    summary: 'Complete the repair and book its costs',
    body: S.completeRepairBody,
    run: completeRepair,
  },
  {
    action: 'issue-replacement',
    summary: 'Issue a replacement unit (new serial, linked as replaced-by)',
    body: S.replacementBody,
    run: issueReplacement,
  },
  step('issue-refund', 'Issue the refund', S.refundBody),
  step('forward-to-maker', "Forward an agent-brand unit to the maker's service centre", S.forwardBody),
  step('return-from-maker', 'Record the unit back from the maker', S.noteBody),
  {
    action: 'ship-return',
    summary: 'Ship the unit back with carrier and tracking number',
    body: S.shipReturnBody,
    run: shipReturn,
  },
  step('confirm-receipt', 'Confirm the unit came back in good condition', S.noteBody),
  step('close', 'Close the claim', S.closeBody),
  step('cancel', 'Cancel the claim', S.cancelBody),
]
