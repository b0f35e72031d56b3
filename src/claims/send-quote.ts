import crypto from 'node:crypto'
import type { Insertable } from 'kysely'
import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import type { Decision } from '../contracts/decision.ts'
import { paymentInstructionsFor, sellerSettingsForSerial } from '../setup/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { addDays } from '../shared/day-numbers.ts'
import { AppError } from '../shared/errors.ts'
import { localDate } from '../shared/local-date.ts'
import type { costLineInput, sendQuoteBody } from './claim.schemas.ts'
import { insertQuote } from './claim.store.ts'
import type { ClaimCostLinesTable, ClaimsTable } from './claim.tables.ts'
import { runClaimTransition } from './claim-transition.ts'
import { claimNumber, claimTimeZone } from './claim-view.ts'
import { customerLines } from './domain/money-sight.ts'
import { type CostLine, choosePayer, computeQuoteTotals, toCurrency } from './domain/quote-totals.ts'
import { refuseForeignPayers } from './quote-rules.ts'

/**
 * The last day a quote sent at `sentAt` holds, `days` days on, as a date where the claim's
 * policy counts its days: sent at 01:00 in Shanghai, it holds thirty days from that day,
 * not from the UTC day before. The days are counted on that calendar: 24-hour days added to
 * the instant would end a day late when a clock goes forward in between and the quote was
 * sent in the last hour of its day.
 */
export function quoteValidUntil(sentAt: string, days: number, timeZone: string): string {
  return addDays(localDate(new Date(sentAt), timeZone), days)
}

/** Cost lines with their payer from the decision (or as named on the line). */
export function priceLines(
  lines: readonly z.output<typeof costLineInput>[],
  decision: Decision | null,
): CostLine[] {
  return lines.map((line) => ({
    kind: line.kind,
    description: line.description,
    quantity: line.quantity,
    unitPriceMinor: line.unitPriceMinor,
    payer: choosePayer(line.kind, decision?.payers ?? null, line.payer),
  }))
}

export function toCostLineRows(
  claim: ClaimsTable,
  quoteId: string | null,
  lines: CostLine[],
  at: string,
): Insertable<ClaimCostLinesTable>[] {
  return lines.map((line, position) => ({
    id: crypto.randomUUID(),
    claim_id: claim.id,
    quote_id: quoteId,
    kind: line.kind,
    description: line.description,
    quantity: line.quantity,
    unit_price_minor: line.unitPriceMinor,
    currency: claim.currency,
    payer: line.payer,
    created_at: at,
    position,
  }))
}

/**
 * The estimate before paid work (seed 004 "we will estimate cost and email customer";
 * seed 003 "confirm the repair quotation with you"): parts and labour lines, each with its
 * payer from the decision; only the customer's lines are charged (seed 002 years one and
 * two beyond warranty: parts charged, labour free).
 */
export function sendQuote(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  input: z.output<typeof sendQuoteBody>,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, 'send-quote', version, async ({ trx, claim, at }) => {
    const decision = JSON.parse(claim.final_decision ?? 'null') as Decision | null
    refuseForeignPayers(actor, input.lines, decision?.payers ?? null)
    const lines = priceLines(input.lines, decision)
    const totals = computeQuoteTotals(lines, toCurrency(claim.currency))
    if (totals.customerMinor <= 0) {
      throw new AppError(
        'validation',
        { key: 'claims.quote.nothing-charged', params: { field: 'lines' } },
        { field: 'lines' },
      )
    }
    const quoteId = crypto.randomUUID()
    const seller = await sellerSettingsForSerial(trx, claim.serial)
    const validUntil = quoteValidUntil(
      at,
      input.validDays ?? seller?.quoteValidityDays ?? 30,
      claimTimeZone(ctx.policies, claim),
    )
    return {
      data: {
        quoteId,
        currency: totals.currency,
        lines,
        totals,
        customerTotalMinor: totals.customerMinor,
        validUntil,
      },
      email: {
        quoteNumber: `${claimNumber(claim)}-Q`,
        currency: totals.currency,
        // The customer's e-mail: the lines they pay priced, the others only as covered.
        lines: customerLines(lines).map((l) => ({
          kind: l.kind,
          ...(l.description ? { description: l.description } : {}),
          quantity: l.quantity,
          ...(l.unitPriceMinor === undefined ? {} : { unitPriceMinor: l.unitPriceMinor }),
          payer: l.payer,
        })),
        totalCustomerMinor: totals.customerMinor,
        validUntil,
        quoteId,
        ...(seller ? { payment: paymentInstructionsFor(seller, claimNumber(claim)) } : {}),
      },
      write: (trx) =>
        insertQuote(
          trx,
          {
            id: quoteId,
            claim_id: claim.id,
            status: 'sent',
            currency: totals.currency,
            total_minor: totals.totalMinor,
            customer_minor: totals.customerMinor,
            absorbed_json: JSON.stringify(totals.absorbedMinor),
            paid_minor: 0,
            note: input.note ?? null,
            sent_at: at,
            responded_at: null,
            valid_until: validUntil,
            reminded_at: null,
          },
          toCostLineRows(claim, quoteId, lines, at),
        ),
    }
  })
}
