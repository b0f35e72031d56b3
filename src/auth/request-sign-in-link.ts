import { absolutePageUrl, pages } from '../contracts/pages.ts'
import type { Db, Engine } from '../db/database.ts'
import { chosenEmailLocale, enqueueEmail } from '../notify/index.ts'
import { findCustomerByEmail, lockCustomerRow } from '../registry/index.ts'
import { AppError } from '../shared/errors.ts'
import { createUser } from './create-user.ts'
import { generateToken, hashToken } from './secrets.ts'
import { findCustomerUser } from './user.store.ts'

export const SIGN_IN_LINK_TTL_MS = 15 * 60 * 1000
export const SIGN_IN_LINK_TEMPLATE = 'auth.sign-in-link'

/**
 * Sends a one-time sign-in link when the address belongs to a registry customer, and
 * quietly does nothing otherwise: the caller answers the same either way.
 */
export async function requestSignInLink(
  { db, engine }: { db: Db; engine: Engine },
  input: { email: string; locale: 'en' | 'zh'; publicUrl: string; next?: string | undefined },
  now: Date,
): Promise<{ sent: boolean }> {
  const email = input.email.trim().toLowerCase()
  const customer = await findCustomerByEmail(db, email)
  if (!customer) return { sent: false }
  try {
    await sendLink(db, engine, customer, email, input, now)
  } catch (error) {
    // A user of another kind (staff, a dealer) holds the address: nothing is sent, and the
    // answer must not say so.
    if (error instanceof AppError && error.text?.key === 'auth.user-exists') return { sent: false }
    throw error
  }
  return { sent: true }
}

async function sendLink(
  db: Db,
  engine: Engine,
  customer: { id: string; name: string; locale: string | null; locale_chosen_at: string | null },
  email: string,
  input: { locale: 'en' | 'zh'; publicUrl: string; next?: string | undefined },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Requests for one customer queue up on the customer's row (SQLite has one writer
    // anyway): otherwise two at once both create the user, and the loser's 409 tells that
    // the address is a customer; and each voids only the links committed before it began,
    // so several stay valid.
    await lockCustomerRow(trx, engine, customer.id)
    const user =
      (await findCustomerUser(trx, customer.id)) ??
      (await createUser(trx, { email, name: customer.name, role: 'customer', customerId: customer.id }, now))
    // Only the newest link works: an older one still sitting in a mailbox is worthless.
    await trx
      .updateTable('sign_in_links')
      .set({ used_at: now.toISOString() })
      .where('user_id', '=', user.id)
      .where('used_at', 'is', null)
      .execute()
    const token = generateToken()
    await trx
      .insertInto('sign_in_links')
      .values({
        token_hash: hashToken(token),
        user_id: user.id,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SIGN_IN_LINK_TTL_MS).toISOString(),
        used_at: null,
      })
      .execute()
    const link = absolutePageUrl(input.publicUrl, pages.signInLink(token, input.next))
    await enqueueEmail(
      trx,
      {
        to: email,
        template: SIGN_IN_LINK_TEMPLATE,
        // The language the person chose, as every other mail to it: one who reads Chinese and
        // borrows an English browser still gets Chinese. The request's language serves a
        // customer who never chose (staff or an import created them without asking), whose
        // stored language is only the default.
        locale: chosenEmailLocale(customer.locale_chosen_at === null ? null : customer.locale, input.locale),
        data: { link, recipientName: customer.name, validMinutes: SIGN_IN_LINK_TTL_MS / 60_000 },
      },
      { now },
    )
  })
}
