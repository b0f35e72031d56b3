import type { Selectable } from 'kysely'
import type { z } from 'zod'
import { type Actor, isStaff } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import type { PolicyLibrary } from '../policies/index.ts'
import { costLinesCitedForOrganisation } from '../recoveries/index.ts'
import { AppError } from '../shared/errors.ts'
import type { claimCostLinesView, claimCostLineView } from './claim.schemas.ts'
import { type ClaimAccess, findClaimAccess, listCostLines, listQuotes } from './claim.store.ts'
import type { ClaimCostLinesTable, ClaimQuotesTable } from './claim.tables.ts'
import { claimMoneySight, dealerHandledBy, isClaimVisibleTo } from './claim-access.ts'
import { totalSpentCostLines } from './domain/cost-line-totals.ts'
import { quoteSightOf } from './domain/money-sight.ts'
import { isQuotePastLastDay } from './quote-validity.ts'
import { isSpentUnderQuoteStatus } from './spent-cost-lines.ts'

type CostLineRow = Selectable<ClaimCostLinesTable>
type KeepLine = (line: CostLineRow) => boolean

const EVERY_LINE: KeepLine = () => true

// The same answer as a claim that does not exist, so a refusal tells nobody it does.
const claimNotFound = (claimId: string) =>
  new AppError('not-found', { key: 'claim.not-found', params: { id: claimId } })

/**
 * Which of the claim's cost lines the actor may read. Staff and integrations (the seller's own
 * systems) read every line. The claim's customer reads the lines they pay, never what the
 * businesses owe each other. A dealer that may open the claim reads the lines it pays, the
 * lines of the quotes it sent while it handled the claim, and, while the decision has it handle
 * the claim, the claim's other lines outside any quote (`MoneySight`); never the lines of a
 * quote the seller or another dealer sent. Any organisation also reads the lines its recovery
 * lines cite, as creditor or debtor: a maker that owes for a part reads that part's cost though
 * the claim itself stays the seller's or the dealer's. Anyone else, and an organisation with
 * neither, gets the claim's 404.
 */
async function costLinesKeptFor(
  db: Db,
  actor: Actor,
  claim: ClaimAccess | undefined,
  claimId: string,
): Promise<KeepLine> {
  if (claim === undefined) throw claimNotFound(claimId)
  if (isStaff(actor) || actor.role === 'integration') return EVERY_LINE
  const visible = isClaimVisibleTo(claim, actor)
  if (actor.role === 'customer') {
    if (!visible) throw claimNotFound(claimId)
    return (line) => line.payer === 'customer'
  }
  if (actor.role !== 'dealer' || actor.orgId === null) throw claimNotFound(claimId)
  const cited = await costLinesCitedForOrganisation(db, claimId, actor.orgId)
  if (!visible) {
    if (cited.size === 0) throw claimNotFound(claimId)
    return (line) => cited.has(line.id)
  }
  const sight = await claimMoneySight(db, actor, claimId)
  const handled = await dealerHandledBy(db, actor, claimId)
  // A quote's lines are the customer's and its sender's: read as the quote is (`quoteSightOf`),
  // whole only for a quote the dealer sent, even when it handles the claim now.
  const inSight = (line: CostLineRow): boolean =>
    (line.quote_id === null ? sight : quoteSightOf(sight, handled, line.quote_id)) === 'whole'
  return (line) => line.payer === 'dealer' || cited.has(line.id) || inSight(line)
}

type CostLineView = z.infer<typeof claimCostLineView>

/**
 * The status a line's quote is read with: as stored (`sent`, `accepted`, `declined`), but
 * `expired` for one still waiting past its last day, as the quotes listing tells it. A line
 * whose quote is not found counts as unspent, as `costLineSpent` counts it.
 */
type QuoteStatusOf = (quoteId: string) => string

const toCostLineView =
  (quoteStatusOf: QuoteStatusOf) =>
  (line: CostLineRow): CostLineView => {
    const quoteStatus = line.quote_id === null ? null : quoteStatusOf(line.quote_id)
    return {
      id: line.id,
      quoteId: line.quote_id,
      kind: line.kind,
      description: line.description,
      quantity: Number(line.quantity),
      unitPriceMinor: Number(line.unit_price_minor),
      amountMinor: Number(line.quantity) * Number(line.unit_price_minor),
      currency: line.currency,
      payer: line.payer,
      recordedAt: line.created_at,
      spent: isSpentUnderQuoteStatus(quoteStatus),
      quoteStatus,
    }
  }

const UNKNOWN_QUOTE = 'unknown'

/**
 * The claim's cost lines the actor may read, in the order they were recorded, each marked
 * spent or not (`costLineSpent`), and their totals, which count the spent lines alone; the
 * claim's 404 for anyone who may read none.
 */
export async function claimCostLinesFor(
  ctx: { db: Db; policies: Pick<PolicyLibrary, 'summary'>; now: () => Date },
  actor: Actor,
  claimId: string,
): Promise<z.infer<typeof claimCostLinesView>> {
  const claim = await findClaimAccess(ctx.db, claimId)
  const keep = await costLinesKeptFor(ctx.db, actor, claim, claimId)
  const [lines, quotes] = await Promise.all([listCostLines(ctx.db, claimId), listQuotes(ctx.db, claimId)])
  const now = ctx.now()
  const byId = new Map<string, ClaimQuotesTable>(quotes.map((quote) => [quote.id, quote]))
  const quoteStatusOf: QuoteStatusOf = (quoteId) => {
    const quote = byId.get(quoteId)
    if (quote === undefined || claim === undefined) return UNKNOWN_QUOTE
    return quote.status === 'sent' && isQuotePastLastDay(ctx.policies, claim, quote.valid_until, now)
      ? 'expired'
      : quote.status
  }
  const items = lines.filter(keep).map(toCostLineView(quoteStatusOf))
  return { items, next: null, totals: totalSpentCostLines(items) }
}
