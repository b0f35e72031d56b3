import type { Expression, ExpressionBuilder, SqlBool } from 'kysely'
import type { Database } from '../db/schema.ts'

/**
 * The one rule of which cost lines were spent, for every figure that sums them (the warranty
 * cost report, a policy simulation, the reliability report, the recoveries). A line outside
 * any quote is work booked as done (a completed repair, an imported claim's cost). A quote's
 * lines are only an offer until the customer accepts it: one still waiting for the answer,
 * one past its last day with no answer, one a later quote took the place of, and one the
 * customer declined were never spent, and nobody owes or bore what they name.
 */
const SPENT_QUOTE_STATUS = 'accepted'

/**
 * The same rule for a line already read, by the status of its quote (null for a line on no
 * quote): what the claim's own listing marks each line with, so it totals what the reports do.
 */
export const isSpentUnderQuoteStatus = (quoteStatus: string | null): boolean =>
  quoteStatus === null || quoteStatus === SPENT_QUOTE_STATUS

/**
 * Whether a cost line was spent, as a condition on `claim_cost_lines` in a query that reads it
 * by that name: `.where(costLineSpent)`. The quote is looked up by its key, so the caller joins
 * nothing.
 */
export function costLineSpent(eb: ExpressionBuilder<Database, 'claim_cost_lines'>): Expression<SqlBool> {
  return eb.or([
    eb('claim_cost_lines.quote_id', 'is', null),
    eb.exists(
      eb
        .selectFrom('claim_quotes')
        .select('claim_quotes.id')
        .whereRef('claim_quotes.id', '=', 'claim_cost_lines.quote_id')
        .where('claim_quotes.status', '=', SPENT_QUOTE_STATUS),
    ),
  ])
}
