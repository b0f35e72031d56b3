import { customerEmailLocale } from '../notify/index.ts'
import type { CustomersTable } from './registry.tables.ts'

/**
 * The language of mail to a customer, by the order `customerEmailLocale` gives: their choice,
 * the language they were seen using, the country they live in, English.
 */
export function customerMailLocale(
  customer: Pick<CustomersTable, 'locale' | 'locale_chosen_at' | 'locale_guessed_at' | 'address'>,
): 'en' | 'zh' {
  const address = customer.address ? (JSON.parse(customer.address) as { country?: unknown }) : undefined
  return customerEmailLocale({
    locale: customer.locale,
    chosen: customer.locale_chosen_at !== null,
    guessed: customer.locale_guessed_at != null,
    addressCountry: typeof address?.country === 'string' ? address.country : undefined,
  })
}
