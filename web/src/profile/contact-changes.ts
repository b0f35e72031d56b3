import type { CustomerProfile } from '../api/types.ts'

type Language = CustomerProfile['locale']

export interface ContactForm {
  name: string
  phone: string | null
  locale: Language
}

/**
 * What saving the contact form asks the server to change. The language select always holds a
 * value, the saved one when nobody touched it; sent back unchanged it would be recorded as the
 * customer's own choice, and their sign-in links would stop following their browser.
 */
export function contactChanges(shown: Pick<CustomerProfile, 'locale'>, form: ContactForm) {
  return {
    name: form.name,
    phone: form.phone,
    ...(form.locale === shown.locale ? {} : { locale: form.locale }),
  }
}
