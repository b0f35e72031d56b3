import type { Actor } from '../auth/index.ts'
import { isStaff } from '../auth/index.ts'
import { AppError } from '../shared/errors.ts'

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
