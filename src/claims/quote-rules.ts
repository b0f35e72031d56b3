import type { Actor } from '../auth/index.ts'
import { isStaff } from '../auth/index.ts'
import type { CostKind, Party, Payers } from '../contracts/decision.ts'
import { AppError } from '../shared/errors.ts'
import { choosePayer } from './domain/quote-totals.ts'

/**
 * Accepting a quote commits the customer's money: only the customer does it, or staff
 * recording what the customer said (on the phone, by e-mail), with a note saying so.
 * The lifecycle table already keeps other parties out; this adds the note.
 */
export function checkQuoteAnswer(
  actor: Actor,
  answer: 'accept-quote' | 'decline-quote',
  note: string | undefined,
) {
  if (answer !== 'accept-quote') return
  if (isStaff(actor) && !note?.trim()) {
    throw new AppError(
      'validation',
      { key: 'claims.quote.staff-note', params: { field: 'note' } },
      {
        field: 'note',
      },
    )
  }
}

/**
 * Who bears each cost is the decision's word (its `payers`), shown to the customer with it.
 * Staff may book a line to another payer (goodwill, a supplier's fault); a dealer serving as
 * handler may not, or it could charge the customer what the decision gives the seller, or
 * book its own warranty cost to the maker.
 */
export function refuseForeignPayers(
  actor: Actor,
  lines: readonly { kind: CostKind; payer?: Party | undefined }[],
  payers: Payers | null,
): void {
  if (isStaff(actor)) return
  lines.forEach((line, index) => {
    const decided = choosePayer(line.kind, payers)
    if (line.payer !== undefined && line.payer !== decided)
      throw new AppError(
        'forbidden',
        { key: 'claims.cost.payer-staff-only', params: { field: `lines.${index}.payer`, payer: decided } },
        { field: `lines.${index}.payer` },
      )
  })
}
