/** Codes that name no country a parcel goes to: unions, "unknown", private use. */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'ZZ'])

/** A code in use today: a withdrawn one (DD, SU, UK for GB) is canonicalised to its successor. */
const isCurrent = (code: string): boolean => {
  try {
    return new Intl.Locale(`und-${code}`).region === code
  } catch {
    return false
  }
}

const isCountryCode = (code: string): boolean =>
  !NOT_COUNTRIES.has(code) &&
  !(code.startsWith('Q') && code >= 'QM') &&
  !(code.startsWith('X') && code !== 'XK') &&
  isCurrent(code)

/**
 * Every country the browser can name, by ISO 3166-1 alpha-2 code, named and sorted in
 * `locale`. `selected` is always among them, so a stored code the list does not know is kept.
 */
export function countryOptions(locale: string, selected = ''): { code: string; name: string }[] {
  const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' })
  const options: { code: string; name: string }[] = []
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  for (const first of letters)
    for (const second of letters) {
      const code = first + second
      if (!isCountryCode(code)) continue
      const name = names.of(code)
      if (name && name !== code) options.push({ code, name })
    }
  const wanted = selected.trim().toUpperCase()
  if (wanted && !options.some((option) => option.code === wanted))
    options.push({ code: wanted, name: wanted })
  const collator = new Intl.Collator(locale)
  return options.sort((a, b) => collator.compare(a.name, b.name))
}

/** A stored country code as the reader names it; anything that is no code, as written. */
export function countryName(locale: string, country: string): string {
  const code = country.trim().toUpperCase()
  if (!/^[A-Z]{2}$/.test(code)) return country
  return new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }).of(code) ?? country
}
