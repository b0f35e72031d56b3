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
