import type { Db } from '../db/database.ts'
import { customerEmailLocale } from '../notify/index.ts'
import { findOrganisation } from './organisation.store.ts'
import type { CustomersTable } from './registry.tables.ts'
import { findUnitBySerial } from './unit.store.ts'

/**
 * The language of mail to a customer about a unit, by the order `customerEmailLocale` gives:
 * their choice, the language they were seen using, the country they live in, the market of
 * the unit's seller, English.
 */
export async function customerMailLocale(
  db: Db,
  customer: Pick<CustomersTable, 'locale' | 'locale_chosen_at' | 'locale_guessed_at' | 'address'>,
  serial: string,
): Promise<'en' | 'zh'> {
  const address = customer.address ? (JSON.parse(customer.address) as { country?: unknown }) : undefined
  return customerEmailLocale(
    {
      locale: customer.locale,
      chosen: customer.locale_chosen_at !== null,
      guessed: customer.locale_guessed_at != null,
      addressCountry: typeof address?.country === 'string' ? address.country : undefined,
    },
    async () => {
      const sellerOrgId = (await findUnitBySerial(db, serial))?.sellerOrgId
      return sellerOrgId ? (await findOrganisation(db, sellerOrgId))?.country : undefined
    },
  )
}
