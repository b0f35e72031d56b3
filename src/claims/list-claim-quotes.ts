import type { z } from 'zod'
import type { Db } from '../db/database.ts'
import type { quoteView } from './claim.schemas.ts'
import { listCostLines, listQuotes } from './claim.store.ts'

/**
 * Every quote of a claim with its lines: what the customer pays and what the others absorb,
 * its last day, and whether it waits for an answer past that day (`isPastLastDay` counts days
 * where the claim's policy does), so a reader is told why it can no longer be accepted.
 */
export async function listClaimQuotes(
  db: Db,
  claimId: string,
  isPastLastDay: (validUntil: string | null) => boolean,
): Promise<z.infer<typeof quoteView>[]> {
  const [quotes, lines] = await Promise.all([listQuotes(db, claimId), listCostLines(db, claimId)])
  return quotes.map((q) => ({
    id: q.id,
    status: q.status,
    currency: q.currency,
    totalMinor: Number(q.total_minor),
    customerMinor: Number(q.customer_minor),
    absorbedMinor: JSON.parse(q.absorbed_json) as { vendor: number; dealer: number; manufacturer: number },
    paidMinor: Number(q.paid_minor),
    sentAt: q.sent_at,
    validUntil: q.valid_until,
    expired: q.status === 'sent' && isPastLastDay(q.valid_until),
    lines: lines
      .filter((l) => l.quote_id === q.id)
      .map((l) => ({
        id: l.id,
        kind: l.kind,
        description: l.description,
        quantity: Number(l.quantity),
        unitPriceMinor: Number(l.unit_price_minor),
        amountMinor: Number(l.quantity) * Number(l.unit_price_minor),
        payer: l.payer,
      })),
  }))
}
