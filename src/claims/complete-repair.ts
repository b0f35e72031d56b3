import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import type { Decision } from '../contracts/decision.ts'
import type { AppContext } from '../shared/app-context.ts'
import type { completeRepairBody } from './claim.schemas.ts'
import { insertCostLines } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { runClaimTransition } from './claim-transition.ts'
import { computeQuoteTotals, toCurrency } from './domain/quote-totals.ts'
import { refuseForeignPayers } from './quote-rules.ts'
import { priceLines, toCostLineRows } from './send-quote.ts'

/** The repair is done; what it cost is booked to its payers (warranty cost for the reports). */
export function completeRepair(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  input: z.output<typeof completeRepairBody>,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, 'complete-repair', version, ({ claim, at }) => {
    const decision = JSON.parse(claim.final_decision ?? 'null') as Decision | null
    refuseForeignPayers(actor, input.lines, decision?.payers ?? null)
    const lines = priceLines(input.lines, decision)
    return {
      data: {
        lines,
        totals: computeQuoteTotals(lines, toCurrency(claim.currency)),
        ...(input.note ? { note: input.note } : {}),
      },
      write: (trx) => insertCostLines(trx, toCostLineRows(claim, null, lines, at)),
    }
  })
}
