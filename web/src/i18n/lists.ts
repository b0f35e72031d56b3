/**
 * A list of words as a language writes it: "repair, replacement" in English, 维修、更换 in
 * Chinese, whose lists take the enumeration comma, not a Latin one.
 */
export function formatListIn(languageTag: string, items: readonly string[]): string {
  return new Intl.ListFormat(languageTag, { type: 'conjunction', style: 'narrow' }).format(items)
}
