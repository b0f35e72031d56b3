import type { Db } from '../db/database.ts'
import { customerEmailLocale } from '../notify/index.ts'
import { findOrganisation, findUnitBySerial } from '../registry/index.ts'

/**
 * The language of mail to a claim's customer, by the order `customerEmailLocale` gives: their
 * choice, the language they were seen using, the country they live in, the market of the
 * seller of the claimed unit, English. The seller is read only when nothing of the customer's
 * own decides.
 */
export async function customerMailLocale(
  db: Db,
  customer: {
    locale: string
    locale_chosen_at: string | null
    locale_guessed_at?: string | null | undefined
    /** JSON, as `customers.address` holds it. */
    address: string | null
  },
  serial: string,
): Promise<'en' | 'zh'> {
  const chosen = customer.locale_chosen_at !== null
  const guessed = customer.locale_guessed_at != null
  const addressCountry = customer.address
    ? (JSON.parse(customer.address) as { country?: unknown }).country
    : undefined
  const livesIn = typeof addressCountry === 'string' ? addressCountry : undefined
  let sellerCountry: string | undefined
  if (!chosen && !guessed && !livesIn) {
    const sellerOrgId = (await findUnitBySerial(db, serial))?.sellerOrgId
    sellerCountry = sellerOrgId ? (await findOrganisation(db, sellerOrgId))?.country : undefined
  }
  return customerEmailLocale({
    locale: customer.locale,
    chosen,
    guessed,
    addressCountry: livesIn,
    sellerCountry,
  })
}
