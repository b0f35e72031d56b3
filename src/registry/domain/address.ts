import { INTL_LOCALE } from '../../shared/human-date.ts'
import { type MessageLanguage, translate } from '../../shared/messages/translate.ts'

const ADDRESS_KEYS = ['line1', 'line2', 'city', 'postcode', 'region', 'country'] as const

/**
 * An address as stored: known keys in one fixed order, empty parts left out, so the same
 * address always serialises to the same text and a re-import sees it as unchanged.
 */
export function serializeAddress(
  address: Record<string, string | undefined> | null | undefined,
): string | null {
  if (!address) return null
  const ordered: Record<string, string> = {}
  for (const key of ADDRESS_KEYS) {
    const value = address[key]
    if (value) ordered[key] = value
  }
  return Object.keys(ordered).length > 0 ? JSON.stringify(ordered) : null
}

/** A postal address as a person enters it: where a parcel goes and who answers the courier. */
export interface PostalAddress {
  name: string
  street: string
  line2?: string | undefined
  city: string
  region?: string | undefined
  postalCode?: string | undefined
  /** ISO 3166-1 alpha-2. */
  country: string
  phone?: string | undefined
}

/**
 * The country as the reader names it: addresses store a two-letter code, which a reader
 * of a letter or a label does not read as a country. Anything else is kept as written.
 */
function countryName(country: string, language: MessageLanguage): string {
  const code = country.trim().toUpperCase()
  if (!/^[A-Z]{2}$/.test(code)) return country
  try {
    return (
      new Intl.DisplayNames([INTL_LOCALE[language]], { type: 'region', fallback: 'code' }).of(code) ?? country
    )
  } catch {
    return country
  }
}

/**
 * The lines a courier label needs, in the order most carriers print them: recipient,
 * street, extra line, "postal code city", region, country, then the phone to call. The
 * words the system adds (the country's name, the phone's label) are in the reader's language.
 */
export function formatPostalAddress(address: PostalAddress, language: MessageLanguage): string[] {
  const cityLine = [address.postalCode, address.city].filter(Boolean).join(' ')
  return [
    address.name,
    address.street,
    address.line2,
    cityLine,
    address.region,
    countryName(address.country, language),
    address.phone ? translate(language, 'registry.address.phone-line', { phone: address.phone }) : undefined,
  ].filter((line): line is string => typeof line === 'string' && line.trim() !== '')
}

/** An organisation's stored service address (`{line1, line2?, city, postcode?, region?, country}`) as a postal address. */
export function serviceAddressToPostal(
  name: string,
  stored: Record<string, string | undefined>,
  phone?: string | null,
): PostalAddress {
  return {
    name: stored.name ?? name,
    street: stored.line1 ?? '',
    line2: stored.line2,
    city: stored.city ?? '',
    region: stored.region,
    postalCode: stored.postcode,
    country: stored.country ?? '',
    phone: phone ?? undefined,
  }
}
