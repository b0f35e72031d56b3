/**
 * The matching key of a model or organisation name: case, spaces, hyphens and
 * underscores do not count, so `Ares-M PRO`, `ares-mpro` and `ARES M PRO` are one model.
 */
export function normalizeModelKey(name: string): string {
  return name.toLowerCase().replace(/[\s\-_]+/g, '')
}
